//! The cloud's minimum version (seed 000: connecting needs the program at 1.2.11 or later):
//! the program below it still runs, its status foresees the refusal, and the code exchange
//! is refused with `UPDATE_REQUIRED` until the program is updated; a program that does not
//! say its version is refused too.

use tessera_client::ClientError;

use super::*;

#[test]
fn a_program_below_the_clouds_minimum_runs_but_cannot_connect() {
    let Some(mut w) = CloudWorld::start(Backend::Sqlite, 1) else {
        return;
    };
    w.server
        .block_on(
            w.server
                .api()
                .set_cloud_minimum_version("ssm2", Some("1.2.11")),
        )
        .unwrap();
    let (activation, site_code) = w.codes(0);

    // The program at 1.2.9 hears of the minimum at its next validation, signed.
    w.reopen_with(0, |cfg| cfg.product_version = Some("1.2.9".into()));
    let old = &w.sites[0].client;
    assert_eq!(old.status().cloud_update_required, None, "not heard of yet");
    old.validate_now().expect("validation succeeds");
    let status = old.status();
    assert!(status.may_run(), "the program itself runs on");
    assert_eq!(
        (
            status.update_required.as_deref(),
            status.cloud_update_required.as_deref()
        ),
        (None, Some("1.2.11"))
    );
    assert_eq!(
        status.entitlement.unwrap().cloud_minimum_version.as_deref(),
        Some("1.2.11")
    );
    let refused = old
        .activate_cloud(&activation, &site_code, PreCheck::Skip)
        .expect_err("below the cloud's minimum");
    assert_eq!(refused.reason(), "UPDATE_REQUIRED", "{refused}");
    assert!(refused.to_string().contains("1.2.11"), "{refused}");
    assert!(!old.cloud_activated(), "nothing kept");

    // A program that does not say its version cannot show it is new enough.
    w.reopen_with(0, |cfg| cfg.product_version = None);
    let silent = &w.sites[0].client;
    assert_eq!(silent.status().cloud_update_required, None, "not compared");
    let refused = silent
        .activate_cloud(&activation, &site_code, PreCheck::Skip)
        .expect_err("no version said");
    assert_eq!(refused.reason(), "UPDATE_REQUIRED", "{refused}");

    // Told its version after opening (the C ABI's way), once: the same again is fine,
    // another is a configuration error. At 1.2.11 the same codes connect the site.
    silent.set_product_version("v1.2.11").unwrap();
    silent.set_product_version("1.2.11").unwrap();
    silent.set_product_version("1.2.11+build.7").unwrap();
    let twice = silent.set_product_version("1.3.0").unwrap_err();
    assert!(
        matches!(&twice, ClientError::Config(m) if m.contains("already 1.2.11")),
        "{twice}"
    );
    assert_eq!(silent.product_version().as_deref(), Some("1.2.11"));
    assert_eq!(silent.status().cloud_update_required, None);
    let got = silent
        .activate_cloud(&activation, &site_code, PreCheck::Skip)
        .expect("the codes are exchanged");
    assert_eq!(got.site_id, w.sites[0].site_id);
    assert!(silent.cloud_activated());
}
