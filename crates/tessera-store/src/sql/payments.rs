//! Recording a confirmed payment (E2–E3): once per provider id, it starts or extends the
//! subscription, drops the sites not kept, and issues the invoice with the year's next
//! number, all in one transaction.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::order::OrderStatus;
use tessera_core::payment::{
    Current, Paid, PayableOrder, PaymentDecision, PaymentEffect, SeenBefore, decide_payment,
};

use super::audit::audit;
use super::outbox::enqueue_mail;
use super::subscriptions::drop_unkept;
use super::{Conn, Pools, row_lock};
use crate::error::duplicate_as;
use crate::invoice::{InvoiceDocument, Seller};
use crate::orders::{ORDER_SELECT, OrderRecord, OrderRow, PaymentIn, PaymentOutcome, corrupt};
use crate::subscriptions::{SUBSCRIPTION_SELECT, SubscriptionRecord, SubscriptionRow};
use crate::{Result, StoreError, from_micros, mails, to_micros};

/// What a payment decides on, read under the order's and the subscription's row locks.
struct Loaded {
    order: OrderRow,
    /// The same provider id recorded before: for which order, and its invoice.
    seen: Option<(String, Option<String>)>,
    subscription: Option<SubscriptionRecord>,
}

async fn load(conn: &mut Conn, payment: &PaymentIn<'_>) -> Result<Loaded> {
    let lock = row_lock(" FOR UPDATE OF o");
    let order_sql = format!("{ORDER_SELECT} WHERE o.public_id = $1{lock}");
    let order = sqlx::query_as::<_, OrderRow>(&order_sql)
        .bind(payment.order)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("order"))?;
    let seen = sqlx::query_as(
        "SELECT o.public_id, i.number FROM payments p JOIN orders o ON o.id = p.order_id \
         LEFT JOIN invoices i ON i.order_id = o.id WHERE p.provider_id = $1",
    )
    .bind(payment.provider_id)
    .fetch_optional(&mut *conn)
    .await?;
    let sub_lock = row_lock(" FOR UPDATE OF s");
    let sub_sql =
        format!("{SUBSCRIPTION_SELECT} WHERE s.account_id = $1 AND s.service = $2{sub_lock}");
    let subscription = sqlx::query_as::<_, SubscriptionRow>(&sub_sql)
        .bind(order.account_id)
        .bind(&order.service)
        .fetch_optional(&mut *conn)
        .await?
        .map(TryFrom::try_from)
        .transpose()?;
    Ok(Loaded {
        order,
        seen,
        subscription,
    })
}

/// Records a confirmed payment (see `Store::record_payment`): load, let
/// `tessera_core::payment::decide_payment` decide, write.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_payment(
    db: &Pools,
    payment: &PaymentIn<'_>,
    zone: &TimeZone,
    seller: &Seller,
    actor: &Actor,
    now: Timestamp,
) -> Result<PaymentOutcome> {
    let mut tx = db.begin().await?;
    let Loaded {
        order: row,
        seen,
        subscription: existing,
    } = load(&mut tx, payment).await?;
    let decision = decide(&row, payment, seen.as_ref(), existing.as_ref(), now, zone)?;
    let effect = match decision {
        PaymentDecision::AlreadyRecorded { invoice } => {
            return Ok(PaymentOutcome::AlreadyRecorded { invoice });
        }
        PaymentDecision::Apply(effect) => effect,
    };
    insert_payment(&mut tx, payment, row.id, now).await?;
    let sub_id = apply(&mut tx, &row, existing.as_ref(), effect, now).await?;
    // Sites are dropped only when a term starts: here for a purchase or a late
    // renewal, by the expiry job for one paid early.
    let order = OrderRecord::try_from(&row)?;
    if !matches!(effect, PaymentEffect::Defer { .. }) {
        let keep = order.keep.as_deref();
        drop_unkept(&mut tx, sub_id, keep, order.quantity, actor, &order.id, now).await?;
    }
    let (number, subscription) =
        issue_invoice(&mut tx, &row, sub_id, &order, seller, zone, now).await?;
    sqlx::query("UPDATE orders SET status = 'paid', paid_at = $1 WHERE id = $2")
        .bind(to_micros(now))
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    let mail = mails::subscription_paid(&order, &number, &subscription, zone)?;
    enqueue_mail(&mut tx, now, &mail).await?;
    let detail = Some(format!("{} invoice {number}", payment.provider_id));
    audit(
        &mut tx,
        now,
        actor,
        "order.paid",
        "order",
        &order.id,
        detail,
    )
    .await?;
    tx.commit().await?;
    let mut order = order;
    order.status = OrderStatus::Paid;
    order.paid_at = Some(now);
    order.invoice = Some(number.clone());
    Ok(PaymentOutcome::Recorded {
        order: Box::new(order),
        invoice: number,
        subscription: Box::new(subscription),
    })
}

/// Asks `tessera_core::payment::decide_payment` what the payment does.
fn decide(
    row: &OrderRow,
    payment: &PaymentIn<'_>,
    seen: Option<&(String, Option<String>)>,
    existing: Option<&SubscriptionRecord>,
    now: Timestamp,
    zone: &TimeZone,
) -> Result<PaymentDecision> {
    let months =
        i32::try_from(row.period_months).map_err(|_| corrupt("period", row.period_months))?;
    let order = PayableOrder {
        id: &row.public_id,
        status: row.status()?,
        pay_by: from_micros(row.expires_at)?,
        total: row.total,
        currency: &row.currency,
        months,
    };
    let paid = Paid {
        amount: payment.amount,
        currency: payment.currency,
    };
    let seen = seen.map(|(order, invoice)| SeenBefore {
        order,
        invoice: invoice.as_deref(),
    });
    let current = existing.map(|sub| Current {
        state: sub.state,
        purchased_at: sub.purchased_at,
        expires_at: sub.expires_at,
        pending_renewal: sub.pending_renewal,
    });
    decide_payment(&order, paid, seen, current.as_ref(), now, zone)
        .map_err(|e| StoreError::refused(&e))
}

/// The payment row, once per provider id; a retry that now applies is no longer one to
/// refund.
async fn insert_payment(
    conn: &mut Conn,
    payment: &PaymentIn<'_>,
    order_id: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO payments (provider_id, order_id, amount, currency, received_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(payment.provider_id)
    .bind(order_id)
    .bind(payment.amount)
    .bind(payment.currency)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as(ErrorCode::PaymentIdReused))?;
    sqlx::query("DELETE FROM unapplied_payments WHERE provider_id = $1")
        .bind(payment.provider_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes the payment's effect on the subscription; its id.
async fn apply(
    conn: &mut Conn,
    row: &OrderRow,
    existing: Option<&SubscriptionRecord>,
    effect: PaymentEffect,
    now: Timestamp,
) -> Result<i64> {
    match (effect, existing) {
        (PaymentEffect::Start { starts, ends }, _) => Ok(sqlx::query_scalar::<_, i64>(
            "INSERT INTO subscriptions (account_id, service, plan_id, state, seats, \
                 purchased_at, starts_at, expires_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $5, $5) RETURNING id",
        )
        .bind(row.account_id)
        .bind(&row.service)
        .bind(row.plan_id)
        .bind(row.quantity)
        .bind(to_micros(now))
        .bind(to_micros(starts))
        .bind(to_micros(ends))
        .fetch_one(&mut *conn)
        .await?),
        // The decision renews only a subscription it was given.
        (PaymentEffect::Defer { .. } | PaymentEffect::Renew { .. }, None) => Err(
            StoreError::Corrupt("a renewal decided without a subscription".into()),
        ),
        // A renewal paid while a paid term runs: only the expiry moves now; its seats, plan
        // and kept sites wait for the expiry job (`apply_renewals`).
        (
            PaymentEffect::Defer {
                state,
                starts,
                ends,
            },
            Some(sub),
        ) => {
            sqlx::query(
                "UPDATE subscriptions SET state = $1, expires_at = $2, \
                 next_starts_at = $3, next_plan_id = $4, next_seats = $5, \
                 next_keep = $6, updated_at = $7 WHERE id = $8",
            )
            .bind(state.as_str())
            .bind(to_micros(ends))
            .bind(to_micros(starts))
            .bind(row.plan_id)
            .bind(row.quantity)
            .bind(&row.keep_sites)
            .bind(to_micros(now))
            .bind(sub.id)
            .execute(&mut *conn)
            .await?;
            Ok(sub.id)
        }
        (
            PaymentEffect::Renew {
                state,
                starts,
                ends,
            },
            Some(sub),
        ) => {
            sqlx::query(
                "UPDATE subscriptions SET state = $1, seats = $2, plan_id = $3, \
                 purchased_at = COALESCE(purchased_at, $4), starts_at = $5, \
                 expires_at = $6, updated_at = $4 WHERE id = $7",
            )
            .bind(state.as_str())
            .bind(row.quantity)
            .bind(row.plan_id)
            .bind(to_micros(now))
            .bind(to_micros(starts))
            .bind(to_micros(ends))
            .bind(sub.id)
            .execute(&mut *conn)
            .await?;
            Ok(sub.id)
        }
    }
}

/// Issues the invoice by `seller` with the next gap-free number of the year, its year and
/// dates in `zone`; the number and the subscription as it now is.
async fn issue_invoice(
    conn: &mut Conn,
    row: &OrderRow,
    sub_id: i64,
    order: &OrderRecord,
    seller: &Seller,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<(String, SubscriptionRecord)> {
    let number = super::invoices::next_number(conn, zone, now).await?;
    let subscription: SubscriptionRecord =
        sqlx::query_as::<_, SubscriptionRow>(&format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1"))
            .bind(sub_id)
            .fetch_one(&mut *conn)
            .await?
            .try_into()?;
    let document = InvoiceDocument::issue(order, &number.0, &subscription, seller, zone, now)?;
    super::invoices::insert(conn, &number, Some(row.id), row.account_id, &document, now).await?;
    let (number, _, _) = number;
    Ok((number, subscription))
}
