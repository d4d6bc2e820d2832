//! Orders, payments and invoices of cloud subscriptions (E2–E3). An order awaits payment;
//! the payment provider's confirmation records the payment once, extends or starts the
//! subscription, drops the sites not kept at a renewal, and issues the invoice with the next
//! gap-free number of the year, all in one transaction.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tessera_core::Actor;
use tessera_core::subscription::{Amounts, SubscriptionState, VatTreatment, term};

use crate::audit::audit;
use crate::outbox::{Mail, enqueue_mail};
use crate::subscriptions::{SUBSCRIPTION_SELECT, SubscriptionRecord, SubscriptionRow, drop_unkept};
use crate::{Result, Store, StoreError, from_micros, to_micros};

/// An order as the portal places it; the amounts are computed by the caller from the plan
/// and the VAT rules.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub account_id: i64,
    pub plan: &'a str,
    pub quantity: u32,
    /// The sites to keep at a renewal; None keeps the earliest enabled, up to the quantity.
    pub keep: Option<Vec<String>>,
    /// The invoicing data, JSON.
    pub billing: String,
    pub amounts: Amounts,
    pub treatment: VatTreatment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub id: String,
    pub account_id: i64,
    /// The account's username and language, for the mails about the order.
    pub account_username: String,
    pub account_language: String,
    pub plan: String,
    pub plan_name: String,
    pub article_code: String,
    pub service: String,
    /// `purchase` or `renewal`.
    pub kind: String,
    pub quantity: u32,
    pub keep: Option<Vec<String>>,
    pub billing: String,
    pub net: i64,
    pub vat: i64,
    pub vat_rate_bp: u32,
    pub vat_treatment: String,
    pub total: i64,
    pub currency: String,
    /// `awaiting_payment` or `paid`.
    pub status: String,
    pub created_at: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub invoice: Option<String>,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    public_id: String,
    account_id: i64,
    account_username: String,
    account_language: String,
    plan_id: i64,
    plan: String,
    plan_name: String,
    article_code: String,
    service: String,
    period_months: i64,
    kind: String,
    quantity: i64,
    keep_sites: Option<String>,
    billing: String,
    net: i64,
    vat: i64,
    vat_rate_bp: i64,
    vat_treatment: String,
    total: i64,
    currency: String,
    status: String,
    created_at: i64,
    paid_at: Option<i64>,
    invoice: Option<String>,
}

const ORDER_SELECT: &str = "\
    SELECT o.id, o.public_id, o.account_id, a.username AS account_username, \
           a.language AS account_language, o.plan_id, l.code AS plan, l.name AS plan_name, \
           l.article_code, l.service, l.period_months, o.kind, o.quantity, o.keep_sites, \
           o.billing, o.net, o.vat, o.vat_rate_bp, o.vat_treatment, o.total, o.currency, \
           o.status, o.created_at, o.paid_at, i.number AS invoice \
    FROM orders o JOIN plans l ON l.id = o.plan_id JOIN accounts a ON a.id = o.account_id \
    LEFT JOIN invoices i ON i.order_id = o.id";

fn corrupt(what: &str, v: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("order {what}: {v}"))
}

impl TryFrom<&OrderRow> for OrderRecord {
    type Error = StoreError;
    fn try_from(r: &OrderRow) -> Result<Self> {
        Ok(OrderRecord {
            id: r.public_id.clone(),
            account_id: r.account_id,
            account_username: r.account_username.clone(),
            account_language: r.account_language.clone(),
            plan: r.plan.clone(),
            plan_name: r.plan_name.clone(),
            article_code: r.article_code.clone(),
            service: r.service.clone(),
            kind: r.kind.clone(),
            quantity: u32::try_from(r.quantity).map_err(|_| corrupt("quantity", r.quantity))?,
            keep: r
                .keep_sites
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| corrupt("keep_sites", e))?,
            billing: r.billing.clone(),
            net: r.net,
            vat: r.vat,
            vat_rate_bp: u32::try_from(r.vat_rate_bp)
                .map_err(|_| corrupt("vat_rate_bp", r.vat_rate_bp))?,
            vat_treatment: r.vat_treatment.clone(),
            total: r.total,
            currency: r.currency.clone(),
            status: r.status.clone(),
            created_at: from_micros(r.created_at)?,
            paid_at: r.paid_at.map(from_micros).transpose()?,
            invoice: r.invoice.clone(),
        })
    }
}

/// A signed payment callback that could not be applied, kept for the vendor to refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnappliedPayment {
    pub provider_id: String,
    pub order: String,
    pub amount: i64,
    pub currency: String,
    /// The refusal's code: `AMOUNT_MISMATCH`, `ORDER_ALREADY_PAID`, `ORDER_NOT_FOUND`…
    pub reason: String,
    pub received_at: Timestamp,
}

/// A payment as the provider's callback reports it.
#[derive(Debug, Clone)]
pub struct PaymentIn<'a> {
    /// The provider's id of the payment; a callback delivered twice carries the same one.
    pub provider_id: &'a str,
    pub order: &'a str,
    pub amount: i64,
    pub currency: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentOutcome {
    Recorded {
        order: Box<OrderRecord>,
        invoice: String,
        subscription: Box<SubscriptionRecord>,
    },
    /// This payment was recorded before (a replayed callback); nothing changed.
    AlreadyRecorded { invoice: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord {
    pub number: String,
    pub account_id: i64,
    pub order: String,
    pub issued_at: Timestamp,
    /// Everything the invoice shows, JSON, frozen at issue.
    pub document: String,
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    number: String,
    account_id: i64,
    order_id: String,
    issued_at: i64,
    document: String,
}

const INVOICE_SELECT: &str = "\
    SELECT i.number, i.account_id, o.public_id AS order_id, i.issued_at, i.document \
    FROM invoices i JOIN orders o ON o.id = i.order_id";

impl TryFrom<InvoiceRow> for InvoiceRecord {
    type Error = StoreError;
    fn try_from(r: InvoiceRow) -> Result<Self> {
        Ok(InvoiceRecord {
            number: r.number,
            account_id: r.account_id,
            order: r.order_id,
            issued_at: from_micros(r.issued_at)?,
            document: r.document,
        })
    }
}

impl Store {
    /// Keeps a payment the provider confirmed but that could not be applied (once per
    /// provider id: the provider's retries add nothing).
    pub async fn record_unapplied(
        &self,
        payment: &PaymentIn<'_>,
        reason: &str,
        now: Timestamp,
    ) -> Result<()> {
        in_tx!(self, tx => {
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
                audit!(tx, now, &Actor::System, "payment.unapplied", "payment", payment.provider_id,
                    Some(format!("{reason}: order {} {} {}", payment.order, payment.amount, payment.currency)));
            }
        });
        Ok(())
    }

    /// The payments that could not be applied, newest first.
    pub async fn unapplied_payments(&self) -> Result<Vec<UnappliedPayment>> {
        let rows: Vec<(String, String, i64, String, String, i64)> = on_db!(self, read, db => {
            sqlx::query_as(
                "SELECT provider_id, order_ref, amount, currency, reason, received_at \
                 FROM unapplied_payments ORDER BY id DESC",
            )
            .fetch_all(db)
            .await?
        });
        rows.into_iter()
            .map(|(provider_id, order, amount, currency, reason, at)| {
                Ok(UnappliedPayment {
                    provider_id,
                    order,
                    amount,
                    currency,
                    reason,
                    received_at: from_micros(at)?,
                })
            })
            .collect()
    }

    /// Places an order awaiting payment (E2): a purchase, or a renewal once the account has
    /// bought. `SUBSCRIPTION_BLOCKED`, `SUBSCRIPTION_DELETED`, `RENEWAL_PENDING` (one paid
    /// early has not started yet), `PLAN_MISMATCH` (the plan does
    /// not cover the subscription's bundle), `KEEP_UNKNOWN_SITE`, `KEEP_EXCEEDS_QUANTITY`.
    pub async fn create_order(
        &self,
        order: &NewOrder<'_>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<OrderRecord> {
        let plan = self.plan(order.plan).await?;
        let subscription = self.subscription(order.account_id, &plan.service).await?;
        if let Some(sub) = &subscription {
            if let Some(code @ ("SUBSCRIPTION_BLOCKED" | "SUBSCRIPTION_DELETED")) =
                sub.state.refusal_code()
            {
                return Err(StoreError::Conflict(code));
            }
            if let Some(starts) = sub.pending_renewal {
                return Err(StoreError::Refused {
                    code: "RENEWAL_PENDING",
                    message: format!("a renewal is paid already; it starts on {starts}"),
                });
            }
            if let Some(bundle) = &sub.bundle
                && !plan.covers(bundle)
            {
                return Err(StoreError::Refused {
                    code: "PLAN_MISMATCH",
                    message: format!(
                        "plan {} does not cover {} / {}, the edition and size of this subscription",
                        plan.code, bundle.edition, bundle.size
                    ),
                });
            }
        }
        if let Some(keep) = &order.keep {
            let enabled: Vec<String> = self
                .cloud_sites(order.account_id, &plan.service)
                .await?
                .into_iter()
                .filter(|s| s.enabled_at.is_some())
                .map(|s| s.site_id)
                .collect();
            if let Some(unknown) = keep.iter().find(|k| !enabled.contains(k)) {
                return Err(StoreError::Refused {
                    code: "KEEP_UNKNOWN_SITE",
                    message: format!("site {unknown} is not enabled in this subscription"),
                });
            }
            if keep.len() > order.quantity as usize {
                return Err(StoreError::Refused {
                    code: "KEEP_EXCEEDS_QUANTITY",
                    message: format!("{} sites kept but {} bought", keep.len(), order.quantity),
                });
            }
        }
        let kind = match subscription.as_ref().and_then(|s| s.purchased_at) {
            Some(_) => "renewal",
            None => "purchase",
        };
        let public_id = format!("ord_{}", tessera_core::site::new_site_id());
        let keep = order
            .keep
            .as_ref()
            .map(|k| serde_json::to_string(k).expect("strings serialize"));
        in_tx!(self, tx => {
            sqlx::query(
                "INSERT INTO orders (public_id, account_id, plan_id, kind, quantity, keep_sites, \
                 billing, net, vat, vat_rate_bp, vat_treatment, total, currency, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'awaiting_payment', $14)",
            )
            .bind(&public_id)
            .bind(order.account_id)
            .bind(plan.id)
            .bind(kind)
            .bind(i64::from(order.quantity))
            .bind(&keep)
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
            audit!(tx, now, actor, "order.created", "order", &public_id, Some(format!("{kind} {} x{}", plan.code, order.quantity)));
        });
        self.order(&public_id, Some(order.account_id)).await
    }

    /// One order; with `account_id`, only if it is that account's.
    pub async fn order(&self, public_id: &str, account_id: Option<i64>) -> Result<OrderRecord> {
        let sql = format!("{ORDER_SELECT} WHERE o.public_id = $1");
        let row = on_db!(self, write, db => {
            sqlx::query_as::<_, OrderRow>(&sql).bind(public_id).fetch_optional(db).await?
        });
        row.filter(|r| account_id.is_none_or(|a| a == r.account_id))
            .as_ref()
            .map(OrderRecord::try_from)
            .transpose()?
            .ok_or(StoreError::NotFound("order"))
    }

    /// Records a confirmed payment (E2–E3). Once per provider id: the same callback again is
    /// `AlreadyRecorded`. `ORDER_NOT_FOUND`, `ORDER_ALREADY_PAID` (another payment for a paid
    /// order), `PAYMENT_ID_REUSED`, `AMOUNT_MISMATCH`, `SUBSCRIPTION_DELETED`: nothing is
    /// recorded then. `invoice` makes the frozen invoice document from the order and its
    /// number, `mail` the confirmation.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_payment(
        &self,
        payment: &PaymentIn<'_>,
        zone: &TimeZone,
        invoice: impl FnOnce(&OrderRecord, &str, &SubscriptionRecord) -> Result<String>,
        mail: impl FnOnce(&OrderRecord, &str, &SubscriptionRecord) -> Result<Mail>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<PaymentOutcome> {
        let lock = self.row_lock(" FOR UPDATE OF o");
        let order_sql = format!("{ORDER_SELECT} WHERE o.public_id = $1{lock}");
        let sub_lock = self.row_lock(" FOR UPDATE OF s");
        let sub_sql =
            format!("{SUBSCRIPTION_SELECT} WHERE s.account_id = $1 AND s.service = $2{sub_lock}");
        let year = i64::from(now.to_zoned(zone.clone()).year());
        in_tx!(self, tx => {
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
            .map_err(crate::error::duplicate_as("PAYMENT_ID_REUSED"))?;
            // A retry that now applies is no longer one to refund.
            sqlx::query("DELETE FROM unapplied_payments WHERE provider_id = $1")
                .bind(payment.provider_id)
                .execute(&mut *tx)
                .await?;

            // The subscription: started by a first purchase, extended by a renewal.
            let plan_id = row.plan_id;
            let months = i32::try_from(row.period_months).map_err(|_| corrupt("period", row.period_months))?;
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
                drop_unkept!(tx, sub_id, order.keep.as_deref(), order.quantity, actor, order.id, now);
            }

            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO invoice_sequences (year, last) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last = invoice_sequences.last + 1 RETURNING last",
            )
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            let number = tessera_core::payment::invoice_number(year as i16, seq);
            let subscription: SubscriptionRecord = sqlx::query_as::<_, SubscriptionRow>(
                &format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1"),
            )
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
            enqueue_mail!(tx, now, &mail(&order, &number, &subscription)?);
            audit!(tx, now, actor, "order.paid", "order", &order.id, Some(format!("{} invoice {number}", payment.provider_id)));
            let mut order = order;
            order.status = "paid".into();
            order.paid_at = Some(now);
            order.invoice = Some(number.clone());
            Ok(PaymentOutcome::Recorded {
                order: Box::new(order),
                invoice: number,
                subscription: Box::new(subscription),
            })
        })
    }

    /// Invoices, newest first; one account's when given.
    pub async fn invoices(&self, account_id: Option<i64>) -> Result<Vec<InvoiceRecord>> {
        let sql = format!(
            "{INVOICE_SELECT} WHERE ($1 IS NULL OR i.account_id = $1) ORDER BY i.year DESC, i.seq DESC"
        );
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, InvoiceRow>(&sql).bind(account_id).fetch_all(db).await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// One invoice by number; with `account_id`, only if it is that account's.
    pub async fn invoice(&self, number: &str, account_id: Option<i64>) -> Result<InvoiceRecord> {
        let sql = format!("{INVOICE_SELECT} WHERE i.number = $1");
        let row = on_db!(self, read, db => {
            sqlx::query_as::<_, InvoiceRow>(&sql).bind(number).fetch_optional(db).await?
        });
        row.filter(|r| account_id.is_none_or(|a| a == r.account_id))
            .map(TryFrom::try_from)
            .transpose()?
            .ok_or(StoreError::NotFound("invoice"))
    }
}
