//! Mail (I3) and the job runner, end to end: a real SMTP sink on 127.0.0.1, the server's
//! mail job driven by its settable clock and run by the test, and two instances on one
//! PostgreSQL database.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::Value;
use tessera_api::{JobRuns, OutboxPage, PasswordResetRequest};
use tessera_core::Clock;
use tessera_server::Config;

use crate::fixtures::{IT_VATS, product_with_keys, registration};
use crate::harness::*;

/// The vendor's sender address (the app sends to its own SMTP sink, without TLS).
fn mail_config(config: &mut Config) {
    config.smtp.from = "Licensing <licensing@vendor.example>".into();
    config.smtp.timeout_secs = 5;
}

async fn outbox(app: &TestApp, query: &str) -> OutboxPage {
    ok(
        app.get(&format!("/api/v1/outbox{query}")).await,
        StatusCode::OK,
    )
    .await
}

/// Moves the clock into the next slice of the 10-second mail job, and runs the jobs.
async fn next_mail_run(app: &TestApp) {
    app.clock.advance(SignedDuration::from_secs(11));
    app.run_jobs().await;
}

/// Both instances' runners tick at once, as their timers would.
async fn both_run_jobs(a: &TestApp, b: &TestApp) {
    tokio::join!(a.run_jobs(), b.run_jobs());
}

both_backends!(mail_waits_for_the_server_and_arrives_once with mail_config);

/// The mail server is down when an account registers: the welcome mail waits in the outbox,
/// is retried with backoff, and arrives exactly once when the server is back; it is written
/// in the account's language.
async fn mail_waits_for_the_server_and_arrives_once(mut app: TestApp) {
    app.smtp.stop();
    let keys = product_with_keys(&app, "fleet", 1, 0).await;

    let mut body = registration("jack.white", "jack@example.com", IT_VATS[0], &keys[0]);
    body.language = Some("de".into());
    let account = app.api_as(None).register(&body).await.unwrap();
    assert_eq!(account.language, "de");

    // The server is down: each run defers the message, with a growing wait.
    next_mail_run(&app).await;
    let first = outbox(&app, "").await;
    assert_eq!(first.messages[0].attempts, 1, "a first failed attempt");
    let mail = &first.messages[0];
    assert_eq!(
        (mail.state.as_str(), mail.kind.as_str()),
        ("queued", "account.registered")
    );
    assert!(first.smtp_configured);
    assert!(mail.last_error.is_some(), "{mail:?}");
    let retry_at: jiff::Timestamp = mail.next_attempt_at.as_deref().unwrap().parse().unwrap();
    assert_eq!(retry_at, app.clock.now() + SignedDuration::from_secs(30));
    // Not due yet: another run leaves it alone.
    next_mail_run(&app).await;
    assert_eq!(outbox(&app, "").await.messages[0].attempts, 1);
    app.clock.advance(SignedDuration::from_secs(30));
    app.run_jobs().await;
    assert_eq!(
        outbox(&app, "").await.messages[0].attempts,
        2,
        "a second failed attempt"
    );
    assert!(app.smtp.received().is_empty());

    // Hours later the server is back.
    app.smtp.restart();
    app.clock.advance(SignedDuration::from_hours(3));
    app.run_jobs().await;
    let received = until("the mail to arrive", async || {
        let got = app.smtp.received();
        (!got.is_empty()).then_some(got)
    })
    .await;
    let sent = until("the outbox to record it", async || {
        let page = outbox(&app, "?state=sent").await;
        (!page.messages.is_empty()).then_some(page)
    })
    .await;
    assert_eq!(sent.messages[0].attempts, 3);
    assert_eq!(
        (sent.counts.queued, sent.counts.sent, sent.counts.failed),
        (0, 1, 0)
    );

    // Later runs send nothing again.
    for _ in 0..3 {
        next_mail_run(&app).await;
    }
    assert_eq!(app.smtp.received().len(), 1, "exactly once");
    let mail = &received[0];
    assert_eq!(mail.to, vec!["jack@example.com".to_owned()]);
    assert!(
        mail.from.contains("licensing@vendor.example"),
        "{}",
        mail.from
    );
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Ihr Konto jack.white ist eingerichtet")
    );
    assert!(mail.text().contains(&keys[0]), "{}", mail.text());
    assert!(mail.text().contains("Produktschlüssel"), "{}", mail.text());
    let message_id = mail.header("Message-ID").unwrap();
    assert!(message_id.ends_with("@vendor.example>"), "{message_id}");

    // The operator's view never shows bodies, and checks its filter.
    let page: Value = ok(app.get("/api/v1/outbox").await, StatusCode::OK).await;
    assert!(page["messages"][0].get("body").is_none());
    error(
        app.get("/api/v1/outbox?state=lost").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "OUTBOX_STATE_INVALID",
    )
    .await;
    let jobs: JobRuns = ok(app.get("/api/v1/jobs?job=mail").await, StatusCode::OK).await;
    assert_eq!(
        jobs.runs.len(),
        1,
        "the frequent mail job keeps only its latest run"
    );
    let metrics = app.anonymous_get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("tessera_job_runs_total{job=\"mail\",outcome=\"done\"}"),
        "{metrics}"
    );
    app.stop().await;
}

/// Runs `sql` on the app's database, beside the app (as an older version would have written).
async fn execute(app: &TestApp, sql: &str) {
    use sqlx::Connection;
    match &app.place().database_url {
        Some(url) => {
            let mut db = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut db).await.unwrap();
        }
        None => {
            let path = app.place().data_dir().join("tessera.db");
            let url = format!("sqlite://{}", path.display());
            let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query(sql).execute(&mut db).await.unwrap();
        }
    }
}

both_backends!(stored_text_is_sent_as_it_is_and_an_unrenderable_mail_fails with mail_config);

/// The outbox renders each message from its template when it sends it. A message queued
/// with its text (before the outbox kept contexts) is sent as stored; one whose context its
/// template cannot render is marked failed for good, the error naming the template and not
/// the context's values (a reset code).
async fn stored_text_is_sent_as_it_is_and_an_unrenderable_mail_fails(app: TestApp) {
    let now = app.clock.now().as_microsecond();
    execute(
        &app,
        &format!(
            "INSERT INTO outbox (kind, to_addr, subject, body, created_at) VALUES \
             ('account.registered', 'old@example.com', 'Welcome back', 'Stored text.', {now})"
        ),
    )
    .await;
    execute(
        &app,
        &format!(
            "INSERT INTO outbox (kind, to_addr, subject, body, language, context, created_at) \
             VALUES ('password.reset', 'broken@example.com', '', '', 'it', \
             '{{\"code\": \"s3cret-c0de\"}}', {now})"
        ),
    )
    .await;
    let listed = outbox(&app, "").await;
    let subjects: Vec<&str> = listed.messages.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["", "Welcome back"], "newest first");

    next_mail_run(&app).await;
    let received = until("the stored mail", async || {
        let got = app.smtp.received();
        (!got.is_empty()).then_some(got)
    })
    .await;
    assert_eq!(received[0].to, vec!["old@example.com".to_owned()]);
    assert_eq!(
        received[0].header("Subject").as_deref(),
        Some("Welcome back")
    );
    assert_eq!(received[0].text().trim_end(), "Stored text.");

    let failed = outbox(&app, "?state=failed").await;
    assert_eq!(failed.messages.len(), 1, "{failed:?}");
    let broken = &failed.messages[0];
    assert_eq!(
        (broken.kind.as_str(), broken.attempts),
        ("password.reset", 1)
    );
    let error = broken.last_error.as_deref().unwrap();
    assert!(error.contains("cannot be rendered"), "{error}");
    assert!(error.contains("password.reset"), "{error}");
    assert!(error.contains("undefined"), "{error}");
    assert!(!error.contains("s3cret"), "{error}");

    // Failed for good: later runs leave it alone.
    for _ in 0..2 {
        next_mail_run(&app).await;
    }
    let failed = outbox(&app, "?state=failed").await;
    assert_eq!(failed.messages[0].attempts, 1);
    assert_eq!(app.smtp.received().len(), 1);
    app.stop().await;
}

/// Two instances on one PostgreSQL database, their runners ticking at the same moments:
/// thirty queued messages arrive exactly once each, the daily purge runs once per day, the monthly billing
/// once per month and the hourly expiry once per hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_run_each_job_once() {
    let Some(place) = DataPlace::new(Backend::Postgres) else {
        return; // PgCluster::shared() printed why.
    };
    let a = start(&place, mail_config).await;
    let keys = product_with_keys(&a, "fleet", 1, 0).await;
    a.api_as(None)
        .register(&registration(
            "jack.white",
            "jack@example.com",
            IT_VATS[0],
            &keys[0],
        ))
        .await
        .unwrap();
    for _ in 0..29 {
        let reset = PasswordResetRequest {
            email: "jack@example.com".into(),
        };
        // 202 Accepted, as the typed client checks.
        a.api_as(None).request_password_reset(&reset).await.unwrap();
    }
    // Both send to the one mail server (a's sink).
    let port = a.smtp.port();
    let mut b = start(&place, |config| {
        mail_config(config);
        config.smtp.port = Some(port);
    })
    .await;
    // Both clocks move together, as the clocks of two machines do.
    for app in [&a, &b] {
        app.clock.advance(SignedDuration::from_secs(11));
    }
    both_run_jobs(&a, &b).await;
    until("thirty messages", async || {
        (a.smtp.received().len() >= 30).then_some(())
    })
    .await;
    // Both instances tick a while longer: nothing more may arrive.
    for _ in 0..3 {
        for app in [&a, &b] {
            app.clock.advance(SignedDuration::from_secs(11));
        }
        both_run_jobs(&a, &b).await;
    }
    assert!(b.smtp.received().is_empty());
    let received = a.smtp.received();
    let mut ids: Vec<String> = received
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((received.len(), ids.len()), (30, 30), "each message once");

    // The purge ran once for today's period (it is past 03:00), and once for tomorrow's.
    let periods = |runs: JobRuns| -> Vec<(String, u32, String)> {
        runs.runs
            .into_iter()
            .map(|r| (r.period, r.attempts, r.outcome))
            .collect()
    };
    let today = until("today's purge", async || {
        let runs: JobRuns = ok(a.get("/api/v1/jobs?job=purge").await, StatusCode::OK).await;
        let runs = periods(runs);
        (runs.first().is_some_and(|r| r.2 == "done")).then_some(runs)
    })
    .await;
    assert_eq!(today, vec![("2026-11-23".to_owned(), 1, "done".to_owned())]);
    for app in [&a, &b] {
        app.clock.advance(SignedDuration::from_hours(24));
    }
    both_run_jobs(&a, &b).await;
    b.sign_in().await; // the session of yesterday has expired
    let both = until("tomorrow's purge", async || {
        let runs: JobRuns = ok(b.get("/api/v1/jobs?job=purge").await, StatusCode::OK).await;
        let runs = periods(runs);
        (runs.len() == 2 && runs[0].2 == "done").then_some(runs)
    })
    .await;
    assert_eq!(
        both,
        vec![
            ("2026-11-24".to_owned(), 1, "done".to_owned()),
            ("2026-11-23".to_owned(), 1, "done".to_owned()),
        ]
    );

    // The monthly billing ran once for November; the hourly expiry once for each hour it
    // saw (its history keeps the latest only: 09:00 of the second day).
    let hour = (start_time() + SignedDuration::from_hours(24)).as_second() / 3600;
    for (job, period) in [
        ("billing", "2026-11".to_owned()),
        ("expiry", format!("t{hour}")),
    ] {
        let runs = until(&format!("{job} run"), async || {
            let runs: JobRuns = ok(
                b.get(&format!("/api/v1/jobs?job={job}")).await,
                StatusCode::OK,
            )
            .await;
            let runs = periods(runs);
            (runs.len() == 1 && runs[0].2 == "done").then_some(runs)
        })
        .await;
        assert_eq!(runs, vec![(period, 1, "done".to_owned())], "{job}");
    }
    // A job no one has: refused, not an empty list.
    let unknown = b.get("/api/v1/jobs?job=nosuch").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    a.stop().await;
    b.stop().await;
}
