//! The `mail` job: delivers what the outbox holds. Each message is claimed for a short lease
//! before it is rendered from its template and sent, so two instances never send the same
//! message; a message the server could not take waits (doubling from
//! `smtp.retry_first_secs` up to `retry_max_secs`) and is tried again, however long the
//! server stays away; one it refused for good, or one that cannot be rendered, is marked
//! failed.

use jiff::SignedDuration;
use tessera_core::schedule::backoff;
use tessera_store::{Delivery, OutboxRecord};

use crate::mail::smtp::{Attempt, SmtpSender};
use crate::state::AppState;

/// Messages read per query.
const BATCH: u32 = 50;
/// How long a sender holds a message: longer than one SMTP conversation may take.
const HOLD: SignedDuration = SignedDuration::from_mins(2);

pub async fn deliver(state: &AppState) -> anyhow::Result<String> {
    let Some(smtp) = &state.smtp else {
        return Ok("no mail server configured; mail stays queued".into());
    };
    let (mut sent, mut deferred, mut failed) = (0u32, 0u32, 0u32);
    'batches: loop {
        let now = state.clock.now();
        let due = state.store.due_mail(now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        for mail in &due {
            let now = state.clock.now();
            if !state.store.claim_mail(mail.id, now, now + HOLD).await? {
                continue; // another sender has it
            }
            let outcome = attempt(state, smtp, mail).await;
            let now = state.clock.now();
            state.store.record_delivery(mail.id, now, &outcome).await?;
            let counted = match outcome {
                Delivery::Sent => (&mut sent, "sent"),
                Delivery::Deferred { .. } => (&mut deferred, "deferred"),
                Delivery::Failed { .. } => (&mut failed, "failed"),
            };
            *counted.0 += 1;
            metrics::counter!("tessera_mail_attempts_total", "outcome" => counted.1).increment(1);
            if matches!(outcome, Delivery::Deferred { .. }) {
                // The server is away: the rest waits for the next run rather than each
                // message waiting out its own timeout now.
                break 'batches;
            }
        }
        if due.len() < BATCH as usize {
            break;
        }
    }
    if sent + deferred + failed > 0 {
        tracing::info!(sent, deferred, failed, "mail delivery run");
    }
    Ok(format!(
        "{sent} sent, {deferred} deferred, {failed} refused"
    ))
}

/// Renders and sends one claimed message. One that cannot be rendered fails for good: a
/// retry would render it the same way.
async fn attempt(state: &AppState, smtp: &SmtpSender, mail: &OutboxRecord) -> Delivery {
    let text = match state.mail.message(mail) {
        Ok(text) => text,
        Err(e) => {
            // The error names the template, never the context's values (a reset code).
            let error = format!("the mail cannot be rendered: {e:#}");
            tracing::error!(mail = mail.id, kind = %mail.kind, %error, "mail failed");
            return Delivery::Failed { error };
        }
    };
    match smtp.send(mail, &text).await {
        Attempt::Sent => Delivery::Sent,
        Attempt::Transient(error) => {
            let config = &state.config.smtp;
            let secs =
                |s: u64, default| SignedDuration::from_secs(i64::try_from(s).unwrap_or(default));
            let first = secs(config.retry_first_secs, 30);
            let cap = secs(config.retry_max_secs, 3600);
            let retry_at = state.clock.now() + backoff(mail.attempts + 1, first, cap);
            tracing::info!(mail = mail.id, kind = %mail.kind, %error, %retry_at, "mail deferred");
            Delivery::Deferred { error, retry_at }
        }
        Attempt::Permanent(error) => {
            tracing::warn!(mail = mail.id, kind = %mail.kind, %error, "mail refused for good");
            Delivery::Failed { error }
        }
    }
}
