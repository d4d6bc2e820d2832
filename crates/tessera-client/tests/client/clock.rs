//! Clock checks (D4): a clock set back, or more than five minutes from the server's, gives
//! a clock error, and neither ever extends the grace period.

use jiff::SignedDuration;
use tessera_client::{AccountRef, ClientError, Standing};

use crate::support::*;

const MIN: SignedDuration = SignedDuration::from_mins(1);

#[test]
fn a_clock_set_back_or_six_minutes_off_is_refused_and_grace_stays() {
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
    let day1 = start_time() + DAY;
    machine.set_both(&server, day1);
    client.validate_now().unwrap();
    let deadline = client.status().deadline.unwrap();
    assert_eq!(deadline, day1 + DAY * 10);

    // Set back two hours behind what the client has seen: refused before asking.
    machine.clock.set(day1 - MIN * 120);
    let err = client.validate_now().unwrap_err();
    assert!(matches!(err, ClientError::ClockMovedBack { .. }), "{err:?}");
    assert_eq!(err.code(), "CLOCK_MOVED_BACK");
    assert!(
        err.to_string()
            .contains("clock mismatch — set an NTP server")
    );
    let status = client.status();
    assert!(status.clock_set_back);
    assert_eq!(status.deadline, Some(deadline));
    assert_eq!(status.standing, Standing::Valid { days_left: 10 });

    // Six minutes ahead of the server, and six behind: the signed answer is refused.
    let day2 = start_time() + DAY * 2;
    server.set_time(day2);
    for off in [MIN * 6, -MIN * 6] {
        machine.clock.set(day2 + off);
        let err = client.validate_now().unwrap_err();
        match &err {
            ClientError::ClockMismatch { server, .. } => assert_eq!(*server, day2),
            other => panic!("expected a clock mismatch, got {other:?}"),
        }
        assert!(
            err.to_string()
                .contains("clock mismatch — set an NTP server")
        );
        assert_eq!(
            client.status().deadline,
            Some(deadline),
            "grace never extended"
        );
    }
    // The refused answers were not stored either.
    drop(client);
    let client = machine.client(&[&server.base], &trust);
    assert_eq!(client.status().deadline, Some(deadline));

    // Four minutes off is within the tolerance.
    machine.clock.set(day2 + MIN * 4);
    client.validate_now().unwrap();
    assert_eq!(client.status().deadline, Some(day2 + DAY * 10));
    server.stop();
}

#[test]
fn setting_the_clock_back_offline_buys_no_days_even_across_a_restart() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    machine
        .client(&[&server.base], &trust)
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    server.stop();

    let offline = machine.client(&[&dead_server()], &trust);
    machine.clock.set(start_time() + DAY * 9);
    assert_eq!(
        offline.status().standing,
        Standing::Warning { days_left: 1 }
    );
    // A failed attempt records the time seen in the state file.
    assert!(offline.validate_now().is_err());

    machine.clock.set(start_time() + DAY * 2);
    let status = offline.status();
    assert_eq!(status.standing, Standing::Warning { days_left: 1 });
    assert!(status.clock_set_back);
    drop(offline);
    let restarted = machine.client(&[&dead_server()], &trust);
    assert_eq!(
        restarted.status().standing,
        Standing::Warning { days_left: 1 }
    );

    machine.clock.set(start_time() + DAY * 11);
    assert!(!restarted.status().may_run());
    machine.clock.set(start_time() + DAY * 5);
    assert!(
        !restarted.status().may_run(),
        "locked stays locked with the clock set back"
    );
}

#[test]
fn a_clock_once_set_ahead_by_mistake_is_forgiven_by_one_success() {
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

    // A year ahead for a moment: the client locks (it cannot tell this from real time).
    machine.clock.set(start_time() + DAY * 365);
    assert!(!client.status().may_run());
    // Clock fixed: the server vouches for it, and the client runs again.
    machine.set_both(&server, start_time() + DAY);
    assert!(!client.status().may_run());
    client.validate_now().unwrap();
    assert_eq!(client.status().standing, Standing::Valid { days_left: 10 });
    assert!(!client.status().clock_set_back);
    server.stop();
}
