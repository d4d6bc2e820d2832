//! The SQL of orders, unapplied payments and invoices (recording a payment is `payments`).

use jiff::Timestamp;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use crate::orders::{INVOICE_SELECT, InvoiceRow, NewOrder, ORDER_SELECT, OrderRow, PaymentIn};
use crate::plans::PlanRecord;
use crate::{Result, to_micros};

/// Keeps a payment that could not be applied, once per provider id.
pub(crate) async fn record_unapplied(
    db: &Pools,
    payment: &PaymentIn<'_>,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let added = sqlx::query(
        "INSERT INTO unapplied_payments (provider_id, order_ref, amount, currency, reason, \
         received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (provider_id) DO NOTHING",
    )
    .bind(payment.provider_id)
    .bind(payment.order)
    .bind(payment.amount)
    .bind(payment.currency)
    .bind(reason)
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added > 0 {
        let detail = Some(format!(
            "{reason}: order {} {} {}",
            payment.order, payment.amount, payment.currency
        ));
        let (action, id) = ("payment.unapplied", payment.provider_id);
        audit(&mut tx, now, &Actor::System, action, "payment", id, detail).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Provider id, order, amount, currency, reason, received at.
pub(crate) type UnappliedRow = (String, String, i64, String, String, i64);

pub(crate) async fn unapplied_payments(db: &Pools) -> Result<Vec<UnappliedRow>> {
    Ok(sqlx::query_as(
        "SELECT provider_id, order_ref, amount, currency, reason, received_at \
         FROM unapplied_payments ORDER BY id DESC",
    )
    .fetch_all(db.read())
    .await?)
}

/// Inserts an order awaiting payment; `keep` is the sites kept, as JSON.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn create_order(
    db: &Pools,
    public_id: &str,
    order: &NewOrder<'_>,
    plan: &PlanRecord,
    kind: &str,
    keep: Option<&str>,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO orders (public_id, account_id, plan_id, kind, quantity, keep_sites, \
         billing, net, vat, vat_rate_bp, vat_treatment, total, currency, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'awaiting_payment', \
         $14)",
    )
    .bind(public_id)
    .bind(order.account_id)
    .bind(plan.id)
    .bind(kind)
    .bind(i64::from(order.quantity))
    .bind(keep)
    .bind(&order.billing)
    .bind(order.amounts.net)
    .bind(order.amounts.vat)
    .bind(i64::from(order.treatment.rate_bp()))
    .bind(order.treatment.as_str())
    .bind(order.amounts.total)
    .bind(&plan.currency)
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?;
    let detail = Some(format!("{kind} {} x{}", plan.code, order.quantity));
    audit(
        &mut tx,
        now,
        actor,
        "order.created",
        "order",
        public_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One order (read through the write connection on SQLite, so it sees the latest commit).
pub(crate) async fn order(db: &Pools, public_id: &str) -> Result<Option<OrderRow>> {
    let sql = format!("{ORDER_SELECT} WHERE o.public_id = $1");
    Ok(sqlx::query_as::<_, OrderRow>(&sql)
        .bind(public_id)
        .fetch_optional(db.write())
        .await?)
}

pub(crate) async fn invoices(db: &Pools, account_id: Option<i64>) -> Result<Vec<InvoiceRow>> {
    let sql = format!(
        "{INVOICE_SELECT} WHERE ($1 IS NULL OR i.account_id = $1) \
         ORDER BY i.year DESC, i.seq DESC"
    );
    Ok(sqlx::query_as::<_, InvoiceRow>(&sql)
        .bind(account_id)
        .fetch_all(db.read())
        .await?)
}

pub(crate) async fn invoice(db: &Pools, number: &str) -> Result<Option<InvoiceRow>> {
    let sql = format!("{INVOICE_SELECT} WHERE i.number = $1");
    Ok(sqlx::query_as::<_, InvoiceRow>(&sql)
        .bind(number)
        .fetch_optional(db.read())
        .await?)
}
