//! The plans operators sell for a service (E1–E2): price per site and term, the trial, and
//! the editions and sizes a plan covers.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::cloud::Bundle;

use crate::{Result, Store, StoreError, from_micros};

/// A plan as operators define it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan {
    pub code: String,
    pub service: String,
    pub name: String,
    pub article_code: String,
    /// Per site and term, in the currency's minor unit.
    pub price: i64,
    pub currency: String,
    pub period_months: u32,
    pub trial_months: u32,
    /// How many sites the trial may enable.
    pub trial_sites: u32,
    pub product: String,
    pub bundles: Vec<Bundle>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub id: i64,
    pub code: String,
    pub service: String,
    pub name: String,
    pub article_code: String,
    pub price: i64,
    pub currency: String,
    pub period_months: u32,
    pub trial_months: u32,
    pub trial_sites: u32,
    pub product: String,
    pub bundles: Vec<Bundle>,
    pub created_at: Timestamp,
}

impl PlanRecord {
    pub fn covers(&self, bundle: &Bundle) -> bool {
        self.bundles.contains(bundle)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PlanRow {
    id: i64,
    code: String,
    service: String,
    name: String,
    article_code: String,
    price: i64,
    currency: String,
    period_months: i64,
    trial_months: i64,
    trial_sites: i64,
    product: String,
    created_at: i64,
}

pub(crate) const PLAN_SELECT: &str = "\
    SELECT l.id, l.code, l.service, l.name, l.article_code, l.price, l.currency, \
           l.period_months, l.trial_months, l.trial_sites, p.code AS product, l.created_at \
    FROM plans l JOIN products p ON p.id = l.product_id";

pub(crate) const BUNDLES_SQL: &str = "\
    SELECT b.plan_id, e.code, z.code FROM plan_bundles b \
    JOIN editions e ON e.id = b.edition_id JOIN sizes z ON z.id = b.size_id \
    ORDER BY e.rank, z.code";

fn count(v: i64, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{what} {v}")))
}

pub(crate) fn to_plan(r: PlanRow, bundles: &[(i64, String, String)]) -> Result<PlanRecord> {
    Ok(PlanRecord {
        bundles: bundles
            .iter()
            .filter(|b| b.0 == r.id)
            .map(|(_, edition, size)| Bundle {
                edition: edition.clone(),
                size: size.clone(),
            })
            .collect(),
        id: r.id,
        code: r.code,
        service: r.service,
        name: r.name,
        article_code: r.article_code,
        price: r.price,
        currency: r.currency,
        period_months: count(r.period_months, "period_months")?,
        trial_months: count(r.trial_months, "trial_months")?,
        trial_sites: count(r.trial_sites, "trial_sites")?,
        product: r.product,
        created_at: from_micros(r.created_at)?,
    })
}

impl Store {
    /// Adds a plan. `PLAN_EXISTS`; the product, an edition or a size not found.
    #[tracing::instrument(level = "debug", skip_all, fields(plan = %plan.code))]
    pub async fn create_plan(
        &self,
        plan: &NewPlan,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<PlanRecord> {
        let mut ids = Vec::with_capacity(plan.bundles.len());
        for b in &plan.bundles {
            let r = self
                .resolve_product_ref(&plan.product, &b.edition, &b.size)
                .await?;
            ids.push(r);
        }
        let product_id = match ids.first() {
            Some(r) => r.product_id,
            None => return Err(StoreError::Conflict(ErrorCode::PlanCoversNothing)),
        };
        on_backend!(self, |db| sql::plans::create_plan(
            db, plan, product_id, &ids, actor, now
        ))?;
        self.plan(&plan.code).await
    }

    /// Every plan, by code.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn plans(&self) -> Result<Vec<PlanRecord>> {
        let (rows, bundles) = on_backend!(self, |db| sql::plans::plans(db))?;
        rows.into_iter().map(|r| to_plan(r, &bundles)).collect()
    }

    /// One plan by code.
    #[tracing::instrument(level = "debug", skip_all, fields(plan = code))]
    pub async fn plan(&self, code: &str) -> Result<PlanRecord> {
        self.plans()
            .await?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or(StoreError::NotFound("plan"))
    }
}
