//! The sync status and its reasons (G5): off, idle, uploading, downloading, conflicts
//! pending, and error — the clock off by more than 5 minutes, another site's first sync
//! (first_sync.rs), the server out of reach, the site no longer enabled.

use jiff::SignedDuration;
use serde_json::json;
use tessera_client::sync::SyncState;
use tessera_client::{Change, ClientError};

use super::*;

#[test]
fn the_status_says_where_the_site_stands_and_why() {
    let Some(mut w) = CloudWorld::start(Backend::Sqlite, 2) else {
        return;
    };
    let off = w.sites[0].client.sync_status().unwrap();
    assert_eq!(off.state, SyncState::Off, "no codes exchanged yet");
    assert!(matches!(
        w.sites[0].client.push(&mut Host::default()),
        Err(ClientError::CloudNotActivated)
    ));
    w.connect(0);
    w.connect(1);
    let (mut host_a, mut host_b) = (Host::default(), Host::default());
    let (a, b) = (&w.sites[0].client, &w.sites[1].client);
    a.record_all(&fuel_records("a", 8)).unwrap();
    a.first_sync(&mut host_a).unwrap();
    b.first_sync(&mut host_b).unwrap();
    a.pull(&mut host_a).unwrap();
    assert_eq!(a.sync_status().unwrap().state, SyncState::Idle);

    // A change waiting in the outbox.
    let (v, mut driver) = host_a.records[&("drivers".into(), "a-d0".into())].clone();
    driver["name"] = json!("Anna");
    a.record(Change::upsert("drivers", "a-d0", v, driver))
        .unwrap();
    let st = a.sync_status().unwrap();
    assert_eq!(
        (st.state, st.outbox_pending),
        (SyncState::Uploading, Some(1))
    );
    a.push(&mut host_a).unwrap();
    a.pull(&mut host_a).unwrap();

    // Site b has not pulled a's change yet.
    assert_eq!(b.sync_status().unwrap().state, SyncState::Downloading);
    b.pull(&mut host_b).unwrap();
    assert_eq!(b.sync_status().unwrap().state, SyncState::Idle);

    // Both change one driver from the same version: b's comes second, a conflict.
    let (v, driver) = host_b.records[&("drivers".into(), "a-d0".into())].clone();
    let mut mine = driver.clone();
    mine["name"] = json!("Anna Maria");
    a.record(Change::upsert("drivers", "a-d0", v, mine))
        .unwrap();
    a.push(&mut host_a).unwrap();
    let mut theirs = driver;
    theirs["name"] = json!("Annabella");
    b.record(Change::upsert("drivers", "a-d0", v, theirs))
        .unwrap();
    let report = b.push(&mut host_b).unwrap();
    assert_eq!(report.conflicts.len(), 1);
    let st = b.sync_status().unwrap();
    assert_eq!(st.state, SyncState::ConflictsPending);
    assert_eq!(st.open_conflicts, 1);
    assert_eq!(st.conflicts[0].id, "a-d0");

    // The clock 10 minutes ahead: refused, and the status says to set an NTP server.
    w.sites[0]
        .machine
        .clock
        .advance(SignedDuration::from_mins(10));
    let st = a.sync_status().unwrap();
    assert_eq!(st.state, SyncState::Error);
    assert_eq!(st.reason.as_deref(), Some("CLOCK_MISMATCH"));
    assert!(st.message.unwrap().contains("NTP"));
    let mut late = host_a.records[&("drivers".into(), "a-d4".into())].1.clone();
    late["name"] = json!("Late");
    a.record(Change::upsert("drivers", "a-d4", 1, late))
        .unwrap();
    let e = a.push(&mut host_a).unwrap_err();
    assert!(e.is_refusal("CLOCK_MISMATCH"), "{e:?}");
    w.sites[0]
        .machine
        .clock
        .advance(SignedDuration::from_mins(-10));

    // The server out of reach.
    let base = w.server.base.clone();
    w.reopen_with(0, |cfg| {
        cfg.servers = tessera_client::ServerList::new([dead_server()]).unwrap();
    });
    let st = w.sites[0].client.sync_status().unwrap();
    assert_eq!(st.state, SyncState::Error);
    assert_eq!(st.reason.as_deref(), Some("SERVER_UNREACHABLE"));
    assert_eq!(st.outbox_pending, Some(1), "the refused change waits");
    w.reopen(0);
    assert_eq!(w.server.base, base);

    // The vendor suspends site a's license: its cloud access is refused, with the reason.
    w.server.operator().suspend(&w.sites[0].site_id);
    let st = w.sites[0].client.sync_status().unwrap();
    assert_eq!(st.state, SyncState::Error);
    assert_eq!(st.reason.as_deref(), Some("LICENSE_SUSPENDED"));
    let e = w.sites[0].client.pull(&mut host_a).unwrap_err();
    assert!(e.is_refusal("LICENSE_SUSPENDED"), "{e:?}");
}
