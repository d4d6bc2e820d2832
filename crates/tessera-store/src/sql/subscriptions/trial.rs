//! The free trial's SQL.

use jiff::Timestamp;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use crate::error::duplicate_as;
use crate::plans::PlanRecord;
use crate::{Result, StoreError, to_micros};

/// Starts the trial of `plan` running from `starts` to `ends`, once per account and service.
pub(crate) async fn start_trial(
    db: &Pools,
    account_id: i64,
    plan: &PlanRecord,
    (starts, ends): (Timestamp, Timestamp),
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let existing: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT purchased_at FROM subscriptions WHERE account_id = $1 AND service = $2",
    )
    .bind(account_id)
    .bind(&plan.service)
    .fetch_optional(&mut *tx)
    .await?;
    match existing {
        Some(Some(_)) => return Err(StoreError::Conflict("TRIAL_AFTER_PURCHASE")),
        Some(None) => return Err(StoreError::Conflict("TRIAL_USED")),
        None => {}
    }
    sqlx::query(
        "INSERT INTO subscriptions (account_id, service, plan_id, state, seats, \
         trial_started_at, starts_at, expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'trialing', $4, $5, $6, $7, $5, $5)",
    )
    .bind(account_id)
    .bind(&plan.service)
    .bind(plan.id)
    .bind(i64::from(plan.trial_sites))
    .bind(to_micros(now))
    .bind(to_micros(starts))
    .bind(to_micros(ends))
    .execute(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as("TRIAL_USED"))?;
    let detail = Some(plan.code.clone());
    audit(
        &mut tx,
        now,
        actor,
        "subscription.trial",
        "account",
        account_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
