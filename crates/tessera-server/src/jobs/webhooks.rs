//! The `webhooks` job (X7): fans the events `audit` wrote out to the endpoints that want
//! them, then sends the deliveries that are due — each claimed for a short lease, so two
//! instances never send one at once — signed with the endpoint's secret. A 2xx answer
//! delivers it; anything else (another status, no answer) retries it later, doubling from
//! 30 s up to an hour, for 72 hours; then it is given up and can be sent again by hand. A
//! subject's deliveries go one after another, in the order of their events.

use std::time::Duration;

use jiff::SignedDuration;
use tessera_core::webhook::{AfterFailure, after_failure, signature};
use tessera_store::{Attempted, DueDelivery};

use crate::state::AppState;

/// Events fanned out and deliveries read per query.
const BATCH: u32 = 200;
/// How long a sender holds a delivery: longer than the longest attempt.
const HOLD: SignedDuration = SignedDuration::from_mins(2);

pub async fn run(state: &AppState) -> anyhow::Result<String> {
    let mut events = 0;
    loop {
        let n = state.store.fan_out_webhook_events(BATCH).await?;
        events += n;
        if n < u64::from(BATCH) {
            break;
        }
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(state.config.webhooks.timeout_secs))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("tessera-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let (mut delivered, mut retried, mut given_up) = (0u32, 0u32, 0u32);
    // Each pass sends the oldest open delivery of each subject; the next pass the following
    // one. A pass that delivered nothing ends the run (the rest is waiting for its time).
    loop {
        let now = state.clock.now();
        let due = state.store.due_webhook_deliveries(now, BATCH).await?;
        let mut progressed = false;
        for d in &due {
            let now = state.clock.now();
            if !state
                .store
                .claim_webhook_delivery(d.id, now, now + HOLD)
                .await?
            {
                continue;
            }
            let attempted = attempt(state, &client, d).await;
            match &attempted {
                Attempted::Delivered { .. } => {
                    delivered += 1;
                    progressed = true;
                }
                Attempted::Retry { .. } => retried += 1,
                Attempted::GaveUp { .. } => {
                    given_up += 1;
                    progressed = true;
                }
            }
            let outcome = match attempted {
                Attempted::Delivered { .. } => "delivered",
                Attempted::Retry { .. } => "retry",
                Attempted::GaveUp { .. } => "given_up",
            };
            metrics::counter!("tessera_webhook_attempts_total", "outcome" => outcome).increment(1);
            state
                .store
                .record_webhook_attempt(d.id, state.clock.now(), &attempted)
                .await?;
        }
        if !progressed {
            break;
        }
    }
    if events + u64::from(delivered + retried + given_up) > 0 {
        tracing::info!(events, delivered, retried, given_up, "webhooks run");
    }
    Ok(format!(
        "{events} events, {delivered} delivered, {retried} to retry, {given_up} given up"
    ))
}

/// The body a receiver gets: the event's id, name and time, and what it says.
fn body(d: &DueDelivery) -> Vec<u8> {
    let mut value: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&d.payload).unwrap_or_default();
    value.insert("id".into(), d.event_id.into());
    value.insert("event".into(), d.event.clone().into());
    value.insert("created_at".into(), d.event_at.to_string().into());
    serde_json::to_vec(&value).expect("JSON serializes")
}

async fn attempt(state: &AppState, client: &reqwest::Client, d: &DueDelivery) -> Attempted {
    let body = body(d);
    let now = state.clock.now();
    let sent = client
        .post(&d.url)
        .header("content-type", "application/json")
        .header("tessera-event", &d.event)
        .header("tessera-event-id", d.event_id.to_string())
        .header("tessera-delivery", d.id.to_string())
        .header("tessera-signature", signature(&d.secret, now, &body))
        .body(body)
        .send()
        .await;
    let (status, error) = match sent {
        Ok(resp) if resp.status().is_success() => {
            return Attempted::Delivered {
                status: resp.status().as_u16(),
            };
        }
        Ok(resp) => (
            Some(resp.status().as_u16()),
            format!("the endpoint answered {}", resp.status()),
        ),
        // No URL, query or secret in the error's words: reqwest names the URL, which the
        // operator registered and sees anyway.
        Err(e) => (None, format!("no answer: {e}")),
    };
    let attempts = d.attempts + 1;
    match after_failure(attempts, d.event_at, state.clock.now()) {
        AfterFailure::RetryAt(at) => Attempted::Retry { status, error, at },
        AfterFailure::GiveUp => Attempted::GaveUp { status, error },
    }
}
