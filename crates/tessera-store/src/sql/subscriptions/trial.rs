//! The free trial's SQL.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::subscription::decide_trial;

use super::Pools;
use super::audit::audit;
use super::outbox::{enqueue_mail, recipient};
use crate::error::duplicate_as;
use crate::plans::PlanRecord;
use crate::{Result, StoreError, from_micros, mails, to_micros};

/// Starts the trial of `plan` running from `starts` to `ends`, once per account and service
/// (`tessera_core::subscription::decide_trial`), and queues its mail (dates in `zone`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn start_trial(
    db: &Pools,
    account_id: i64,
    plan: &PlanRecord,
    (starts, ends): (Timestamp, Timestamp),
    zone: &TimeZone,
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
    let existing = existing
        .map(|bought| bought.map(from_micros).transpose())
        .transpose()?;
    decide_trial(plan.trial_months, existing).map_err(|e| StoreError::Conflict((&e).into()))?;
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
    .map_err(duplicate_as(ErrorCode::TrialUsed))?;
    let to = recipient(&mut tx, account_id).await?;
    let (seats, months) = (plan.trial_sites, plan.trial_months);
    let mail = mails::trial_started(&to, &plan.name, seats, months, ends, zone);
    enqueue_mail(&mut tx, now, &mail).await?;
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
