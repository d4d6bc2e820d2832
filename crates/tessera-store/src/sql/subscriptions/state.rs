//! The SQL of operators' changes to a subscription's state.

use jiff::Timestamp;
use tessera_core::Actor;
use tessera_core::subscription::{SubscriptionState, change_state};

use super::audit::audit;
use super::{Pools, row_lock};
use crate::subscriptions::{SUBSCRIPTION_SELECT, StateChange, SubscriptionRecord, SubscriptionRow};
use crate::{Result, StoreError, to_micros};

/// Sets the state; the subscription as it is afterwards.
pub(crate) async fn set_subscription_state(
    db: &Pools,
    id: i64,
    change: StateChange,
    note: Option<&str>,
    actor: &Actor,
    now: Timestamp,
) -> Result<SubscriptionRow> {
    let lock = row_lock(" FOR UPDATE OF s");
    let sql = format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1{lock}");
    let mut tx = db.begin().await?;
    let sub: SubscriptionRecord = sqlx::query_as::<_, SubscriptionRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("subscription"))?
        .try_into()?;
    let state = change_state(sub.state, sub.purchased_at.is_some(), change)
        .map_err(|why| StoreError::Conflict(why.into()))?;
    sqlx::query(
        "UPDATE subscriptions SET state = $1, state_note = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(state.as_str())
    .bind(note)
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if state == SubscriptionState::Deleted {
        // Remembered, so that their holders learn why they are refused.
        sqlx::query(
            "INSERT INTO deleted_cloud_sites (site_id, subscription_id, \
             activation_code_hash, site_code, token_hash, deleted_at) \
             SELECT site_id, subscription_id, activation_code_hash, site_code, token_hash, $2 \
             FROM cloud_sites WHERE subscription_id = $1 \
             ON CONFLICT (site_id) DO UPDATE SET subscription_id = excluded.subscription_id, \
             activation_code_hash = excluded.activation_code_hash, \
             site_code = excluded.site_code, token_hash = excluded.token_hash, \
             deleted_at = excluded.deleted_at",
        )
        .bind(id)
        .bind(to_micros(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM cloud_sites WHERE subscription_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let action = "subscription.state";
    let detail = Some(match note {
        Some(note) => format!("{}: {note}", state.as_str()),
        None => state.as_str().to_owned(),
    });
    audit(&mut tx, now, actor, action, "subscription", id, detail).await?;
    tx.commit().await?;
    let sql = format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1");
    Ok(sqlx::query_as::<_, SubscriptionRow>(&sql)
        .bind(id)
        .fetch_one(&mut *db.write().await?)
        .await?)
}
