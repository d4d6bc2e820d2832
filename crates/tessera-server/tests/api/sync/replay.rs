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
