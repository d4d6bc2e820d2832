//! Primary and backup servers (D3): with the primary stopped, validation succeeds against the
//! backup within two seconds, and the client remembers the backup.

use std::time::{Duration, Instant};

use tessera_client::{AccountRef, ClientError, LicenseState};

use crate::support::*;

/// Two instances on one PostgreSQL database, as behind Site1/Site2.
#[test]
fn the_primary_stopped_the_backup_answers_within_two_seconds() {
    let Some(place) = DataPlace::new(Backend::Postgres) else {
        return; // PgCluster::shared() printed why.
    };
    let primary = TestServer::start(&place);
    let backup = TestServer::start(&place);
    let op = primary.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let servers = [primary.base.clone(), backup.base.clone()];
    let servers: Vec<&str> = servers.iter().map(String::as_str).collect();
    let client = machine.client(&servers, &trust);
    let activated = client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    assert_eq!(activated.server, primary.base);
    assert_eq!(client.current_server(), primary.base);
    assert!(
        client
            .test_connection(&backup.base)
            .unwrap()
            .trusted_key_published
    );

    primary.stop();
    let started = Instant::now();
    let v = client.validate_now().expect("the backup answers");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "failover took {took:?}");
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(v.server, backup.base);
    assert_eq!(client.current_server(), backup.base);
    // Saved: a restart starts with the backup.
    drop(client);
    let client = machine.client(&servers, &trust);
    assert_eq!(client.current_server(), backup.base);
    client.validate_now().unwrap();

    // Switching back by hand to a stopped primary still fails over.
    client.select_server(servers[0]).unwrap();
    assert_eq!(client.current_server(), servers[0]);
    assert_eq!(client.validate_now().unwrap().server, backup.base);
    backup.stop();

    // Both down: every server's failure is reported.
    match client.validate_now() {
        Err(ClientError::AllServersFailed(failures)) => {
            assert_eq!(failures.len(), 2);
            assert!(
                failures
                    .iter()
                    .all(|f| f.error.code() == "SERVER_UNREACHABLE")
            );
        }
        other => panic!("expected ALL_SERVERS_FAILED, got {other:?}"),
    }
    assert!(
        client.status().may_run(),
        "a failure does not lock before the deadline"
    );
}

/// SQLite: a primary that is down from the start; the backup takes over at once.
#[test]
fn a_dead_primary_fails_over_on_sqlite_too() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let backup = TestServer::start(&place);
    let op = backup.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let dead = dead_server();
    let client = machine.client(&[&dead, &backup.base], &trust);
    let started = Instant::now();
    let activated = client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    assert_eq!(activated.server, backup.base);
    assert_eq!(client.validate_now().unwrap().server, backup.base);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(client.select_server("http://elsewhere.example").is_err());
    backup.stop();
}
