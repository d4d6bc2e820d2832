//! The SQL of orders, unapplied payments and invoices (recording a payment is `payments`).

use jiff::Timestamp;
use tessera_core::Actor;
use tessera_core::order::{OrderStatus, decide_cancel};

use super::audit::audit;
use super::{Pools, row_lock};
use crate::orders::{
    INVOICE_SELECT, InvoiceRow, NewOrder, ORDER_SELECT, OrderRow, PaymentIn, corrupt,
};
use crate::plans::PlanRecord;
use crate::{Result, StoreError, from_micros, to_micros};

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
         billing, net, vat, vat_rate_bp, vat_treatment, total, currency, status, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         'awaiting_payment', $14, $15)",
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
    .bind(to_micros(order.pay_by))
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
        .fetch_optional(&mut *db.write().await?)
        .await?)
}

/// The account's orders, newest first.
pub(crate) async fn orders(db: &Pools, account_id: i64) -> Result<Vec<OrderRow>> {
    let sql = format!("{ORDER_SELECT} WHERE o.account_id = $1 ORDER BY o.id DESC");
    Ok(sqlx::query_as::<_, OrderRow>(&sql)
        .bind(account_id)
        .fetch_all(db.read())
        .await?)
}

/// Every account's orders, newest first: `limit` of them with ids below `before`.
pub(crate) async fn all_orders(db: &Pools, before: i64, limit: u32) -> Result<Vec<OrderRow>> {
    let sql = format!("{ORDER_SELECT} WHERE o.id < $1 ORDER BY o.id DESC LIMIT $2");
    Ok(sqlx::query_as::<_, OrderRow>(&sql)
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(db.read())
        .await?)
}

/// Cancels the account's order if `decide_cancel` lets it, under the order's row lock (the
/// one a payment takes: `FOR UPDATE` on PostgreSQL, the write transaction on SQLite).
pub(crate) async fn cancel_order(
    db: &Pools,
    public_id: &str,
    account_id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let lock = row_lock(" FOR UPDATE");
    let found: Option<(i64, i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT id, account_id, status, expires_at FROM orders WHERE public_id = $1{lock}"
    ))
    .bind(public_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, _, status, expires_at)) = found.filter(|o| o.1 == account_id) else {
        return Err(StoreError::NotFound("order"));
    };
    let status = OrderStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?;
    decide_cancel(status, from_micros(expires_at)?, now).map_err(|e| StoreError::refused(&e))?;
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        now,
        actor,
        "order.cancelled",
        "order",
        public_id,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks the orders still awaiting payment at their deadline expired; their ids. A payment
/// holding an order's row lock is waited for, and an order it paid is left alone.
pub(crate) async fn expire_orders(db: &Pools, now: Timestamp) -> Result<Vec<String>> {
    let mut tx = db.begin().await?;
    let ids: Vec<String> = sqlx::query_scalar(
        "UPDATE orders SET status = 'expired' \
         WHERE status = 'awaiting_payment' AND expires_at <= $1 RETURNING public_id",
    )
    .bind(to_micros(now))
    .fetch_all(&mut *tx)
    .await?;
    for id in &ids {
        audit(
            &mut tx,
            now,
            &Actor::System,
            "order.expired",
            "order",
            id,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids)
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
