//! The SQL of per-site monthly services: the catalog, switching, stretches and billing.

use jiff::Timestamp;
use jiff::civil::Date;
use tessera_api::ErrorCode;
use tessera_core::Actor;

use super::audit::audit;
use super::outbox::{enqueue_mail, recipient};
use super::{Pools, row_lock};
use crate::services::{
    BillableRow, InvoiceLineRow, SERVICE_COLUMNS, ServiceRecord, ServiceRow, Switched,
};
use crate::sites::SiteScope;
use crate::{Result, StoreError, mails, to_micros};

/// Adds a service to the catalog; its id.
pub(crate) async fn create_service(
    db: &Pools,
    code: &str,
    name: &str,
    monthly_price: i64,
    currency: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let mut tx = db.begin().await?;
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
        StoreError::Duplicate(_) => StoreError::Conflict(ErrorCode::ServiceExists),
        other => other,
    })?;
    audit(
        &mut tx,
        now,
        actor,
        "service.created",
        "service",
        code,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(crate) async fn services(db: &Pools) -> Result<Vec<ServiceRow>> {
    let sql = format!("SELECT {SERVICE_COLUMNS} FROM services ORDER BY code");
    Ok(sqlx::query_as::<_, ServiceRow>(&sql)
        .fetch_all(db.read())
        .await?)
}

/// Switches service `code` on or off at a site (see `Store::switch_service`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn switch_service(
    db: &Pools,
    public_id: &str,
    scope: SiteScope<'_>,
    code: &str,
    on: bool,
    today: Date,
    actor: &Actor,
    now: Timestamp,
) -> Result<Switched> {
    let lock = row_lock(" FOR UPDATE");
    let sql = format!("SELECT {SERVICE_COLUMNS} FROM services WHERE code = $1");
    let mut tx = db.begin().await?;
    let site: Option<(i64, i64, String, String)> = sqlx::query_as(&format!(
        "SELECT id, account_id, status, label FROM sites WHERE public_id = $1{lock}"
    ))
    .bind(public_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (site_id, account_id, status, label) = site
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
            return Err(StoreError::Conflict(ErrorCode::SiteNotActive));
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
            StoreError::Duplicate(_) => StoreError::Conflict(ErrorCode::ServiceAlreadyOn),
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
            return Err(StoreError::Conflict(ErrorCode::ServiceNotOn));
        }
    }
    let to = recipient(&mut tx, account_id).await?;
    let mail = mails::service_switched(&to, on, &service, &label, today);
    enqueue_mail(&mut tx, now, &mail).await?;
    let switched = Switched {
        account_id,
        service,
    };
    let action = if on { "service.on" } else { "service.off" };
    let detail = Some(code.to_owned());
    audit(&mut tx, now, actor, action, "site", public_id, detail).await?;
    tx.commit().await?;
    Ok(switched)
}

/// A site's id and account.
pub(crate) async fn site_owner(db: &Pools, public_id: &str) -> Result<Option<(i64, i64)>> {
    Ok(
        sqlx::query_as("SELECT id, account_id FROM sites WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(db.read())
            .await?,
    )
}

/// Service code, on date, off date of every stretch at the site, oldest first.
pub(crate) async fn site_stretches(
    db: &Pools,
    site_id: i64,
) -> Result<Vec<(String, String, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT v.code, s.on_date, s.off_date FROM site_services s \
         JOIN services v ON v.id = s.service_id WHERE s.site_id = $1 ORDER BY s.id",
    )
    .bind(site_id)
    .fetch_all(db.read())
    .await?)
}

/// Stretches that touch the month `[first, next)`, with what a line needs.
pub(crate) async fn billable(db: &Pools, first: &str, next: &str) -> Result<Vec<BillableRow>> {
    Ok(sqlx::query_as(
        "SELECT st.account_id, s.site_id, v.id AS service_id, v.monthly_price, \
           v.currency, s.on_date, s.off_date \
         FROM site_services s JOIN services v ON v.id = s.service_id \
         JOIN sites st ON st.id = s.site_id \
         WHERE s.on_date < $1 AND (s.off_date IS NULL OR s.off_date >= $2)",
    )
    .bind(next)
    .bind(first)
    .fetch_all(db.read())
    .await?)
}

/// Writes the invoice lines (account, site, service, amount, currency) of `month` in one
/// transaction; how many were new.
pub(crate) async fn write_invoice_lines(
    db: &Pools,
    month: &str,
    lines: &[(i64, i64, i64, i64, &str)],
    now: Timestamp,
) -> Result<u64> {
    let mut written = 0;
    let mut tx = db.begin().await?;
    for &(account_id, site, service, amount, currency) in lines {
        written += sqlx::query(
            "INSERT INTO invoice_lines \
               (account_id, site_id, service_id, month, amount, currency, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (site_id, service_id, month) DO NOTHING",
        )
        .bind(account_id)
        .bind(site)
        .bind(service)
        .bind(month)
        .bind(amount)
        .bind(currency)
        .bind(to_micros(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(written)
}

pub(crate) async fn invoice_lines(
    db: &Pools,
    account_id: Option<i64>,
    month: Option<&str>,
) -> Result<Vec<InvoiceLineRow>> {
    Ok(sqlx::query_as(
        "SELECT l.account_id, s.public_id, v.code, l.month, l.amount, l.currency \
         FROM invoice_lines l JOIN sites s ON s.id = l.site_id \
         JOIN services v ON v.id = l.service_id \
         WHERE ($1 IS NULL OR l.account_id = $1) AND ($2 IS NULL OR l.month = $2) \
         ORDER BY l.month, l.account_id, s.public_id, v.code",
    )
    .bind(account_id)
    .bind(month)
    .fetch_all(db.read())
    .await?)
}
