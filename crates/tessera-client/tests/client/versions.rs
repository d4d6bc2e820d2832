//! The minimum version (X6): once the server names a minimum above the program's version,
//! the status says `update_required` with the version needed (the seed's cloud: 1.2.11 or
//! later), and a newer stable release is `update_available`; a program at or above the
//! minimum is not asked to update. The licence's versions come in the validation, signed.

use tessera_client::{AccountRef, Client, ClientError};

use crate::support::*;

#[test]
fn a_program_below_the_minimum_version_is_told_to_update() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let open = |version: &str| {
        let mut cfg = machine.config(&[&server.base], &trust);
        cfg.product_version = Some(version.into());
        Client::open(cfg).expect("client opens")
    };
    let old = open("1.2.9");
    old.activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .expect("activation succeeds");
    let status = old.status();
    assert_eq!(
        (status.update_required, status.update_available),
        (None, None)
    );

    op.publish_release("1.2.11");
    op.publish_release("1.10.0-beta.1");
    op.set_minimum_version(Some("1.2.11"));
    old.validate_now().expect("validation succeeds");
    let status = old.status();
    assert!(
        status.may_run(),
        "an old program still runs; it is told to update"
    );
    assert_eq!(status.update_required.as_deref(), Some("1.2.11"));
    assert_eq!(
        status.update_available.as_deref(),
        Some("1.2.11"),
        "the beta is not offered"
    );
    let ent = status.entitlement.unwrap();
    assert_eq!(
        (
            ent.latest_version.as_deref(),
            ent.minimum_version.as_deref()
        ),
        (Some("1.2.11"), Some("1.2.11"))
    );
    drop(old);

    // The same machine's program at 1.2.11, and one at 1.10.0: nothing to do. The versions
    // were stored with the signed validation, so they hold before the next one too.
    for version in ["1.2.11", "1.10.0"] {
        let status = open(version).status();
        assert_eq!(
            (status.update_required, status.update_available),
            (None, None),
            "{version}"
        );
    }
    // A version the client cannot read is a configuration error, said at once.
    let mut cfg = machine.config(&[&server.base], &trust);
    cfg.product_version = Some("1.2".into());
    assert!(matches!(Client::open(cfg), Err(ClientError::Config(m)) if m.contains("1.2")));
}
