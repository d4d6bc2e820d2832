//! The code exchange, the first sync of a few hundred records, a second site pulling the
//! same data, a site waiting for another's first sync, and a reinstalled site restoring.

use std::time::Duration;

use jiff::SignedDuration;
use tessera_client::sync::{PulledRecord, SyncState};
use tessera_client::{AccountRef, ClientError, Outcome, PreCheck, Pushed, SyncHost};

use super::*;

fn exchange_first_sync_and_a_second_site_pulls_the_same(backend: Backend) {
    let Some(mut w) = CloudWorld::start(backend, 2) else {
        return;
    };
    let local = fuel_records("a", 300);
    let (activation, site_code) = w.codes(0);
    let done = w.sites[0]
        .client
        .activate_cloud(
            &activation,
            &site_code,
            PreCheck::Run {
                records: &as_local(&local),
                checks: &[],
            },
        )
        .expect("the data passes and the codes are exchanged");
    assert_eq!(done.site_id, w.sites[0].site_id);
    assert_eq!(done.collections.len(), 4, "the collections come along");

    // The token is in the state file: a restarted program does not ask for the codes again.
    w.reopen_with(0, |cfg| {
        cfg.sync.batch_changes = 64;
        cfg.sync.renew_every = Duration::ZERO;
    });
    let a = &w.sites[0].client;
    assert!(a.cloud_activated());
    assert_eq!(a.sync_status().unwrap().state, SyncState::Idle);

    a.record_all(&local).unwrap();
    assert_eq!(a.outbox_pending().unwrap(), 300);
    let mut host_a = Host::default();
    for c in &local {
        let key = (c.collection.clone(), c.id.clone());
        host_a.records.insert(key, (0, c.data.clone().unwrap()));
    }
    let report = a.first_sync(&mut host_a).expect("the first sync runs");
    assert_eq!(report.pulled.records, 0, "the cloud was empty");
    assert_eq!(report.pushed.applied, 300);
    assert_eq!(report.pushed.batches, 5, "64 changes a batch");
    assert_eq!(report.pushed.replayed, 0);
    assert!(report.renewals >= 5, "the lease renewed before each batch");
    assert_eq!(report.pushed.pending, 0);
    assert_eq!(host_a.pushed.len(), 300);
    assert!(
        host_a
            .pushed
            .iter()
            .all(|p| matches!(p.outcome, Outcome::Applied { version } if version > 0))
    );
    let st = a.sync_status().unwrap();
    assert!(st.first_synced);
    assert_eq!(st.outbox_pending, Some(0));
    assert_eq!(st.latest_version, Some(300));

    // The second site: its codes, an empty first sync, the account's data pulled.
    w.connect(1);
    let mut host_b = Host::default();
    let b = &w.sites[1].client;
    let report = b.first_sync(&mut host_b).unwrap();
    assert_eq!(
        report.pulled.records, 225,
        "drivers, vehicles and users: not a's transactions"
    );
    assert_eq!(report.pushed.batches, 0);
    assert_eq!(host_b.data(true), host_a.data(true), "the same master data");
    assert_eq!(b.sync_status().unwrap().state, SyncState::Idle);

    // Site a pulls its own changes back with their versions; nothing else changed.
    let before = host_a.data(false);
    let pulled = a.pull(&mut host_a).unwrap();
    assert_eq!(pulled.records, 300);
    assert_eq!(pulled.cursor, 300);
    assert_eq!(host_a.data(false), before);
    assert!(host_a.records.values().all(|(v, _)| *v > 0));
    assert_eq!(
        a.pull(&mut host_a).unwrap().records,
        0,
        "the cursor was saved"
    );
}

#[test]
fn exchange_first_sync_and_a_second_site_pulls_the_same_on_sqlite() {
    exchange_first_sync_and_a_second_site_pulls_the_same(Backend::Sqlite);
}

#[test]
fn exchange_first_sync_and_a_second_site_pulls_the_same_on_postgres() {
    exchange_first_sync_and_a_second_site_pulls_the_same(Backend::Postgres);
}

/// A program whose disk fails as it takes a push's outcomes.
struct FailingHost;

impl SyncHost for FailingHost {
    fn apply(&mut self, _: &[PulledRecord]) -> Result<(), String> {
        Ok(())
    }

    fn pushed(&mut self, _: &[Pushed]) -> Result<(), String> {
        Err("disk full".into())
    }
}

#[test]
fn a_site_waits_out_another_sites_first_sync() {
    let Some(mut w) = CloudWorld::start(Backend::Sqlite, 2) else {
        return;
    };
    w.connect(0);
    w.connect(1);
    // Site a's first sync breaks off after its push reached the cloud: it keeps the lease.
    let a = &w.sites[0].client;
    a.record_all(&fuel_records("a", 4)).unwrap();
    let e = a.first_sync(&mut FailingHost).unwrap_err();
    assert_eq!(e.code(), "HOST_FAILED", "{e}");
    assert_eq!(a.sync_status().unwrap().state, SyncState::Uploading);

    // Site b may not start now; told not to wait, it hears when to come back.
    w.reopen_with(1, |cfg| cfg.sync.max_wait = Duration::ZERO);
    let b = &w.sites[1].client;
    let st = b.sync_status().unwrap();
    assert_eq!(st.state, SyncState::Error);
    assert_eq!(st.reason.as_deref(), Some("ANOTHER_SITE_SYNCING"));
    assert_eq!(st.retry_after_secs, Some(120));
    match b.first_sync(&mut Host::default()) {
        Err(ClientError::Refused {
            code,
            retry_after_secs: Some(120),
            ..
        }) => assert_eq!(code, "ANOTHER_SITE_SYNCING"),
        other => panic!("expected ANOTHER_SITE_SYNCING, got {other:?}"),
    }

    // A second before a's lease runs out, b waits for it (Retry-After: 1) and goes on once
    // the lease has run out: a crashed site does not block the account.
    w.server.clock.advance(SignedDuration::from_secs(119));
    w.reopen_with(1, |cfg| cfg.sync.max_wait = Duration::from_secs(30));
    let clock = w.server.clock.clone();
    let mut host_b = Host::default();
    let report = std::thread::scope(|s| {
        s.spawn(move || {
            std::thread::sleep(Duration::from_millis(1500));
            clock.advance(SignedDuration::from_secs(2));
        });
        w.sites[1].client.first_sync(&mut host_b)
    })
    .expect("b's first sync runs after waiting");
    assert!(report.waited_secs >= 1, "{report:?}");
    assert_eq!(
        report.pulled.records, 3,
        "a's master data, pushed before it broke off"
    );

    // Site a starts again: its batch goes again under the same id and is answered as before.
    let mut host_a = Host::default();
    let again = w.sites[0].client.first_sync(&mut host_a).unwrap();
    assert_eq!(again.pushed.batches, 1);
    assert_eq!(again.pushed.replayed, 1);
    assert_eq!(again.pushed.applied, 4);
    assert_eq!(w.latest_version(0), 4, "each change once");
}

#[test]
fn a_reinstalled_site_restores_everything() {
    let Some(w) = CloudWorld::start(Backend::Sqlite, 2) else {
        return;
    };
    w.connect(0);
    w.connect(1);
    let a_data = fuel_records("a", 120);
    let a = &w.sites[0].client;
    a.record_all(&a_data).unwrap();
    a.first_sync(&mut Host::default()).unwrap();
    let b = &w.sites[1].client;
    b.record_all(&fuel_records("b", 40)).unwrap();
    b.first_sync(&mut Host::default()).unwrap();

    // The machine of site a is reinstalled: a fresh state directory, the same machine.
    let machine = Machine::new("fuel-site-0");
    let mut cfg = machine.config(&[&w.server.base], &w.trust);
    cfg.sync.page = 25;
    let fresh = Client::open(cfg).unwrap();
    let again = fresh
        .activate(AccountRef::Email(OFFICE.into()), &w.keys[0])
        .unwrap();
    assert_eq!(again.activation, "again");
    assert_eq!(again.site_id, w.sites[0].site_id);
    assert_eq!(
        fresh.sync_status().unwrap().state,
        SyncState::Off,
        "no cloud token yet"
    );
    let (activation, site_code) = w.codes(0);
    fresh
        .activate_cloud(&activation, &site_code, PreCheck::Skip)
        .unwrap();
    let mut host = Host::default();
    let restored = fresh.restore(&mut host).unwrap();
    assert_eq!(restored.records, 150, "a's 120 and b's 30 account records");
    assert_eq!(restored.pages, 6, "25 a page");
    for c in &a_data {
        let got = &host.records[&(c.collection.clone(), c.id.clone())].1;
        assert_eq!(Some(got), c.data.as_ref(), "{} {}", c.collection, c.id);
    }
    assert!(
        !host
            .records
            .keys()
            .any(|(c, id)| c == "transactions" && id.starts_with("b-")),
        "never another site's transactions"
    );
    assert_eq!(fresh.pull(&mut host).unwrap().records, 0);
    assert_eq!(fresh.sync_status().unwrap().state, SyncState::Idle);
}
