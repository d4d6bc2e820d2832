//! Time and mail in the cloud stories: the clock moved, the jobs run, the mails they send.

use super::*;

/// The value after `label` on a line of a mail's text.
pub(crate) fn code_after(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} in {text}"))
        .trim()
        .to_owned()
}

/// The mail the sink received for `to`, after letting the mail job run.
pub(crate) async fn mail_for(app: &TestApp, to: &str) -> String {
    app.clock.advance(SignedDuration::from_secs(11));
    app.run_jobs().await;
    until(&format!("mail to {to}"), async || {
        app.smtp
            .received()
            .into_iter()
            .find(|m| m.to.iter().any(|t| t == to))
            .map(|m| m.text())
    })
    .await
}

/// Moves the clock to `at` (forward only), lets the jobs run and signs the operator in again.
pub(crate) async fn move_to(app: &mut TestApp, at: Timestamp) {
    app.clock.advance(at.duration_since(app.clock.now()));
    app.run_jobs().await;
    app.sign_in().await;
}

/// Waits for a finished run of the expiry job (of another period than `not`); its period.
pub(crate) async fn last_expiry_run(app: &TestApp, not: Option<&str>) -> String {
    until("an expiry run", async || {
        let runs = app.api().jobs(Some("expiry")).await.unwrap();
        let run = runs.runs.first()?;
        (run.outcome == "done" && Some(run.period.as_str()) != not).then(|| run.period.clone())
    })
    .await
}

/// How many mails of `kind` the outbox holds for `to`.
pub(crate) async fn queued(app: &TestApp, to: &str, kind: &str) -> usize {
    app.store
        .mail_to(to)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.kind == kind)
        .count()
}
