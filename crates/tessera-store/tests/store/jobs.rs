//! Scheduled jobs' periods: claimed by one holder, taken over only when due.

use crate::*;

both_backends!(job_periods_are_claimed_once, racing_claims_grant_one);

/// A job's period is claimed once: a second holder gets nothing while the first holds its
/// lease or after it finished; a failed run is taken over once its retry time comes; a run
/// whose holder outlived its lease cannot record over the new holder's.
async fn job_periods_are_claimed_once(store: Store) {
    use jiff::SignedDuration;
    use tessera_store::RunEnd;
    let t0 = now();
    let lease = |t: Timestamp| t + SignedDuration::from_mins(5);
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "a", t0, lease(t0))
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "b", t0, lease(t0))
            .await
            .unwrap(),
        None,
        "held by a"
    );
    // Another period of the same job, and the same period of another job, are separate.
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-24", "b", t0, lease(t0))
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .claim_job_run("mail", "2026-11-23", "b", t0, lease(t0))
            .await
            .unwrap(),
        Some(1)
    );

    // a fails; b takes over only when the retry is due.
    let retry_at = t0 + SignedDuration::from_mins(1);
    let failed = RunEnd::Failed {
        error: "boom".into(),
        retry_at,
    };
    assert!(
        store
            .finish_job_run("purge", "2026-11-23", "a", t0, &failed, None)
            .await
            .unwrap()
    );
    let early = t0 + SignedDuration::from_secs(30);
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "b", early, lease(early))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "b", retry_at, lease(retry_at))
            .await
            .unwrap(),
        Some(2)
    );
    // a, which lost the claim, cannot record; b can.
    let done = RunEnd::Done {
        detail: "ok".into(),
    };
    assert!(
        !store
            .finish_job_run("purge", "2026-11-23", "a", retry_at, &done, None)
            .await
            .unwrap()
    );
    assert!(
        store
            .finish_job_run("purge", "2026-11-23", "b", retry_at, &done, None)
            .await
            .unwrap()
    );
    // Finished: nobody claims it again, even long after.
    let later = t0 + SignedDuration::from_hours(20);
    assert_eq!(
        store
            .claim_job_run("purge", "2026-11-23", "a", later, lease(later))
            .await
            .unwrap(),
        None
    );
    let runs = store.job_runs(Some("purge"), 10).await.unwrap();
    let run = runs.iter().find(|r| r.period == "2026-11-23").unwrap();
    assert_eq!(
        (run.holder.as_str(), run.attempts, run.outcome.as_str()),
        ("b", 2, "done")
    );
    assert_eq!(run.detail.as_deref(), Some("ok"));
}

/// Eight holders race for one period: exactly one gets it.
async fn racing_claims_grant_one(store: Store) {
    let t = now();
    let mut tasks = tokio::task::JoinSet::new();
    for holder in 0..8 {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .claim_job_run(
                    "race",
                    "p",
                    &format!("h{holder}"),
                    t,
                    t + jiff::SignedDuration::from_mins(5),
                )
                .await
                .unwrap()
        });
    }
    let mut granted = 0;
    while let Some(claim) = tasks.join_next().await {
        granted += usize::from(claim.unwrap().is_some());
    }
    assert_eq!(granted, 1);
}
