//! The console's jobs and mail (I3, X8): a job run from the dashboard with how it went and
//! then on the job's own page of runs, an unknown job refused; the mail outbox listed newest first and narrowed by state, a state
//! that is none refused.

use reqwest::StatusCode;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::site::account_with_data;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_runs_a_job_and_reads_the_mail_outbox() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_data(&app, 1).await;
    let mut v = operator(&app).await;
    let fleet = v.get("/operator/fleet").await;
    assert!(fleet.text.contains("action=\"/operator/jobs/mail/run\""));
    assert!(fleet.text.contains("href=\"/operator/outbox\""));
    let csrf = fleet.hidden("csrf").unwrap();

    // Mail queued by the registration, before the mail job ran.
    let queued = v.get("/operator/outbox?state=queued").await;
    assert_eq!(queued.status, StatusCode::OK, "{}", queued.text);
    assert!(
        queued.text.contains("data-state=\"queued\""),
        "{}",
        queued.text
    );
    assert!(!queued.text.contains("data-state=\"sent\""));

    let ran = v.post("/operator/jobs/mail/run", &[("csrf", &csrf)]).await;
    assert_eq!(
        ran.location(),
        "/operator/fleet?ran=mail&outcome=done#fleet-jobs-head"
    );
    // An address typed by hand does not make the page claim a run of no job.
    let made_up = v.get("/operator/fleet?ran=nosuch&outcome=done").await;
    assert!(!made_up.text.contains("ran now"));
    let fleet = v.get("/operator/fleet?ran=mail&outcome=done").await;
    assert!(
        fleet.text.contains("The job mail ran now and is done."),
        "{}",
        fleet.text
    );
    // The job's own page lists that run, linked from the dashboard.
    assert!(fleet.text.contains("href=\"/operator/jobs/mail\""));
    let runs = v.get("/operator/jobs/mail").await;
    assert_eq!(runs.status, StatusCode::OK, "{}", runs.text);
    assert!(runs.text.contains("The job mail"), "{}", runs.text);
    let api_runs = app.api().jobs(Some("mail")).await.unwrap().runs;
    let newest = api_runs.first().expect("the run just made");
    assert!(
        runs.text.contains(&format!(
            "<tr data-run=\"{}\" data-outcome=\"done\">",
            newest.period
        )),
        "{}",
        runs.text
    );
    assert!(runs.text.contains(&newest.holder));
    let nosuch = v.get("/operator/jobs/nosuch").await;
    assert_eq!(nosuch.status, StatusCode::NOT_FOUND);
    assert!(!nosuch.text.contains("nosuch</h1>"));
    let sent = v.get("/operator/outbox?state=sent").await;
    assert!(sent.text.contains("data-state=\"sent\""), "{}", sent.text);
    assert!(!sent.text.contains("data-state=\"queued\""));
    assert_eq!(
        app.api()
            .outbox("?state=queued")
            .await
            .unwrap()
            .counts
            .queued,
        0
    );
    let all = v.get("/operator/outbox").await;
    let counts = all
        .text
        .split("id=\"outbox-counts\">")
        .nth(1)
        .and_then(|c| c.split('<').next())
        .unwrap();
    assert!(counts.starts_with("0 queued, "), "{counts}");
    // Never a mail's body: the registration mail's greeting is nowhere on the page.
    let mail = app
        .smtp
        .received()
        .into_iter()
        .next()
        .expect("a mail was sent");
    let body = mail.text();
    let line = body
        .lines()
        .map(str::trim)
        .find(|l| l.len() > 30 && !l.contains(':'))
        .expect("a line of the body");
    assert!(!all.text.contains(line), "{line}");

    let unknown = v
        .post("/operator/jobs/nosuch/run", &[("csrf", &csrf)])
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.status);
    let bad = v.get("/operator/outbox?state=lost").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}
