//! The plans operators sell for a service (E1–E2): price per site and term, the trial, and
//! the editions and sizes a plan covers.

use jiff::Timestamp;
use tessera_core::Actor;
use tessera_core::cloud::Bundle;

use crate::audit::audit;
use crate::error::duplicate_as;
use crate::{Result, Store, StoreError, from_micros, to_micros};

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

const BUNDLES_SQL: &str = "\
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
            None => return Err(StoreError::Conflict("PLAN_COVERS_NOTHING")),
        };
        in_tx!(self, tx => {
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
            .map_err(duplicate_as("PLAN_EXISTS"))?;
            for r in &ids {
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
            audit!(tx, now, actor, "plan.created", "plan", &plan.code, None::<String>);
        });
        self.plan(&plan.code).await
    }

    /// Every plan, by code.
    pub async fn plans(&self) -> Result<Vec<PlanRecord>> {
        let sql = format!("{PLAN_SELECT} ORDER BY l.code");
        let (rows, bundles) = on_db!(self, read, db => {
            let rows = sqlx::query_as::<_, PlanRow>(&sql).fetch_all(db).await?;
            let bundles: Vec<(i64, String, String)> =
                sqlx::query_as(BUNDLES_SQL).fetch_all(db).await?;
            (rows, bundles)
        });
        rows.into_iter().map(|r| to_plan(r, &bundles)).collect()
    }

    /// One plan by code.
    pub async fn plan(&self, code: &str) -> Result<PlanRecord> {
        self.plans()
            .await?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or(StoreError::NotFound("plan"))
    }
}
