//! Seed 000's steps: first connection, one first sync at a time (a second site refused,
//! then let in when the first finishes, and when a crashed site's lease runs out),
//! conflicts listed with both sides and settled, every site pulling the decision, and a
//! reinstalled site restoring from the beginning.

use jiff::SignedDuration;
use tessera_api::ResolveConflict;

use super::*;

both_backends!(the_seed_steps);

async fn the_seed_steps(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    let mut b = Client::new(&app, &w.cloud[1]);
    let mut c = Client::new(&app, &w.cloud[2]);

    // First connection: nothing synced yet; pushing needs a first sync.
    let status = b.api().sync_status(Some(&b.now())).await.unwrap();
    assert_eq!(
        (status.state.as_str(), status.first_synced),
        ("idle", false)
    );
    let m = refused_with(
        b.push(
            "b-0",
            vec![upsert(
                "drivers",
                "x",
                0,
                json!({"name": "X", "ibutton": "X1"}),
            )],
        )
        .await,
        StatusCode::CONFLICT,
        "FIRST_SYNC_REQUIRED",
    );
    assert!(m.contains("first-sync/start"), "{m}");

    // A clock 10 minutes off is refused, saying to set an NTP server.
    let off = (app.clock.now() + SignedDuration::from_mins(10)).to_string();
    let m = refused_with(
        a.api().start_first_sync(&off).await,
        StatusCode::CONFLICT,
        "CLOCK_MISMATCH",
    );
    assert!(m.contains("NTP"), "{m}");
    let status = a.api().sync_status(Some(&off)).await.unwrap();
    assert_eq!(
        (status.state.as_str(), status.reason.as_deref()),
        ("error", Some("CLOCK_MISMATCH"))
    );

    // A's first sync: exclusive. B is refused with when to retry, for start and push.
    let lease = a.api().start_first_sync(&a.now()).await.unwrap();
    assert_eq!(
        (lease.site_id.as_str(), lease.latest_version),
        (w.sites[0].as_str(), 0)
    );
    refused(
        b.api().start_first_sync(&b.now()).await,
        StatusCode::CONFLICT,
        "ANOTHER_SITE_SYNCING",
    );
    refused(
        b.push(
            "b-0",
            vec![upsert(
                "drivers",
                "x",
                0,
                json!({"name": "X", "ibutton": "X1"}),
            )],
        )
        .await,
        StatusCode::CONFLICT,
        "ANOTHER_SITE_SYNCING",
    );
    let status = b.api().sync_status(None).await.unwrap();
    assert_eq!(
        (
            status.state.as_str(),
            status.reason.as_deref(),
            status.retry_after_secs
        ),
        ("error", Some("ANOTHER_SITE_SYNCING"), Some(120))
    );
    assert_eq!(a.api().sync_status(None).await.unwrap().state, "uploading");

    let answer = a
        .push(
            "a-1",
            vec![
                upsert("drivers", "d1", 0, json!({"name": "Anna", "ibutton": "A1"})),
                upsert(
                    "drivers",
                    "d2",
                    0,
                    json!({"name": "Bruno", "ibutton": "B2"}),
                ),
                upsert(
                    "vehicles",
                    "v1",
                    0,
                    json!({"plate": "MO 123", "ibutton": "V1"}),
                ),
                upsert(
                    "users",
                    "u1",
                    0,
                    json!({"nickname": "anna", "web_user": true}),
                ),
                upsert("users", "u2", 0, json!({"nickname": " "})),
                upsert("transactions", "t1", 0, json!({"litres": 40})),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        outcomes(&answer),
        [
            "applied", "applied", "applied", "applied", "refused", "applied"
        ]
    );
    assert_eq!(
        answer.outcomes[4].code.as_deref(),
        Some("REQUIRED_FIELD_MISSING")
    );
    let versions: Vec<_> = answer.outcomes.iter().filter_map(|o| o.version).collect();
    assert_eq!(versions, [1, 2, 3, 4, 5]);
    a.api().renew_first_sync(&a.now()).await.unwrap();
    a.api().finish_first_sync(&a.now()).await.unwrap();

    // B's turn: it pulls the cloud first (not A's transactions), then pushes its own data:
    // the same iButton with other data is a conflict, the same driver under another id is
    // the cloud's record, its transaction is its own.
    b.api().start_first_sync(&b.now()).await.unwrap();
    assert_eq!(b.pull_all(100).await, 4);
    assert!(!b.local.contains_key(&("transactions".into(), "t1".into())));
    let answer = b
        .push(
            "b-1",
            vec![
                upsert(
                    "drivers",
                    "b-7",
                    0,
                    json!({"name": "Anna Rossi", "ibutton": "A1"}),
                ),
                upsert(
                    "drivers",
                    "b-8",
                    0,
                    json!({"name": "Bruno", "ibutton": "B2"}),
                ),
                upsert("transactions", "t1", 0, json!({"litres": 12})),
            ],
        )
        .await
        .unwrap();
    assert_eq!(outcomes(&answer), ["conflict", "same_as", "applied"]);
    assert_eq!(answer.outcomes[1].same_as.as_deref(), Some("d2"));
    let conflict_id = answer.outcomes[0].conflict_id.unwrap();

    // B crashes holding the lease: C waits until it runs out, then goes; B has lost it.
    refused(
        c.api().start_first_sync(&c.now()).await,
        StatusCode::CONFLICT,
        "ANOTHER_SITE_SYNCING",
    );
    app.clock.advance(SignedDuration::from_secs(121));
    c.api().start_first_sync(&c.now()).await.unwrap();
    refused(
        b.api().renew_first_sync(&b.now()).await,
        StatusCode::CONFLICT,
        "SYNC_LEASE_LOST",
    );
    refused(
        b.api().finish_first_sync(&b.now()).await,
        StatusCode::CONFLICT,
        "SYNC_LEASE_LOST",
    );
    c.pull_all(2).await;
    c.api().finish_first_sync(&c.now()).await.unwrap();
    b.api().start_first_sync(&b.now()).await.unwrap();
    b.api().finish_first_sync(&b.now()).await.unwrap();
    assert_eq!(
        b.api().sync_status(None).await.unwrap().state,
        "conflicts_pending"
    );

    // The conflict, both sides; the superadmin keeps the site's data.
    let portal = app.api_as(Some(&w.token));
    let open = portal.sync_conflicts(false).await.unwrap().conflicts;
    assert_eq!(open.len(), 1);
    let x = &open[0];
    assert_eq!(
        (x.id, x.kind.as_str(), x.field.as_deref()),
        (conflict_id, "identifier", Some("ibutton"))
    );
    assert_eq!(
        (x.cloud.record_id.as_str(), x.site.record_id.as_str()),
        ("d1", "b-7")
    );
    assert_eq!(x.cloud.data, Some(json!({"name": "Anna", "ibutton": "A1"})));
    assert_eq!(
        x.site.data,
        Some(json!({"name": "Anna Rossi", "ibutton": "A1"}))
    );
    assert_eq!(x.site_id, w.sites[1]);
    let keep_site = ResolveConflict {
        keep: "site".into(),
        data: None,
    };
    let settled = portal
        .resolve_conflict(conflict_id, &keep_site)
        .await
        .unwrap();
    assert_eq!(settled.resolution.as_deref(), Some("site"));
    refused(
        portal.resolve_conflict(conflict_id, &keep_site).await,
        StatusCode::CONFLICT,
        "CONFLICT_RESOLVED",
    );
    assert!(
        portal
            .sync_conflicts(false)
            .await
            .unwrap()
            .conflicts
            .is_empty()
    );
    assert_eq!(
        portal.sync_conflicts(true).await.unwrap().conflicts.len(),
        1
    );

    // Every site pulls the decision: d1 holds the site's data, and b-7 is gone.
    for site in [&mut a, &mut b, &mut c] {
        site.pull_all(100).await;
        let (_, d1) = &site.local[&("drivers".to_owned(), "d1".to_owned())];
        assert_eq!(d1, &json!({"name": "Anna Rossi", "ibutton": "A1"}));
        assert!(!site.local.contains_key(&("drivers".into(), "b-7".into())));
        assert_eq!(site.api().sync_status(None).await.unwrap().state, "idle");
    }
    assert_eq!(a.master_hash(), b.master_hash());
    assert_eq!(a.master_hash(), c.master_hash());

    // C is reinstalled: its new program pulls from the beginning and has it all back.
    let mut reinstalled = Client::new(&app, &w.cloud[2]);
    reinstalled.pull_all(3).await;
    assert_eq!(reinstalled.master_hash(), a.master_hash());
    // A's own transaction comes back to A only.
    let mut a_again = Client::new(&app, &w.cloud[0]);
    a_again.pull_all(500).await;
    assert_eq!(
        a_again.local[&("transactions".to_owned(), "t1".to_owned())].1,
        json!({"litres": 40})
    );
    assert!(
        !reinstalled
            .local
            .contains_key(&("transactions".into(), "t1".into()))
    );
    app.stop().await;
}
