//! Plans' SQL.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use crate::error::duplicate_as;
use crate::plans::{BUNDLES_SQL, NewPlan, PLAN_SELECT, PlanRow};
use crate::{ProductRef, Result, StoreError, to_micros};

/// Inserts the plan and the bundles it covers (`ids`, all of `product_id`).
pub(crate) async fn create_plan(
    db: &Pools,
    plan: &NewPlan,
    product_id: i64,
    ids: &[ProductRef],
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO plans (code, service, name, article_code, price, currency, \
         period_months, trial_months, trial_sites, product_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(&plan.code)
    .bind(&plan.service)
    .bind(&plan.name)
    .bind(&plan.article_code)
    .bind(plan.price)
    .bind(&plan.currency)
    .bind(i64::from(plan.period_months))
    .bind(i64::from(plan.trial_months))
    .bind(i64::from(plan.trial_sites))
    .bind(product_id)
    .bind(to_micros(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as(ErrorCode::PlanExists))?;
    for r in ids {
        sqlx::query(
            "INSERT INTO plan_bundles (plan_id, edition_id, size_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(r.edition_id)
        .bind(r.size_id)
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut tx,
        now,
        actor,
        "plan.created",
        "plan",
        &plan.code,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every plan by code, and every plan's bundles (plan id, edition, size).
pub(crate) async fn plans(db: &Pools) -> Result<(Vec<PlanRow>, Vec<(i64, String, String)>)> {
    let sql = format!("{PLAN_SELECT} ORDER BY l.code");
    let rows = sqlx::query_as::<_, PlanRow>(&sql)
        .fetch_all(db.read())
        .await?;
    let bundles = sqlx::query_as(BUNDLES_SQL).fetch_all(db.read()).await?;
    Ok((rows, bundles))
}
