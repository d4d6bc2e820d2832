//! Per-site monthly services (F1–F3): the catalog, switching a service on and off at a site
//! (each switch queues its confirmation mail in the same transaction), and the monthly
//! billing that turns the on/off stretches into invoice lines by the rule in
//! `tessera_core::monthly`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use tessera_core::Actor;
use tessera_core::monthly::{ServicePeriod, YearMonth, is_charged};

use crate::audit::audit;
use crate::outbox::{Mail, enqueue_mail};
use crate::sites::SiteScope;
use crate::{Result, Store, StoreError, from_micros, to_micros};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Per month, in the currency's minor unit.
    pub monthly_price: i64,
    pub currency: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    code: String,
    name: String,
    monthly_price: i64,
    currency: String,
    created_at: i64,
}

impl TryFrom<ServiceRow> for ServiceRecord {
    type Error = StoreError;
    fn try_from(r: ServiceRow) -> Result<Self> {
        Ok(ServiceRecord {
            id: r.id,
            code: r.code,
            name: r.name,
            monthly_price: r.monthly_price,
            currency: r.currency,
            created_at: from_micros(r.created_at)?,
        })
    }
}

/// One stretch of a service at a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StretchRecord {
    pub service: String,
    pub on: Date,
    pub off: Option<Date>,
}

/// A billed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLineRecord {
    pub account_id: i64,
    pub site: String,
    pub service: String,
    pub month: String,
    pub amount: i64,
    pub currency: String,
}

/// The site a switch concerns, as the mail about it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switched {
    pub account_id: i64,
    pub service: ServiceRecord,
}

/// A stretch that touches the month being billed, with what its line needs.
#[derive(sqlx::FromRow)]
struct BillableRow {
    account_id: i64,
    site_id: i64,
    service_id: i64,
    monthly_price: i64,
    currency: String,
    on_date: String,
    off_date: Option<String>,
}

/// One site's service in the month being billed: its stretches and its price.
struct Billable {
    account_id: i64,
    price: i64,
    currency: String,
    periods: Vec<ServicePeriod>,
}

fn date(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

const SERVICE_COLUMNS: &str = "id, code, name, monthly_price, currency, created_at";

impl Store {
    pub async fn create_service(
        &self,
        code: &str,
        name: &str,
        monthly_price: i64,
        currency: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ServiceRecord> {
        let id: i64 = in_tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO services (code, name, monthly_price, currency, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(code)
            .bind(name)
            .bind(monthly_price)
            .bind(currency)
            .bind(to_micros(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from)
            .map_err(|e| match e {
                StoreError::Duplicate(_) => StoreError::Conflict("SERVICE_EXISTS"),
                other => other,
            })?;
            audit!(tx, now, actor, "service.created", "service", code, None::<String>);
            id
        });
        Ok(ServiceRecord {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
            monthly_price,
            currency: currency.to_owned(),
            created_at: now,
        })
    }

    pub async fn services(&self) -> Result<Vec<ServiceRecord>> {
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM services ORDER BY code");
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, ServiceRow>(&sql).fetch_all(db).await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Switches service `code` on (from `today`) or off (as of `today`) at a site `scope` may
    /// change, and queues the confirmation mail `mail` makes in the same transaction.
    /// `SERVICE_ALREADY_ON`, `SERVICE_NOT_ON`, `SITE_NOT_ACTIVE` (switching on needs an active
    /// installation).
    #[allow(clippy::too_many_arguments)]
    pub async fn switch_service(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
        code: &str,
        on: bool,
        today: Date,
        mail: impl FnOnce(&Switched) -> Result<Mail>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Switched> {
        let lock = self.row_lock(" FOR UPDATE");
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM services WHERE code = $1");
        let switched = in_tx!(self, tx => {
            let site: Option<(i64, i64, String)> = sqlx::query_as(&format!(
                "SELECT id, account_id, status FROM sites WHERE public_id = $1{lock}"
            ))
            .bind(public_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (site_id, account_id, status) = site
                .filter(|s| scope.allows(s.1, None))
                .ok_or(StoreError::NotFound("site"))?;
            let service: ServiceRecord = sqlx::query_as::<_, ServiceRow>(&sql)
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("service"))?
                .try_into()?;
            if on {
                if status != "active" {
                    return Err(StoreError::Conflict("SITE_NOT_ACTIVE"));
                }
                sqlx::query(
                    "INSERT INTO site_services (site_id, service_id, on_date, on_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(site_id)
                .bind(service.id)
                .bind(today.to_string())
                .bind(to_micros(now))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)
                .map_err(|e| match e {
                    StoreError::Duplicate(_) => StoreError::Conflict("SERVICE_ALREADY_ON"),
                    other => other,
                })?;
            } else {
                let closed = sqlx::query(
                    "UPDATE site_services SET off_date = $1, off_at = $2 \
                     WHERE site_id = $3 AND service_id = $4 AND off_date IS NULL",
                )
                .bind(today.to_string())
                .bind(to_micros(now))
                .bind(site_id)
                .bind(service.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if closed == 0 {
                    return Err(StoreError::Conflict("SERVICE_NOT_ON"));
                }
            }
            let switched = Switched {
                account_id,
                service,
            };
            enqueue_mail!(tx, now, &mail(&switched)?);
            let action = if on { "service.on" } else { "service.off" };
            audit!(tx, now, actor, action, "site", public_id, Some(code.to_owned()));
            switched
        });
        Ok(switched)
    }

    /// Every stretch of every service at a site `scope` may see, oldest first.
    pub async fn site_stretches(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
    ) -> Result<Vec<StretchRecord>> {
        let site: Option<(i64, i64)> = on_db!(self, read, db => {
            sqlx::query_as("SELECT id, account_id FROM sites WHERE public_id = $1")
                .bind(public_id)
                .fetch_optional(db)
                .await?
        });
        let (site_id, _) = site
            .filter(|s| scope.allows(s.1, None))
            .ok_or(StoreError::NotFound("site"))?;
        let rows: Vec<(String, String, Option<String>)> = on_db!(self, read, db => {
            sqlx::query_as(
                "SELECT v.code, s.on_date, s.off_date FROM site_services s \
                 JOIN services v ON v.id = s.service_id WHERE s.site_id = $1 ORDER BY s.id",
            )
            .bind(site_id)
            .fetch_all(db)
            .await?
        });
        rows.into_iter()
            .map(|(service, on, off)| {
                Ok(StretchRecord {
                    service,
                    on: date(&on)?,
                    off: off.as_deref().map(date).transpose()?,
                })
            })
            .collect()
    }

    /// Writes the invoice lines of `month`: one per site and service the rule charges for
    /// it. A month already billed gets nothing twice (the lines' unique key). Returns how
    /// many lines were written.
    pub async fn bill_month(&self, month: YearMonth, now: Timestamp) -> Result<u64> {
        let first = month.first_day().to_string();
        let next = month.next().first_day().to_string();
        // Stretches that touch the month, with what a line needs.
        let rows: Vec<BillableRow> = on_db!(self, read, db => {
            sqlx::query_as(
                "SELECT st.account_id, s.site_id, v.id AS service_id, v.monthly_price, \
                   v.currency, s.on_date, s.off_date \
                 FROM site_services s JOIN services v ON v.id = s.service_id \
                 JOIN sites st ON st.id = s.site_id \
                 WHERE s.on_date < $1 AND (s.off_date IS NULL OR s.off_date >= $2)",
            )
            .bind(&next)
            .bind(&first)
            .fetch_all(db)
            .await?
        });
        let mut billable: BTreeMap<(i64, i64), Billable> = BTreeMap::new();
        for row in rows {
            let period = ServicePeriod {
                on: date(&row.on_date)?,
                off: row.off_date.as_deref().map(date).transpose()?,
            };
            billable
                .entry((row.site_id, row.service_id))
                .or_insert_with(|| Billable {
                    account_id: row.account_id,
                    price: row.monthly_price,
                    currency: row.currency.clone(),
                    periods: Vec::new(),
                })
                .periods
                .push(period);
        }
        let month_key = month.to_string();
        let mut written = 0;
        in_tx!(self, tx => {
            for ((site, service), b) in &billable {
                if !is_charged(&b.periods, month) {
                    continue;
                }
                written += sqlx::query(
                    "INSERT INTO invoice_lines \
                       (account_id, site_id, service_id, month, amount, currency, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (site_id, service_id, month) DO NOTHING",
                )
                .bind(b.account_id)
                .bind(site)
                .bind(service)
                .bind(&month_key)
                .bind(b.price)
                .bind(&b.currency)
                .bind(to_micros(now))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
        });
        Ok(written)
    }

    /// Invoice lines, optionally of one account and one month (`YYYY-MM`).
    pub async fn invoice_lines(
        &self,
        account_id: Option<i64>,
        month: Option<&str>,
    ) -> Result<Vec<InvoiceLineRecord>> {
        let rows: Vec<(i64, String, String, String, i64, String)> = on_db!(self, read, db => {
            sqlx::query_as(
                "SELECT l.account_id, s.public_id, v.code, l.month, l.amount, l.currency \
                 FROM invoice_lines l JOIN sites s ON s.id = l.site_id \
                 JOIN services v ON v.id = l.service_id \
                 WHERE ($1 IS NULL OR l.account_id = $1) AND ($2 IS NULL OR l.month = $2) \
                 ORDER BY l.month, l.account_id, s.public_id, v.code",
            )
            .bind(account_id)
            .bind(month)
            .fetch_all(db)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(account_id, site, service, month, amount, currency)| InvoiceLineRecord {
                    account_id,
                    site,
                    service,
                    month,
                    amount,
                    currency,
                },
            )
            .collect())
    }
}
