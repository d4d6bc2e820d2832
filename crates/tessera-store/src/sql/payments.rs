//! Recording a confirmed payment (E2–E3): once per provider id, it starts or extends the
//! subscription, drops the sites not kept, and issues the invoice with the year's next
//! number, all in one transaction.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tessera_core::Actor;
use tessera_core::subscription::{SubscriptionState, term};

use super::audit::audit;
use super::outbox::enqueue_mail;
use super::subscriptions::drop_unkept;
use super::{Pools, row_lock};
use crate::error::duplicate_as;
use crate::orders::{ORDER_SELECT, OrderRecord, OrderRow, PaymentIn, PaymentOutcome, corrupt};
use crate::outbox::Mail;
use crate::subscriptions::{SUBSCRIPTION_SELECT, SubscriptionRecord, SubscriptionRow};
use crate::{Result, StoreError, to_micros};

/// Records a confirmed payment (see `Store::record_payment`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_payment(
    db: &Pools,
    payment: &PaymentIn<'_>,
    zone: &TimeZone,
    invoice: impl FnOnce(&OrderRecord, &str, &SubscriptionRecord) -> Result<String>,
    mail: impl FnOnce(&OrderRecord, &str, &SubscriptionRecord) -> Result<Mail>,
    actor: &Actor,
    now: Timestamp,
) -> Result<PaymentOutcome> {
    let lock = row_lock(" FOR UPDATE OF o");
    let order_sql = format!("{ORDER_SELECT} WHERE o.public_id = $1{lock}");
    let sub_lock = row_lock(" FOR UPDATE OF s");
    let sub_sql =
        format!("{SUBSCRIPTION_SELECT} WHERE s.account_id = $1 AND s.service = $2{sub_lock}");
    let year = i64::from(now.to_zoned(zone.clone()).year());
    let mut tx = db.begin().await?;
    let row = sqlx::query_as::<_, OrderRow>(&order_sql)
        .bind(payment.order)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("order"))?;
    let seen: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT o.public_id, i.number FROM payments p JOIN orders o ON o.id = p.order_id \
             LEFT JOIN invoices i ON i.order_id = o.id WHERE p.provider_id = $1",
    )
    .bind(payment.provider_id)
    .fetch_optional(&mut *tx)
    .await?;
    match seen {
        Some((order, Some(number))) if order == row.public_id => {
            return Ok(PaymentOutcome::AlreadyRecorded { invoice: number });
        }
        Some(_) => return Err(StoreError::Conflict("PAYMENT_ID_REUSED")),
        None => {}
    }
    if row.status == "paid" {
        return Err(StoreError::Conflict("ORDER_ALREADY_PAID"));
    }
    if payment.amount != row.total || payment.currency != row.currency {
        return Err(StoreError::Refused {
            code: "AMOUNT_MISMATCH",
            message: format!(
                "the order is {} {}; the payment is {} {}",
                row.total, row.currency, payment.amount, payment.currency
            ),
        });
    }
    sqlx::query(
        "INSERT INTO payments (provider_id, order_id, amount, currency, received_at) \
             VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(payment.provider_id)
    .bind(row.id)
    .bind(payment.amount)
    .bind(payment.currency)
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as("PAYMENT_ID_REUSED"))?;
    // A retry that now applies is no longer one to refund.
    sqlx::query("DELETE FROM unapplied_payments WHERE provider_id = $1")
        .bind(payment.provider_id)
        .execute(&mut *tx)
        .await?;

    // The subscription: started by a first purchase, extended by a renewal.
    let plan_id = row.plan_id;
    let months =
        i32::try_from(row.period_months).map_err(|_| corrupt("period", row.period_months))?;
    let existing: Option<SubscriptionRecord> = sqlx::query_as::<_, SubscriptionRow>(&sub_sql)
        .bind(row.account_id)
        .bind(&row.service)
        .fetch_optional(&mut *tx)
        .await?
        .map(TryFrom::try_from)
        .transpose()?;
    // A renewal paid while a paid term runs starts when that term ends: its seats, plan
    // and kept sites wait for the expiry job (`apply_renewals`); only the expiry moves now.
    let (sub_id, deferred) = match &existing {
        None => {
            let (starts, ends) = term(None, now, months, zone);
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO subscriptions (account_id, service, plan_id, state, seats, \
                     purchased_at, starts_at, expires_at, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $5, $5) RETURNING id",
            )
            .bind(row.account_id)
            .bind(&row.service)
            .bind(plan_id)
            .bind(row.quantity)
            .bind(to_micros(now))
            .bind(to_micros(starts))
            .bind(to_micros(ends))
            .fetch_one(&mut *tx)
            .await
            .map(|id| (id, false))?
        }
        Some(sub) => {
            if sub.state == SubscriptionState::Deleted {
                return Err(StoreError::Conflict("SUBSCRIPTION_DELETED"));
            }
            // A trial's days are not paid ones: the first term runs from the payment.
            let paid_until = sub.purchased_at.map(|_| sub.expires_at);
            let (starts, ends) = term(paid_until, now, months, zone);
            // Maintenance and blocked are the vendor's to lift; a payment keeps them.
            let state = match sub.state {
                SubscriptionState::Maintenance | SubscriptionState::Blocked => sub.state,
                _ => SubscriptionState::Active,
            };
            if starts > now {
                if sub.pending_renewal.is_some() {
                    return Err(StoreError::Conflict("RENEWAL_PENDING"));
                }
                sqlx::query(
                    "UPDATE subscriptions SET state = $1, expires_at = $2, \
                         next_starts_at = $3, next_plan_id = $4, next_seats = $5, \
                         next_keep = $6, updated_at = $7 WHERE id = $8",
                )
                .bind(state.as_str())
                .bind(to_micros(ends))
                .bind(to_micros(starts))
                .bind(plan_id)
                .bind(row.quantity)
                .bind(&row.keep_sites)
                .bind(to_micros(now))
                .bind(sub.id)
                .execute(&mut *tx)
                .await?;
                (sub.id, true)
            } else {
                sqlx::query(
                    "UPDATE subscriptions SET state = $1, seats = $2, plan_id = $3, \
                         purchased_at = COALESCE(purchased_at, $4), starts_at = $5, \
                         expires_at = $6, updated_at = $4 WHERE id = $7",
                )
                .bind(state.as_str())
                .bind(row.quantity)
                .bind(plan_id)
                .bind(to_micros(now))
                .bind(to_micros(starts))
                .bind(to_micros(ends))
                .bind(sub.id)
                .execute(&mut *tx)
                .await?;
                (sub.id, false)
            }
        }
    };

    // Sites are dropped only when a term starts: here for a purchase or a late
    // renewal, by the expiry job for one paid early.
    let order = OrderRecord::try_from(&row)?;
    if !deferred {
        let keep = order.keep.as_deref();
        drop_unkept(&mut tx, sub_id, keep, order.quantity, actor, &order.id, now).await?;
    }

    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO invoice_sequences (year, last) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last = invoice_sequences.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
    let number = tessera_core::payment::invoice_number(year as i16, seq);
    let subscription: SubscriptionRecord =
        sqlx::query_as::<_, SubscriptionRow>(&format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1"))
            .bind(sub_id)
            .fetch_one(&mut *tx)
            .await?
            .try_into()?;
    let document = invoice(&order, &number, &subscription)?;
    sqlx::query(
        "INSERT INTO invoices (number, year, seq, order_id, account_id, issued_at, document) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&number)
    .bind(year)
    .bind(seq)
    .bind(row.id)
    .bind(row.account_id)
    .bind(to_micros(now))
    .bind(&document)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE orders SET status = 'paid', paid_at = $1 WHERE id = $2")
        .bind(to_micros(now))
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    enqueue_mail(&mut tx, now, &mail(&order, &number, &subscription)?).await?;
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
    let mut order = order;
    order.status = "paid".into();
    order.paid_at = Some(now);
    order.invoice = Some(number.clone());
    tx.commit().await?;
    Ok(PaymentOutcome::Recorded {
        order: Box::new(order),
        invoice: number,
        subscription: Box::new(subscription),
    })
}
