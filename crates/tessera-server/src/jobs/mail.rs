//! The `mail` job: delivers what the outbox holds. Each message is claimed for a short lease
//! before it is sent, so two instances never send the same message; a message the server
//! could not take waits (doubling from `smtp.retry_first_secs` up to `retry_max_secs`) and is
//! tried again, however long the server stays away; one it refused for good is marked failed.

use jiff::SignedDuration;
use tessera_core::schedule::backoff;
use tessera_store::Delivery;

use crate::mail::smtp::Attempt;
use crate::state::AppState;

/// Messages read per query.
const BATCH: u32 = 50;
/// How long a sender holds a message: longer than one SMTP conversation may take.
const HOLD: SignedDuration = SignedDuration::from_mins(2);

pub async fn deliver(state: &AppState) -> anyhow::Result<String> {
    let Some(smtp) = &state.smtp else {
        return Ok("no mail server configured; mail stays queued".into());
    };
    let config = &state.config.smtp;
    let first = SignedDuration::from_secs(i64::try_from(config.retry_first_secs).unwrap_or(30));
    let cap = SignedDuration::from_secs(i64::try_from(config.retry_max_secs).unwrap_or(3600));
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
            let attempt = smtp.send(mail).await;
            let now = state.clock.now();
            let outcome = match attempt {
                Attempt::Sent => {
                    sent += 1;
                    Delivery::Sent
                }
                Attempt::Transient(error) => {
                    deferred += 1;
                    let retry_at = now + backoff(mail.attempts + 1, first, cap);
                    tracing::info!(mail = mail.id, kind = %mail.kind, %error, %retry_at, "mail deferred");
                    Delivery::Deferred { error, retry_at }
                }
                Attempt::Permanent(error) => {
                    failed += 1;
                    tracing::warn!(mail = mail.id, kind = %mail.kind, %error, "mail refused for good");
                    Delivery::Failed { error }
                }
            };
            state.store.record_delivery(mail.id, now, &outcome).await?;
            metrics::counter!("tessera_mail_attempts_total", "outcome" => match outcome {
                Delivery::Sent => "sent",
                Delivery::Deferred { .. } => "deferred",
                Delivery::Failed { .. } => "failed",
            })
            .increment(1);
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
