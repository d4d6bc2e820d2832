//! The expiry job's SQL: renewals paid early that start, terms that end, reminders.

use jiff::Timestamp;
use tessera_core::Actor;
use tessera_core::subscription::Reminder;

use super::audit::audit;
use super::outbox::enqueue_mail;
use super::{Pools, drop_unkept};
use crate::outbox::Mail;
use crate::subscriptions::expiry::DueRow;
use crate::subscriptions::{ReminderDue, SUBSCRIPTION_SELECT};
use crate::{Result, StoreError, to_micros};

/// Starts the renewals whose term has begun; the subscriptions renewed.
pub(crate) async fn apply_renewals(db: &Pools, now: Timestamp) -> Result<Vec<i64>> {
    let actor = Actor::System;
    let mut tx = db.begin().await?;
    let due: Vec<(i64, i64, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, next_starts_at, next_plan_id, next_seats, next_keep FROM subscriptions \
         WHERE next_starts_at IS NOT NULL AND next_starts_at <= $1 ORDER BY id",
    )
    .bind(to_micros(now))
    .fetch_all(&mut *tx)
    .await?;
    let mut renewed = Vec::with_capacity(due.len());
    for (id, starts, plan, seats, keep) in due {
        // Another instance may have started it since the read.
        let started = sqlx::query(
            "UPDATE subscriptions SET plan_id = $1, seats = $2, starts_at = $3, \
             next_starts_at = NULL, next_plan_id = NULL, next_seats = NULL, \
             next_keep = NULL, updated_at = $4 WHERE id = $5 AND next_starts_at IS NOT NULL",
        )
        .bind(plan)
        .bind(seats)
        .bind(starts)
        .bind(to_micros(now))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if started == 0 {
            continue;
        }
        let keep: Option<Vec<String>> = keep
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("next_keep: {e}")))?;
        let seats =
            u32::try_from(seats).map_err(|_| StoreError::Corrupt(format!("next_seats {seats}")))?;
        drop_unkept(&mut tx, id, keep.as_deref(), seats, &actor, "renewal", now).await?;
        let action = "subscription.renewed";
        audit(&mut tx, now, &actor, action, "subscription", id, None).await?;
        renewed.push(id);
    }
    tx.commit().await?;
    Ok(renewed)
}

/// Writes down the expiry of every trial and term that ran out by `now`; their ids.
pub(crate) async fn expire_subscriptions(db: &Pools, now: Timestamp) -> Result<Vec<i64>> {
    let mut tx = db.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE subscriptions SET state = 'expired', updated_at = $1 \
         WHERE state IN ('trialing', 'active') AND expires_at <= $1 RETURNING id",
    )
    .bind(to_micros(now))
    .fetch_all(&mut *tx)
    .await?;
    for id in &ids {
        let action = "subscription.expired";
        audit(
            &mut tx,
            now,
            Actor::System,
            action,
            "subscription",
            id,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// The subscriptions (with their accounts) expiring in `(oldest, horizon]`.
pub(crate) async fn expiring(
    db: &Pools,
    horizon: Timestamp,
    oldest: Timestamp,
) -> Result<Vec<DueRow>> {
    let sql = format!(
        "SELECT p.name AS service_name, a.username, a.email, a.language, sub.* \
         FROM ({SUBSCRIPTION_SELECT} \
         WHERE s.state IN ('trialing', 'active', 'expired') \
         AND s.expires_at <= $1 AND s.expires_at > $2) sub \
         JOIN accounts a ON a.id = sub.account_id JOIN plans p ON p.code = sub.plan \
         ORDER BY sub.id"
    );
    Ok(sqlx::query_as::<_, DueRow>(&sql)
        .bind(to_micros(horizon))
        .bind(to_micros(oldest))
        .fetch_all(db.read())
        .await?)
}

/// Queues the reminder unless it was sent for this expiry; whether it was queued now.
pub(crate) async fn queue_reminder(
    db: &Pools,
    due: &ReminderDue,
    kind: Reminder,
    message: &Mail,
    now: Timestamp,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let fresh = sqlx::query(
        "INSERT INTO subscription_reminders (subscription_id, expires_at, kind, sent_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(due.subscription.id)
    .bind(to_micros(due.subscription.expires_at))
    .bind(kind.as_str())
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if fresh {
        enqueue_mail(&mut tx, now, message).await?;
    }
    tx.commit().await?;
    Ok(fresh)
}
