//! Per-site monthly services (F1–F3): the catalog, switching a service on and off at a site
//! (each switch queues its confirmation mail in the same transaction), and the monthly
//! billing that turns the on/off stretches into invoice lines by the rule in
//! `tessera_core::monthly`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use tessera_core::Actor;
use tessera_core::monthly::{ServicePeriod, YearMonth, is_charged};

use crate::invoice::Invoicing;
use crate::sites::SiteScope;
use crate::{Result, Store, StoreError, from_micros};

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
pub(crate) struct ServiceRow {
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

/// What billing a month did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthBilled {
    /// Invoice lines written.
    pub lines: u64,
    /// The numbers of the invoices issued.
    pub invoices: Vec<String>,
}

/// What a switch concerned: the site's account and the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switched {
    pub account_id: i64,
    pub service: ServiceRecord,
}

/// A stretch that touches the month being billed, with what its line needs.
#[derive(sqlx::FromRow)]
pub(crate) struct BillableRow {
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

/// Account, site, service, month, amount, currency.
pub(crate) type InvoiceLineRow = (i64, String, String, String, i64, String);

fn date(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

pub(crate) const SERVICE_COLUMNS: &str = "id, code, name, monthly_price, currency, created_at";

impl Store {
    #[tracing::instrument(level = "debug", skip_all, fields(code = code))]
    pub async fn create_service(
        &self,
        code: &str,
        name: &str,
        monthly_price: i64,
        currency: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ServiceRecord> {
        let id = on_backend!(self, |db| sql::services::create_service(
            db,
            code,
            name,
            monthly_price,
            currency,
            actor,
            now,
        ))?;
        Ok(ServiceRecord {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
            monthly_price,
            currency: currency.to_owned(),
            created_at: now,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services(&self) -> Result<Vec<ServiceRecord>> {
        let rows = on_backend!(self, |db| sql::services::services(db))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Switches service `code` on (from `today`) or off (as of `today`) at a site `scope` may
    /// change, and queues the confirmation mail to the site's account in the same
    /// transaction.
    /// `SERVICE_ALREADY_ON`, `SERVICE_NOT_ON`, `SITE_NOT_ACTIVE` (switching on needs an active
    /// installation).
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(site = public_id, code = code, on = on)
    )]
    pub async fn switch_service(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
        code: &str,
        on: bool,
        today: Date,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Switched> {
        on_backend!(self, |db| sql::services::switch_service(
            db, public_id, scope, code, on, today, actor, now,
        ))
    }

    /// Every stretch of every service at a site `scope` may see, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id))]
    pub async fn site_stretches(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
    ) -> Result<Vec<StretchRecord>> {
        let site = on_backend!(self, |db| sql::services::site_owner(db, public_id))?;
        let (site_id, _) = site
            .filter(|s| scope.allows(s.1, None))
            .ok_or(StoreError::NotFound("site"))?;
        let rows = on_backend!(self, |db| sql::services::site_stretches(db, site_id))?;
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

    /// Bills `month`: writes its invoice lines ([`Store::write_month_lines`]), then, with
    /// `invoicing` (the seller is configured), issues the lines not yet invoiced, of this
    /// month or an earlier one, as numbered invoices, one per account, month and currency,
    /// each mailed to its account. An account whose VAT rate is not configured keeps its
    /// lines uninvoiced (logged) until a later run.
    #[tracing::instrument(level = "debug", skip_all, fields(%month))]
    pub async fn bill_month(
        &self,
        month: YearMonth,
        invoicing: Option<&Invoicing>,
        zone: &TimeZone,
        now: Timestamp,
    ) -> Result<MonthBilled> {
        let lines = self.write_month_lines(month, now).await?;
        let mut invoices = Vec::new();
        let Some(invoicing) = invoicing else {
            return Ok(MonthBilled { lines, invoices });
        };
        let key = month.to_string();
        let groups = on_backend!(self, |db| sql::invoices::uninvoiced(db, &key))?;
        for group in groups {
            let issued = on_backend!(self, |db| sql::invoices::issue_monthly(
                db, &group, invoicing, zone, now,
            ));
            match issued {
                Ok(number) => invoices.extend(number),
                Err(StoreError::Conflict(code)) => {
                    tracing::warn!(account = group.0, month = %group.1, %code, "not invoiced");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(MonthBilled { lines, invoices })
    }

    /// Writes the invoice lines of `month`: one per site and service the rule charges for
    /// it. A month already billed gets nothing twice (the lines' unique key). Returns how
    /// many lines were written.
    async fn write_month_lines(&self, month: YearMonth, now: Timestamp) -> Result<u64> {
        let first = month.first_day().to_string();
        let next = month.next().first_day().to_string();
        // Stretches that touch the month, with what a line needs.
        let rows = on_backend!(self, |db| sql::services::billable(db, &first, &next))?;
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
        let lines: Vec<(i64, i64, i64, i64, &str)> = billable
            .iter()
            .filter(|(_, b)| is_charged(&b.periods, month))
            .map(|((site, service), b)| {
                (b.account_id, *site, *service, b.price, b.currency.as_str())
            })
            .collect();
        let month_key = month.to_string();
        on_backend!(self, |db| sql::services::write_invoice_lines(
            db, &month_key, &lines, now
        ))
    }

    /// Invoice lines, optionally of one account and one month (`YYYY-MM`).
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, month = month)
    )]
    pub async fn invoice_lines(
        &self,
        account_id: Option<i64>,
        month: Option<&str>,
    ) -> Result<Vec<InvoiceLineRecord>> {
        let rows = on_backend!(self, |db| sql::services::invoice_lines(
            db, account_id, month
        ))?;
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
