//! Webhooks (X7): the endpoints operators register, the events `audit` writes with each
//! change, and their deliveries (one per endpoint and event), sent with retries.

use jiff::Timestamp;

use crate::{Result, Store, StoreError, from_micros};

/// A registered endpoint. The secret is read only to sign deliveries.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub events: Vec<String>,
    pub created_at: Timestamp,
}

impl std::fmt::Debug for WebhookRecord {
    /// Without the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookRecord")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}

/// A delivery ready to send: its endpoint, its event.
#[derive(Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: i64,
    pub attempts: u32,
    pub url: String,
    pub secret: String,
    pub event_id: i64,
    pub event: String,
    /// What the event says: subject, actor, detail (JSON).
    pub payload: String,
    pub event_at: Timestamp,
}

impl std::fmt::Debug for DueDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueDelivery")
            .field("id", &self.id)
            .field("event_id", &self.event_id)
            .field("event", &self.event)
            .finish_non_exhaustive()
    }
}

/// A delivery as operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: i64,
    pub endpoint_id: i64,
    pub event_id: i64,
    pub event: String,
    pub subject: String,
    pub attempts: u32,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<Timestamp>,
    pub next_attempt_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
    pub failed_at: Option<Timestamp>,
}

impl DeliveryRecord {
    /// `delivered`, `failed` or `pending`.
    pub fn state(&self) -> &'static str {
        if self.delivered_at.is_some() {
            "delivered"
        } else if self.failed_at.is_some() {
            "failed"
        } else {
            "pending"
        }
    }
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempted {
    Delivered {
        status: u16,
    },
    Retry {
        status: Option<u16>,
        error: String,
        at: Timestamp,
    },
    GaveUp {
        status: Option<u16>,
        error: String,
    },
}

#[derive(sqlx::FromRow)]
pub(crate) struct DeliveryRow {
    id: i64,
    endpoint_id: i64,
    event_id: i64,
    event: String,
    subject: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    last_attempt_at: Option<i64>,
    next_attempt_at: i64,
    delivered_at: Option<i64>,
    failed_at: Option<i64>,
}

pub(crate) const DELIVERY_SELECT: &str = "\
    SELECT d.id, d.endpoint_id, d.event_id, e.kind AS event, d.subject, d.attempts, \
           d.last_status, d.last_error, d.last_attempt_at, d.next_attempt_at, d.delivered_at, \
           d.failed_at \
    FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id";

impl DeliveryRow {
    pub(crate) fn into_record(self) -> Result<DeliveryRecord> {
        Ok(DeliveryRecord {
            id: self.id,
            endpoint_id: self.endpoint_id,
            event_id: self.event_id,
            event: self.event,
            subject: self.subject,
            attempts: u32::try_from(self.attempts)
                .map_err(|_| StoreError::Corrupt(format!("attempts {}", self.attempts)))?,
            last_status: self.last_status,
            last_error: self.last_error,
            last_attempt_at: self.last_attempt_at.map(from_micros).transpose()?,
            next_attempt_at: from_micros(self.next_attempt_at)?,
            delivered_at: self.delivered_at.map(from_micros).transpose()?,
            failed_at: self.failed_at.map(from_micros).transpose()?,
        })
    }
}

impl Store {
    /// Registers an endpoint for `events` (checked by the use case).
    pub async fn create_webhook(
        &self,
        url: &str,
        secret: &str,
        events: &[String],
        now: Timestamp,
    ) -> Result<WebhookRecord> {
        on_backend!(self, |db| sql::webhooks::create(
            db, url, secret, events, now
        ))
    }

    /// The endpoints not deleted, oldest first.
    pub async fn webhooks(&self) -> Result<Vec<WebhookRecord>> {
        on_backend!(self, |db| sql::webhooks::list(db))
    }

    /// Deletes an endpoint; its deliveries not made yet are given up.
    pub async fn delete_webhook(&self, id: i64, now: Timestamp) -> Result<()> {
        on_backend!(self, |db| sql::webhooks::delete(db, id, now))
    }

    /// Makes the deliveries of up to `limit` events not yet fanned out, one per endpoint that
    /// wants the event (and existed when it happened). Returns how many events.
    pub async fn fan_out_webhook_events(&self, limit: u32) -> Result<u64> {
        on_backend!(self, |db| sql::webhooks::fan_out(db, limit))
    }

    /// Deliveries due at `now`, each the oldest open one of its endpoint and subject (so a
    /// subject's events go in order), oldest first.
    pub async fn due_webhook_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<DueDelivery>> {
        on_backend!(self, |db| sql::webhooks::due(db, now, limit))
    }

    /// Claims a delivery until `until`; false when another sender holds it or it is done.
    pub async fn claim_webhook_delivery(
        &self,
        id: i64,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        on_backend!(self, |db| sql::webhooks::claim(db, id, now, until))
    }

    /// Writes down an attempt and releases the claim.
    pub async fn record_webhook_attempt(
        &self,
        id: i64,
        now: Timestamp,
        attempted: &Attempted,
    ) -> Result<()> {
        on_backend!(self, |db| sql::webhooks::record(db, id, now, attempted))
    }

    /// An endpoint's latest deliveries, newest first.
    pub async fn webhook_deliveries(
        &self,
        endpoint_id: i64,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>> {
        on_backend!(self, |db| sql::webhooks::deliveries(db, endpoint_id, limit))
    }

    /// Forgets deliveries made or given up before `before` and the events fanned out before
    /// it that none names any more (the daily purge). Returns how many events.
    pub async fn purge_webhooks(&self, before: Timestamp) -> Result<u64> {
        on_backend!(self, |db| sql::webhooks::purge(db, before))
    }

    /// Sends a delivery again (delivered, failed or pending): due now, its claim dropped.
    pub async fn replay_webhook_delivery(&self, id: i64, now: Timestamp) -> Result<DeliveryRecord> {
        on_backend!(self, |db| sql::webhooks::replay(db, id, now))
    }
}
