//! Activation, the offline status, validation, site data and deactivation (C1, C3, D5).

use tessera_client::{AccountRef, ClientError, LicenseState, SiteData, Standing};

use crate::support::*;

fn site_data() -> SiteData {
    SiteData {
        company: "Rossi Trasporti S.r.l.".into(),
        branch: Some("Depot Nord".into()),
        address: "Via Emilia 4".into(),
        zip: "20121".into(),
        locality: "Milano".into(),
        province: "MI".into(),
        nation: "IT".into(),
        representative_name: "Jack".into(),
        representative_surname: "White".into(),
        representative_email: "jack.white@example.com".into(),
    }
}

#[test]
fn activate_check_offline_validate_and_deactivate() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(2);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let client = machine.client(&[&server.base], &trust);

    assert_eq!(client.status().standing, Standing::NotActivated);
    assert!(!client.status().may_run());
    assert!(matches!(
        client.validate_now(),
        Err(ClientError::NotActivated)
    ));

    // A key of another account is refused with the server's code; nothing is stored.
    match client.activate(AccountRef::Email(EMAIL.into()), &keys[1]) {
        Err(ClientError::Refused {
            status: 422, code, ..
        }) => assert_eq!(code, "KEY_INVALID"),
        other => panic!("expected KEY_INVALID, got {other:?}"),
    }
    assert!(!machine.state_path().exists());

    let activated = client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .expect("activation succeeds");
    assert_eq!(activated.activation, "activated");
    assert!(activated.site_data_required);
    let status = client.status();
    assert_eq!(status.standing, Standing::Valid { days_left: 10 });
    assert!(status.may_run());
    assert_eq!(status.edition(), Some("std"));
    assert!(status.has_module("mail"));
    assert!(!status.has_module("sync"));
    assert_eq!(status.limit("users"), Some(10));
    let ent = status.entitlement.clone().unwrap();
    assert_eq!(ent.site_id, activated.site_id);
    assert_eq!(ent.product, "crm");
    assert_eq!(ent.licensee, "Rossi Trasporti S.r.l.");

    client
        .send_site_data(&site_data())
        .expect("site data accepted");

    // A day later the daily check succeeds and reports the installations (D5).
    machine.set_both(&server, start_time() + DAY);
    let v = client.validate_now().expect("validation succeeds");
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(v.server, server.base);
    assert_eq!(v.status.standing, Standing::Valid { days_left: 10 });
    let ent = v.status.entitlement.unwrap();
    assert_eq!(ent.last_success, start_time() + DAY);
    assert_eq!(ent.installations.len(), 1);

    // The state survives a restart, offline.
    drop(client);
    let reopened = machine.client(&[&dead_server()], &trust);
    assert_eq!(
        reopened.status(),
        machine.client(&[&server.base], &trust).status()
    );
    assert_eq!(
        reopened.status().standing,
        Standing::Valid { days_left: 10 }
    );
    drop(reopened);

    let client = machine.client(&[&server.base], &trust);
    let test = client.test_connection(&server.base).unwrap();
    assert!(test.trusted_key_published);
    assert!(matches!(
        client.test_connection(&dead_server()),
        Err(ClientError::Unreachable { .. })
    ));

    // Deactivation frees the key on the server and forgets the license here.
    client.deactivate().expect("deactivation succeeds");
    assert_eq!(client.status().standing, Standing::NotActivated);
    assert!(!machine.state_path().exists());
    // (Signed in again: the operator session expired with the day that passed.)
    let site = server.operator().site(&activated.site_id);
    assert_eq!(site.status, "deactivated");
    // The same machine can activate again.
    let again = client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    assert_eq!(again.site_id, activated.site_id);
    server.stop();
}

#[test]
fn a_second_machine_is_refused_while_the_first_holds_the_key() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let first = Machine::new("machine-1");
    first
        .client(&[&server.base], &trust)
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    let second = Machine::new("machine-2");
    let client = second.client(&[&server.base], &trust);
    match client.activate(AccountRef::Email(EMAIL.into()), &keys[0]) {
        Err(ClientError::Refused {
            status: 409, code, ..
        }) => {
            assert_eq!(code, "KEY_ALREADY_ACTIVATED")
        }
        other => panic!("expected KEY_ALREADY_ACTIVATED, got {other:?}"),
    }
    assert_eq!(client.status().standing, Standing::NotActivated);
    server.stop();
}
