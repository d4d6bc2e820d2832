//! A push sent again (a lost answer, a crash, a timeout) with the same batch id gives the
//! same answer and leaves one copy; the same id with other changes is refused (G6).

use jiff::SignedDuration;

use super::*;

both_backends!(a_replayed_push_gives_the_same_answer_and_one_copy);

async fn a_replayed_push_gives_the_same_answer_and_one_copy(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    first_synced(&a).await;
    let changes = vec![
        upsert("drivers", "d1", 0, json!({"name": "Anna", "ibutton": "A1"})),
        upsert("transactions", "t1", 0, json!({"litres": 40})),
        upsert("transactions", "t2", 0, json!({"litres": 41})),
    ];
    let first = a.push("batch-1", changes.clone()).await.unwrap();
    assert!(!first.replayed);
    let again = a.push("batch-1", changes.clone()).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.outcomes, first.outcomes);
    let mut other = changes.clone();
    other[2] = upsert("transactions", "t2", 0, json!({"litres": 99}));
    refused(
        a.push("batch-1", other).await,
        StatusCode::CONFLICT,
        "BATCH_ID_REUSED",
    );

    let mut fresh = Client::new(&app, &w.cloud[0]);
    assert_eq!(fresh.pull_all(100).await, 3);
    let status = a.api().sync_status(None).await.unwrap();
    assert_eq!(status.latest_version, 3);
    app.stop().await;
}

both_backends!(a_batch_sent_after_its_answer_was_purged_changes_nothing);

/// The daily purge forgets a batch's answer after `sync_batch_days` (90); a site that sends
/// the batch later still finds what it sent in the cloud, `unchanged`, not a second copy.
async fn a_batch_sent_after_its_answer_was_purged_changes_nothing(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    first_synced(&a).await;
    let changes = vec![
        upsert("drivers", "d1", 0, json!({"name": "Anna", "ibutton": "A1"})),
        upsert("transactions", "t1", 0, json!({"litres": 40})),
    ];
    let first = a.push("batch-1", changes.clone()).await.unwrap();
    // 89 days on, the answer is still kept.
    app.clock.advance(SignedDuration::from_hours(24 * 89));
    app.run_jobs().await;
    let kept = a.push("batch-1", changes.clone()).await.unwrap();
    assert!(kept.replayed);
    app.clock.advance(SignedDuration::from_hours(24 * 2));
    app.run_jobs().await;
    let later = a.push("batch-1", changes).await.unwrap();
    assert!(!later.replayed, "the answer was purged");
    assert_eq!(outcomes(&later), ["unchanged", "unchanged"]);
    let versions =
        |x: &PushAnswer| -> Vec<Option<i64>> { x.outcomes.iter().map(|o| o.version).collect() };
    assert_eq!(versions(&later), versions(&first));
    let status = a.api().sync_status(None).await.unwrap();
    assert_eq!(status.latest_version, 2);
    app.stop().await;
}

both_backends!(the_same_batch_sent_several_times_at_once_is_applied_once);

/// A client that gives up waiting and sends its batch again while the first copy is still
/// being applied (on PostgreSQL through a second instance as well): one copy is applied, the
/// others wait for it and answer as its replay. (400 changes, so that the copies overlap.)
async fn the_same_batch_sent_several_times_at_once_is_applied_once(app: TestApp) {
    let second = second_instance(&app).await;
    let w = world(&app).await;
    first_synced(&Client::new(&app, &w.cloud[0])).await;
    if let Some(second) = &second {
        second.clock.set(app.clock.now());
    }
    let instances: Vec<&TestApp> = std::iter::once(&app).chain(second.as_ref()).collect();
    let changes: Vec<PushChange> = (0..400)
        .map(|k| upsert("transactions", &format!("t{k}"), 0, json!({"litres": k})))
        .chain([upsert(
            "drivers",
            "d1",
            0,
            json!({"name": "Anna", "ibutton": "A1"}),
        )])
        .collect();
    let req = PushRequest {
        batch_id: "batch-1".into(),
        client_time: app.clock.now().to_string(),
        changes,
    };
    let mut pushes = Vec::new();
    for i in 0..8 {
        let api = instances[i % instances.len()].api_as(Some(&w.cloud[0]));
        let req = req.clone();
        pushes.push(tokio::spawn(async move {
            api.push_changes(&req).await.unwrap()
        }));
    }
    let mut answers = Vec::new();
    for push in pushes {
        answers.push(push.await.unwrap());
    }
    let applied: Vec<&PushAnswer> = answers.iter().filter(|a| !a.replayed).collect();
    assert_eq!(applied.len(), 1, "one copy is applied");
    assert!(applied[0].outcomes.iter().all(|o| o.outcome == "applied"));
    for answer in &answers {
        assert_eq!(answer.outcomes, applied[0].outcomes);
    }
    let mut fresh = Client::new(&app, &w.cloud[0]);
    assert_eq!(fresh.pull_all(100).await, 401);
    let status = fresh.api().sync_status(None).await.unwrap();
    assert_eq!(status.latest_version, 401);
    if let Some(second) = second {
        second.stop().await;
    }
    app.stop().await;
}
