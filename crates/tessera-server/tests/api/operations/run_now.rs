//! I3: operators run a job now — the mail job after the mail server is fixed sends what
//! waited for its retry at once; the run is in the history, by whom; an unknown job is 404.

use tessera_api::{JobRun, JobRuns};

use super::*;

both_backends!(an_operator_runs_the_mail_job_now,);

async fn an_operator_runs_the_mail_job_now(mut app: TestApp) {
    app.smtp.stop();
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    // The scheduled run finds the mail server down: the welcome mail waits for a retry.
    app.clock.advance(SignedDuration::from_secs(11));
    app.run_jobs().await;
    assert!(app.smtp.received().is_empty());

    app.smtp.restart();
    let run: JobRun = app.api().run_job("mail").await.unwrap();
    assert_eq!((run.job.as_str(), run.outcome.as_str()), ("mail", "done"));
    assert_eq!(run.holder, "operator:admin");
    assert!(run.period.contains("+now-"), "{}", run.period);
    let received = until("the mail to arrive", async || {
        let got = app.smtp.received();
        (!got.is_empty()).then_some(got)
    })
    .await;
    assert_eq!(received[0].to, vec!["jack@example.com".to_owned()]);
    let history: JobRuns = app.api().jobs(Some("mail")).await.unwrap();
    assert!(history.runs.iter().any(|r| r.period == run.period));

    // Running it again is harmless: nothing is sent twice.
    app.clock.advance(SignedDuration::from_secs(1));
    let again = app.api().run_job("mail").await.unwrap();
    assert_eq!(again.outcome, "done");
    assert_eq!(app.smtp.received().len(), 1);

    refused(
        app.api().run_job("coffee").await,
        StatusCode::NOT_FOUND,
        "JOB_UNKNOWN",
    );
    let account = account_login(&app, "jack").await;
    refused(
        app.api_as(Some(&account)).run_job("mail").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
