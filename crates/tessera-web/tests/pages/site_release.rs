//! The site released from its machine on its sheet (X2): the account asks, confirms, and the
//! key is free for another machine; a second release is refused in the licence card; a
//! machine licensed by file (it never checks online) is offered no button and its release
//! is refused, as only the vendor may release it.

use reqwest::StatusCode;
use tessera_api::OfflineRequestKind;
use tessera_core::Clock;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::{fp, offline_policy, offline_request};
use tessera_testkit::{Backend, spawn_app};

use crate::site::account_with_data;
use crate::visitor::Visitor;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_releases_a_site_from_its_machine_after_confirming() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, token) = account_with_data(&app, 2).await;
    let api = app.api_as(Some(&token));
    let (site, other) = (&sites[0], &sites[1]);
    let status = async |id: &str| {
        let all = api.own_sites().await.unwrap().sites;
        all.into_iter().find(|s| s.site_id == id).unwrap()
    };
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let release = format!("action=\"/sites/{site}/release#licence\"");
    let page = v.get(&format!("/sites/{site}")).await;
    assert!(page.text.contains(&release), "{}", page.text);
    let registered = v.get(&format!("/sites/{other}")).await;
    assert!(
        !registered.text.contains("/release"),
        "nothing to release on a site no machine holds"
    );

    // The first click asks, saying what follows; nothing is released yet.
    let csrf = page.hidden("csrf").unwrap();
    let asked = v
        .post(&format!("/sites/{site}/release"), &[("csrf", &csrf)])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked
            .text
            .contains("Release Rossi Trasporti — Depot Nord, Milano from its machine?")
            && asked.text.contains("stops at its next licence check")
            && asked.text.contains("name=\"confirm\" value=\"yes\""),
        "{}",
        asked.text
    );
    assert_eq!(status(site).await.status, "active");

    // Confirmed: released, said on the sheet, no button any more.
    let confirm = [("csrf", csrf.as_str()), ("confirm", "yes")];
    let done = v.post(&format!("/sites/{site}/release"), &confirm).await;
    assert_eq!(
        done.location(),
        format!("/sites/{site}?done=released#licence")
    );
    let page = v.get(&format!("/sites/{site}?done=released")).await;
    assert!(
        page.text.contains("Released from its machine"),
        "{}",
        page.text
    );
    assert!(!page.text.contains(&release));
    let released = status(site).await;
    assert_eq!(
        (released.status.as_str(), released.fingerprint),
        ("deactivated", None)
    );

    // Asked again for a site no machine holds: no question, the reason instead.
    let asked = v
        .post(&format!("/sites/{site}/release"), &[("csrf", &csrf)])
        .await;
    assert_eq!(asked.status, StatusCode::CONFLICT);
    assert!(!asked.text.contains("name=\"confirm\" value=\"yes\""));

    // Released meanwhile (another tab): refused in the licence card.
    let again = v.post(&format!("/sites/{site}/release"), &confirm).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let card = again.text.split("id=\"licence\"").nth(1).unwrap();
    let card = card.split("</section>").next().unwrap();
    assert!(card.contains("id=\"release-error\""), "{card}");

    // The other site activated by file: no button, a word on why, and refused if posted.
    offline_policy(&app, "crm", "perpetual", None).await;
    let key = status(other).await.product_key;
    let req = offline_request(
        OfflineRequestKind::Activation,
        &key,
        "office@ib50.example",
        &fp('b'),
        app.clock.now(),
    );
    api.answer_own_offline_request(&req.to_file())
        .await
        .unwrap();
    let page = v.get(&format!("/sites/{other}")).await;
    assert!(
        page.text.contains("data-by-file")
            && page
                .text
                .contains("write a deactivation file on the machine"),
        "{}",
        page.text
    );
    assert!(!page.text.contains(&format!("/sites/{other}/release")));
    let refused = v.post(&format!("/sites/{other}/release"), &confirm).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .text
            .contains("release it with a deactivation file written on that machine"),
        "{}",
        refused.text
    );
    assert_eq!(status(other).await.status, "active");
    app.stop().await;
}
