//! Webhooks (X7) as use cases: operators register endpoints (their signing secret shown
//! once), list them, delete them, read an endpoint's deliveries and send one again. The
//! `webhooks` job (`jobs/webhooks.rs`) makes and sends the deliveries.

use rand::RngCore;
use tessera_api::{ErrorCode, NewWebhook, Webhook, WebhookDelivery};
use tessera_core::webhook::{endpoint_url, parse_events};
use tessera_store::{DeliveryRecord, WebhookRecord};

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The most deliveries an endpoint's list shows.
pub const MAX_LISTED: u32 = 500;

pub fn to_api(w: WebhookRecord, with_secret: bool) -> Webhook {
    Webhook {
        id: w.id,
        url: w.url,
        events: w.events,
        created_at: w.created_at.to_string(),
        secret: with_secret.then_some(w.secret),
    }
}

pub fn to_api_delivery(d: DeliveryRecord) -> WebhookDelivery {
    WebhookDelivery {
        state: d.state().to_owned(),
        id: d.id,
        endpoint_id: d.endpoint_id,
        event_id: d.event_id,
        event: d.event,
        subject: d.subject,
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error,
        last_attempt_at: d.last_attempt_at.map(|t| t.to_string()),
        next_attempt_at: d.next_attempt_at.to_string(),
        delivered_at: d.delivered_at.map(|t| t.to_string()),
    }
}

/// A fresh signing secret: 32 random bytes, hex, `whsec_` in front.
fn secret() -> String {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    format!("whsec_{}", hex::encode(raw))
}

/// Registers an endpoint; the answer holds its secret, shown this once.
pub async fn create(app: &AppState, op: &Operator, req: &NewWebhook) -> ApiResult<Webhook> {
    let url = endpoint_url(&req.url, app.config.webhooks.allow_http_loopback)
        .map_err(|e| ApiError::invalid(ErrorCode::WebhookUrlInvalid, "url", e))?;
    let events = parse_events(&req.events)
        .map_err(|e| ApiError::invalid(ErrorCode::WebhookEventsInvalid, "events", e))?;
    let created = app
        .store
        .create_webhook(&url, &secret(), &events, app.clock.now())
        .await?;
    tracing::info!(webhook = created.id, operator = %op.username, "webhook endpoint registered");
    Ok(to_api(created, true))
}

pub async fn list(app: &AppState) -> ApiResult<Vec<Webhook>> {
    Ok(app
        .store
        .webhooks()
        .await?
        .into_iter()
        .map(|w| to_api(w, false))
        .collect())
}

pub async fn delete(app: &AppState, op: &Operator, id: i64) -> ApiResult<()> {
    app.store.delete_webhook(id, app.clock.now()).await?;
    tracing::info!(webhook = id, operator = %op.username, "webhook endpoint deleted");
    Ok(())
}

/// One endpoint (without its secret); `WEBHOOK_NOT_FOUND` when there is none of `id`.
pub async fn get(app: &AppState, id: i64) -> ApiResult<Webhook> {
    app.store
        .webhooks()
        .await?
        .into_iter()
        .find(|w| w.id == id)
        .map(|w| to_api(w, false))
        .ok_or_else(|| crate::error::not_found("webhook"))
}

pub async fn deliveries(app: &AppState, id: i64) -> ApiResult<Vec<WebhookDelivery>> {
    get(app, id).await?;
    Ok(app
        .store
        .webhook_deliveries(id, MAX_LISTED)
        .await?
        .into_iter()
        .map(to_api_delivery)
        .collect())
}

/// Sends a delivery again, by hand: due now (the receiver drops it if it had it, by the
/// event's id).
pub async fn replay(app: &AppState, op: &Operator, id: i64) -> ApiResult<WebhookDelivery> {
    let d = app
        .store
        .replay_webhook_delivery(id, app.clock.now())
        .await?;
    tracing::info!(delivery = id, operator = %op.username, "webhook delivery sent again");
    Ok(to_api_delivery(d))
}
