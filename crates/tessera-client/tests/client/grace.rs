//! Grace, warning and lock (D2) with both clocks moved by hand: ten days offline is the last
//! day, more locks, one success unlocks. A signed refusal locks at once.

use jiff::SignedDuration;
use tessera_client::{AccountRef, ClientError, LicenseState, LockReason, Standing};

use crate::support::*;

#[test]
fn ten_days_offline_is_the_last_day_more_locks_one_success_unlocks() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let client = machine.client(&[&server.base], &trust);
    client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    let last = machine.now();
    let deadline = client.status().deadline.unwrap();
    assert_eq!(deadline, last + DAY * 10);

    // Offline: the only server configured does not answer.
    drop(client);
    let offline = machine.client(&[&dead_server()], &trust);
    machine.clock.set(last + DAY * 6);
    let err = offline.validate_now().unwrap_err();
    assert_eq!(err.code(), "SERVER_UNREACHABLE");
    assert_eq!(offline.status().standing, Standing::Valid { days_left: 4 });
    assert_eq!(
        offline.status().deadline,
        Some(deadline),
        "a failure never extends grace"
    );

    machine.clock.set(last + DAY * 7);
    assert_eq!(
        offline.status().standing,
        Standing::Warning { days_left: 3 }
    );

    machine.clock.set(last + DAY * 10);
    let status = offline.status();
    assert_eq!(status.standing, Standing::Warning { days_left: 0 });
    assert!(status.may_run(), "exactly ten days offline still runs");
    assert!(status.has_module("mail"));

    machine
        .clock
        .set(last + DAY * 10 + SignedDuration::from_secs(1));
    let status = offline.status();
    assert_eq!(status.standing, Standing::Locked(LockReason::GraceOver));
    assert!(!status.may_run());
    assert!(!status.has_module("mail"));
    assert_eq!(status.limit("users"), None);
    assert!(offline.validate_now().is_err());
    assert!(!offline.status().may_run());
    drop(offline);

    // Back online: one success unlocks, with a fresh ten days from the server's time.
    let now = last + DAY * 11;
    machine.set_both(&server, now);
    let client = machine.client(&[&server.base], &trust);
    assert!(!client.status().may_run(), "still locked after a restart");
    let v = client.validate_now().expect("validation succeeds");
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(client.status().standing, Standing::Valid { days_left: 10 });
    assert_eq!(client.status().deadline, Some(now + DAY * 10));
    server.stop();
}

#[test]
fn a_signed_refusal_locks_until_a_valid_answer() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let client = machine.client(&[&server.base], &trust);
    let site = client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap()
        .site_id;

    op.suspend(&site);
    let v = client
        .validate_now()
        .expect("a signed answer, even a refusal");
    assert_eq!(v.state, LicenseState::Suspended);
    assert_eq!(
        client.status().standing,
        Standing::Locked(LockReason::Refused(LicenseState::Suspended))
    );
    // The refusal is stored: a restart does not forget it.
    assert!(!machine.client(&[&server.base], &trust).status().may_run());

    op.resume(&site);
    assert_eq!(client.validate_now().unwrap().state, LicenseState::Valid);
    assert!(client.status().may_run());

    // An expiry set by the operator reaches the client through validation.
    let expiry = machine.now() + DAY * 2;
    op.set_expiry(&site, Some(expiry.to_string()));
    client.validate_now().unwrap();
    assert_eq!(
        client.status().entitlement.unwrap().expires_at,
        Some(expiry)
    );
    machine.clock.set(expiry);
    assert_eq!(
        client.status().standing,
        Standing::Locked(LockReason::Expired)
    );
    server.stop();
}

#[test]
fn the_scheduler_checks_at_start_up_then_daily_and_backs_off() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let mut cfg = machine.config(&[&server.base], &trust);
    cfg.schedule.time_zone = jiff::tz::TimeZone::UTC;
    let client = tessera_client::Client::open(cfg.clone()).unwrap();
    assert!(
        client.poll().is_none(),
        "nothing to check before activation"
    );
    client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    drop(client);

    // Start-up: a check within the start-up window.
    let client = tessera_client::Client::open(cfg).unwrap();
    let due = client.next_check_due();
    assert!(due >= machine.now() && due <= machine.now() + SignedDuration::from_mins(1));
    machine.set_both(&server, due);
    assert!(client.poll().expect("due").is_ok());
    // Next: today's 12:00 UTC (start is 09:00 UTC), within the 30-minute jitter.
    let noon = "2026-11-23T12:00:00Z".parse().unwrap();
    let due = client.next_check_due();
    assert!(
        due >= noon && due < noon + SignedDuration::from_mins(30),
        "{due}"
    );
    assert!(client.poll().is_none(), "not due yet");

    // The server is down at noon: retries back off.
    server.stop();
    machine.clock.set(due);
    let err = client.poll().expect("due").unwrap_err();
    assert!(matches!(err, ClientError::Unreachable { .. }), "{err:?}");
    let retry = client.next_check_due();
    assert!(
        retry > due && retry <= due + SignedDuration::from_secs(75),
        "{retry}"
    );
}

#[test]
fn the_background_thread_validates_when_due_and_stops() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let mut cfg = machine.config(&[&server.base], &trust);
    cfg.schedule.startup_jitter = SignedDuration::ZERO;
    tessera_client::Client::open(cfg.clone())
        .unwrap()
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();

    let client = std::sync::Arc::new(tessera_client::Client::open(cfg).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let background = client.spawn_background(move |r| {
        let _ = tx.send(r.as_ref().map(|v| v.state).map_err(|e| e.code()));
    });
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the start-up check ran");
    assert_eq!(got, Ok(LicenseState::Valid));
    assert!(
        client.next_check_due() > machine.now(),
        "next: the daily slot"
    );
    background.stop();
    server.stop();
}
