//! A batch the cloud refuses as a whole, for a reason the library does not check when the
//! change is recorded (here a program set to batches bigger than the server takes:
//! `BODY_TOO_LARGE`): every push sends the same batch and fails; the program reads the
//! batch, takes it back, records again what it still wants, and the outbox goes on.

use tessera_client::sync::SyncState;

use super::*;

fn a_batch_refused_as_a_whole_is_taken_back_and_the_rest_goes(backend: Backend) {
    let Some(mut w) = CloudWorld::start(backend, 2) else {
        return;
    };
    w.connect(0);
    w.connect(1);
    w.sites[0].client.first_sync(&mut Host::default()).unwrap();
    w.sites[1].client.first_sync(&mut Host::default()).unwrap();
    // Batches of up to 4 MiB, against the server's 256 KiB.
    w.reopen_with(0, |cfg| cfg.sync.batch_bytes = 4 << 20);
    let a = &w.sites[0].client;
    assert_eq!(a.outbox_batch().unwrap(), None, "nothing sent yet");
    // Six drivers of about 60 KiB each (each within the 64 KiB a record may hold).
    let big: Vec<Change> = (0..6)
        .map(|i| {
            let name = format!("Driver {i} {}", "x".repeat(60_000));
            Change::upsert(
                "drivers",
                format!("big-d{i}"),
                0,
                json!({"ibutton": format!("big-IB-D{i}"), "name": name}),
            )
        })
        .collect();
    a.record_all(&big).unwrap();
    a.record_all(&fuel_records("after", 8)).unwrap();

    // Refused as a whole, push after push: the same batch each time.
    let mut batch_ids = Vec::new();
    for _ in 0..2 {
        let e = a.push(&mut Host::default()).unwrap_err();
        assert_eq!(e.reason(), "BODY_TOO_LARGE", "{e:?}");
        let batch = a.outbox_batch().unwrap().expect("the batch that was sent");
        assert_eq!(
            batch.changes.len(),
            14,
            "everything fits the setting: one batch"
        );
        batch_ids.push(batch.batch_id);
    }
    assert_eq!(batch_ids[0], batch_ids[1], "sent again under its id");
    assert_eq!(a.outbox_pending().unwrap(), 14);
    // The status says why nothing leaves (G5), after a restart too.
    w.reopen_with(0, |cfg| cfg.sync.batch_bytes = 4 << 20);
    let a = &w.sites[0].client;
    let status = a.sync_status().unwrap();
    assert_eq!(
        (status.state, status.reason.as_deref()),
        (SyncState::Error, Some("BODY_TOO_LARGE")),
        "{status:?}"
    );
    assert!(
        status.message.as_deref().unwrap().contains(&batch_ids[0]),
        "{status:?}"
    );

    // Taken back: a wrong id is refused, the right one hands the changes back.
    let e = a.take_back_batch("b-not-this-one").unwrap_err();
    assert_eq!(e.code(), "BATCH_NOT_OPEN");
    let taken = a.take_back_batch(&batch_ids[0]).unwrap();
    assert_eq!(taken.len(), 14);
    assert_eq!(a.outbox_pending().unwrap(), 0);
    assert_eq!(a.outbox_batch().unwrap(), None);
    assert_eq!(a.sync_status().unwrap().state, SyncState::Idle);

    // The program fixes its setting and records again what it still wants: the small
    // changes and two of the big drivers. They go, in new batches.
    w.reopen_with(0, |cfg| cfg.sync.batch_bytes = 192 * 1024);
    let a = &w.sites[0].client;
    assert_eq!(
        a.outbox_pending().unwrap(),
        0,
        "taken back stays taken back"
    );
    let again: Vec<Change> = taken
        .into_iter()
        .filter(|c| !c.id.starts_with("big-") || c.id == "big-d0" || c.id == "big-d1")
        .collect();
    a.record_all(&again).unwrap();
    let report = a.push(&mut Host::default()).unwrap();
    assert_eq!(report.applied, 10);
    assert_eq!(report.pending, 0);
    assert_eq!(
        w.latest_version(1),
        10,
        "nothing of the taken-back batch before"
    );
    let mut b = Host::default();
    w.sites[1].client.pull(&mut b).unwrap();
    assert!(b.records.contains_key(&("drivers".into(), "big-d1".into())));
    assert!(!b.records.contains_key(&("drivers".into(), "big-d2".into())));

    // A deletion of a record the cloud never held (big-d2, given up): unchanged, at
    // version 0, and the outbox goes on.
    a.record(Change::delete("drivers", "big-d2", 0)).unwrap();
    let report = a.push(&mut Host::default()).unwrap();
    assert_eq!((report.unchanged, report.pending), (1, 0), "{report:?}");
}

#[test]
fn a_batch_refused_as_a_whole_is_taken_back_and_the_rest_goes_on_sqlite() {
    a_batch_refused_as_a_whole_is_taken_back_and_the_rest_goes(Backend::Sqlite);
}

#[test]
fn a_batch_refused_as_a_whole_is_taken_back_and_the_rest_goes_on_postgres() {
    a_batch_refused_as_a_whole_is_taken_back_and_the_rest_goes(Backend::Postgres);
}
