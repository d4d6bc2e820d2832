//! Webhooks' SQL (X7).

use jiff::Timestamp;

use super::Pools;
use crate::webhooks::{
    Attempted, DELIVERY_SELECT, DeliveryRecord, DeliveryRow, DueDelivery, WebhookRecord,
};
use crate::{Result, StoreError, from_micros, to_micros};

type EndpointRow = (i64, String, String, String, i64);

fn endpoint(row: EndpointRow) -> Result<WebhookRecord> {
    let (id, url, secret, events, created_at) = row;
    Ok(WebhookRecord {
        id,
        url,
        secret,
        events: serde_json::from_str(&events)
            .map_err(|e| StoreError::Corrupt(format!("webhook events: {e}")))?,
        created_at: from_micros(created_at)?,
    })
}

pub(crate) async fn create(
    db: &Pools,
    url: &str,
    secret: &str,
    events: &[String],
    now: Timestamp,
) -> Result<WebhookRecord> {
    let events_json = serde_json::to_string(events).expect("names serialize");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhook_endpoints (url, secret, events, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(url)
    .bind(secret)
    .bind(&events_json)
    .bind(to_micros(now))
    .fetch_one(&mut *db.write().await?)
    .await?;
    Ok(WebhookRecord {
        id,
        url: url.to_owned(),
        secret: secret.to_owned(),
        events: events.to_vec(),
        created_at: now,
    })
}

pub(crate) async fn list(db: &Pools) -> Result<Vec<WebhookRecord>> {
    let rows: Vec<EndpointRow> = sqlx::query_as(
        "SELECT id, url, secret, events, created_at FROM webhook_endpoints \
         WHERE deleted_at IS NULL ORDER BY id",
    )
    .fetch_all(db.read())
    .await?;
    rows.into_iter().map(endpoint).collect()
}

pub(crate) async fn delete(db: &Pools, id: i64, now: Timestamp) -> Result<()> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE webhook_endpoints SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("webhook"));
    }
    sqlx::query(
        "UPDATE webhook_deliveries SET failed_at = $1, last_error = 'the endpoint was deleted' \
         WHERE endpoint_id = $2 AND delivered_at IS NULL AND failed_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn fan_out(db: &Pools, limit: u32) -> Result<u64> {
    let mut tx = db.begin().await?;
    let events: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, kind, subject, created_at FROM webhook_events \
         WHERE fanned_out = FALSE ORDER BY id LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await?;
    if events.is_empty() {
        return Ok(0);
    }
    let endpoints: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, events, created_at FROM webhook_endpoints WHERE deleted_at IS NULL",
    )
    .fetch_all(&mut *tx)
    .await?;
    let endpoints = endpoints
        .into_iter()
        .map(|(id, events, created_at)| {
            let events: Vec<String> = serde_json::from_str(&events)
                .map_err(|e| StoreError::Corrupt(format!("webhook events: {e}")))?;
            Ok((id, events, created_at))
        })
        .collect::<Result<Vec<_>>>()?;
    for (event_id, kind, subject, at) in &events {
        for (endpoint_id, wanted, created_at) in &endpoints {
            if *created_at > *at || !tessera_core::webhook::wants(wanted, kind) {
                continue;
            }
            // Another instance fanning out the same event makes the same row: kept once.
            sqlx::query(
                "INSERT INTO webhook_deliveries (endpoint_id, event_id, subject, next_attempt_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (endpoint_id, event_id) DO NOTHING",
            )
            .bind(endpoint_id)
            .bind(event_id)
            .bind(subject)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE webhook_events SET fanned_out = TRUE WHERE id = $1")
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(events.len() as u64)
}

type DueRow = (i64, i64, String, String, i64, String, String, i64);

pub(crate) async fn due(db: &Pools, now: Timestamp, limit: u32) -> Result<Vec<DueDelivery>> {
    let rows: Vec<DueRow> = sqlx::query_as(
        "SELECT d.id, d.attempts, w.url, w.secret, e.id, e.kind, e.payload, e.created_at \
         FROM webhook_deliveries d \
         JOIN webhook_endpoints w ON w.id = d.endpoint_id \
         JOIN webhook_events e ON e.id = d.event_id \
         WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= $1 \
           AND (d.claimed_until IS NULL OR d.claimed_until < $1) \
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o \
                WHERE o.endpoint_id = d.endpoint_id AND o.subject = d.subject AND o.id < d.id \
                  AND o.delivered_at IS NULL AND o.failed_at IS NULL) \
         ORDER BY d.id LIMIT $2",
    )
    .bind(to_micros(now))
    .bind(i64::from(limit))
    .fetch_all(db.read())
    .await?;
    rows.into_iter()
        .map(
            |(id, attempts, url, secret, event_id, event, payload, at)| {
                Ok(DueDelivery {
                    id,
                    attempts: u32::try_from(attempts)
                        .map_err(|_| StoreError::Corrupt(format!("attempts {attempts}")))?,
                    url,
                    secret,
                    event_id,
                    event,
                    payload,
                    event_at: from_micros(at)?,
                })
            },
        )
        .collect()
}

pub(crate) async fn claim(db: &Pools, id: i64, now: Timestamp, until: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET claimed_until = $1 \
         WHERE id = $2 AND delivered_at IS NULL AND failed_at IS NULL \
           AND (claimed_until IS NULL OR claimed_until < $3)",
    )
    .bind(to_micros(until))
    .bind(id)
    .bind(to_micros(now))
    .execute(&mut *db.write().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn record(
    db: &Pools,
    id: i64,
    now: Timestamp,
    attempted: &Attempted,
) -> Result<()> {
    let now = to_micros(now);
    let (status, error, next, delivered, failed) = match attempted {
        Attempted::Delivered { status } => (Some(i64::from(*status)), None, None, Some(now), None),
        Attempted::Retry { status, error, at } => (
            status.map(i64::from),
            Some(error.as_str()),
            Some(to_micros(*at)),
            None,
            None,
        ),
        Attempted::GaveUp { status, error } => (
            status.map(i64::from),
            Some(error.as_str()),
            None,
            None,
            Some(now),
        ),
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, claimed_until = NULL, \
         last_status = $1, last_error = $2, last_attempt_at = $3, \
         next_attempt_at = COALESCE($4, next_attempt_at), delivered_at = $5, failed_at = $6 \
         WHERE id = $7",
    )
    .bind(status)
    .bind(error)
    .bind(now)
    .bind(next)
    .bind(delivered)
    .bind(failed)
    .bind(id)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

pub(crate) async fn deliveries(
    db: &Pools,
    endpoint_id: i64,
    limit: u32,
) -> Result<Vec<DeliveryRecord>> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "{DELIVERY_SELECT} WHERE d.endpoint_id = $1 ORDER BY d.id DESC LIMIT $2"
    ))
    .bind(endpoint_id)
    .bind(i64::from(limit))
    .fetch_all(db.read())
    .await?;
    rows.into_iter().map(DeliveryRow::into_record).collect()
}

pub(crate) async fn replay(db: &Pools, id: i64, now: Timestamp) -> Result<DeliveryRecord> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET delivered_at = NULL, failed_at = NULL, claimed_until = NULL, \
         next_attempt_at = $1 WHERE id = $2 AND endpoint_id IN \
         (SELECT id FROM webhook_endpoints WHERE deleted_at IS NULL)",
    )
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *db.write().await?)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("webhook delivery"));
    }
    let row: DeliveryRow = sqlx::query_as(&format!("{DELIVERY_SELECT} WHERE d.id = $1"))
        .bind(id)
        .fetch_one(db.read())
        .await?;
    row.into_record()
}

/// Forgets deliveries made or given up before `before`, then the events fanned out before
/// it that no delivery names any more. Returns how many events.
pub(crate) async fn purge(db: &Pools, before: Timestamp) -> Result<u64> {
    let mut tx = db.begin().await?;
    let before = to_micros(before);
    sqlx::query("DELETE FROM webhook_deliveries WHERE COALESCE(delivered_at, failed_at) < $1")
        .bind(before)
        .execute(&mut *tx)
        .await?;
    let events = sqlx::query(
        "DELETE FROM webhook_events WHERE fanned_out = TRUE AND created_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(events)
}
