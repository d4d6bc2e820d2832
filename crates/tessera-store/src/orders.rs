//! Orders, payments and invoices of cloud subscriptions (E2–E3). An order awaits payment
//! until its deadline, when it expires, unless the account cancels it first; the payment
//! provider's confirmation records the payment once, extends or starts the subscription,
//! drops the sites not kept at a renewal, and issues the invoice with the next gap-free
//! number of the year, all in one transaction. A payment and a cancellation of one order
//! are serialized on the order's row: exactly one of them happens.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tessera_core::Actor;
use tessera_core::order::{OrderStatus, Standing, decide_order};
use tessera_core::subscription::{Amounts, VatTreatment};

use crate::invoice::Seller;
use crate::subscriptions::SubscriptionRecord;
use crate::{Result, Store, StoreError, from_micros};

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
    /// The payment deadline (`tessera_core::order::pay_by`).
    pub pay_by: Timestamp,
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
    /// As stored: see [`OrderRecord::status_at`] for where it stands now.
    pub status: OrderStatus,
    pub created_at: Timestamp,
    /// The payment deadline: an order still awaiting payment then has expired.
    pub pay_by: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub invoice: Option<String>,
}

impl OrderRecord {
    /// Where the order stands at `now`: expired from its deadline on, even before the
    /// expiry job writes it down.
    pub fn status_at(&self, now: Timestamp) -> OrderStatus {
        self.status.at(self.pay_by, now)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrderRow {
    pub(crate) id: i64,
    pub(crate) public_id: String,
    pub(crate) account_id: i64,
    pub(crate) account_username: String,
    pub(crate) account_language: String,
    pub(crate) plan_id: i64,
    pub(crate) plan: String,
    pub(crate) plan_name: String,
    pub(crate) article_code: String,
    pub(crate) service: String,
    pub(crate) period_months: i64,
    pub(crate) kind: String,
    pub(crate) quantity: i64,
    pub(crate) keep_sites: Option<String>,
    pub(crate) billing: String,
    pub(crate) net: i64,
    pub(crate) vat: i64,
    pub(crate) vat_rate_bp: i64,
    pub(crate) vat_treatment: String,
    pub(crate) total: i64,
    pub(crate) currency: String,
    pub(crate) status: String,
    pub(crate) created_at: i64,
    pub(crate) expires_at: i64,
    pub(crate) paid_at: Option<i64>,
    pub(crate) invoice: Option<String>,
}

pub(crate) const ORDER_SELECT: &str = "\
    SELECT o.id, o.public_id, o.account_id, a.username AS account_username, \
           a.language AS account_language, o.plan_id, l.code AS plan, l.name AS plan_name, \
           l.article_code, l.service, l.period_months, o.kind, o.quantity, o.keep_sites, \
           o.billing, o.net, o.vat, o.vat_rate_bp, o.vat_treatment, o.total, o.currency, \
           o.status, o.created_at, o.expires_at, o.paid_at, i.number AS invoice \
    FROM orders o JOIN plans l ON l.id = o.plan_id JOIN accounts a ON a.id = o.account_id \
    LEFT JOIN invoices i ON i.order_id = o.id";

pub(crate) fn corrupt(what: &str, v: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("order {what}: {v}"))
}

impl OrderRow {
    pub(crate) fn status(&self) -> Result<OrderStatus> {
        OrderStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))
    }
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
            status: r.status()?,
            created_at: from_micros(r.created_at)?,
            pay_by: from_micros(r.expires_at)?,
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
    /// The cloud order it was paid for; none for a month of monthly services.
    pub order: Option<String>,
    pub issued_at: Timestamp,
    /// Everything the invoice shows, JSON, frozen at issue.
    pub document: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct InvoiceRow {
    number: String,
    account_id: i64,
    order_id: Option<String>,
    issued_at: i64,
    document: String,
}

pub(crate) const INVOICE_SELECT: &str = "\
    SELECT i.number, i.account_id, o.public_id AS order_id, i.issued_at, i.document \
    FROM invoices i LEFT JOIN orders o ON o.id = i.order_id";

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
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(order = payment.order, reason = reason)
    )]
    pub async fn record_unapplied(
        &self,
        payment: &PaymentIn<'_>,
        reason: &str,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::orders::record_unapplied(
            db, payment, reason, now
        ))
    }

    /// The payments that could not be applied, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn unapplied_payments(&self) -> Result<Vec<UnappliedPayment>> {
        let rows = on_backend!(self, |db| sql::orders::unapplied_payments(db))?;
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
    /// bought; whether it may is `tessera_core::order::decide_order`.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = order.account_id, plan = order.plan)
    )]
    pub async fn create_order(
        &self,
        order: &NewOrder<'_>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<OrderRecord> {
        let plan = self.plan(order.plan).await?;
        let subscription = self.subscription(order.account_id, &plan.service).await?;
        let standing = subscription.as_ref().map(|sub| Standing {
            state: sub.state,
            purchased_at: sub.purchased_at,
            pending_renewal: sub.pending_renewal,
            bundle: sub.bundle.as_ref(),
        });
        // Only a renewal that names the sites to keep needs the enabled ones.
        let enabled: Vec<String> = match &order.keep {
            Some(_) => self
                .cloud_sites(order.account_id, &plan.service)
                .await?
                .into_iter()
                .filter(|s| s.enabled_at.is_some())
                .map(|s| s.site_id)
                .collect(),
            None => Vec::new(),
        };
        let kind = decide_order(
            standing.as_ref(),
            &plan.code,
            |bundle| plan.covers(bundle),
            order.keep.as_deref(),
            &enabled,
            order.quantity,
        )
        .map_err(|e| StoreError::refused(&e))?
        .as_str();
        let public_id = format!("ord_{}", tessera_core::site::new_site_id());
        let keep = order
            .keep
            .as_ref()
            .map(|k| serde_json::to_string(k).expect("strings serialize"));
        on_backend!(self, |db| sql::orders::create_order(
            db,
            &public_id,
            order,
            &plan,
            kind,
            keep.as_deref(),
            actor,
            now,
        ))?;
        self.order(&public_id, Some(order.account_id)).await
    }

    /// One order; with `account_id`, only if it is that account's.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(order = public_id, account_id = account_id)
    )]
    pub async fn order(&self, public_id: &str, account_id: Option<i64>) -> Result<OrderRecord> {
        let row = on_backend!(self, |db| sql::orders::order(db, public_id))?;
        row.filter(|r| account_id.is_none_or(|a| a == r.account_id))
            .as_ref()
            .map(OrderRecord::try_from)
            .transpose()?
            .ok_or(StoreError::NotFound("order"))
    }

    /// The account's orders, newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn orders(&self, account_id: i64) -> Result<Vec<OrderRecord>> {
        let rows = on_backend!(self, |db| sql::orders::orders(db, account_id))?;
        rows.iter().map(OrderRecord::try_from).collect()
    }

    /// Every account's orders, newest first: up to `limit` placed before the order whose
    /// row id is `before` (`i64::MAX` for the newest), with each one's row id for the next
    /// page.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn all_orders(&self, before: i64, limit: u32) -> Result<Vec<(i64, OrderRecord)>> {
        let rows = on_backend!(self, |db| sql::orders::all_orders(db, before, limit))?;
        rows.iter()
            .map(|r| Ok((r.id, OrderRecord::try_from(r)?)))
            .collect()
    }

    /// Cancels an order of the account `account_id` that awaits payment
    /// (`tessera_core::order::decide_cancel`); the order as it now is. Another account's
    /// order is `NotFound`; `ORDER_ALREADY_PAID`, `ORDER_CANCELLED`, `ORDER_EXPIRED` (its
    /// deadline passed, written down or not). The order's row is locked as a payment
    /// locks it, so a payment arriving at the same moment either comes first (and this is
    /// `ORDER_ALREADY_PAID`) or finds the order cancelled.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(order = public_id, account_id = account_id)
    )]
    pub async fn cancel_order(
        &self,
        public_id: &str,
        account_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<OrderRecord> {
        on_backend!(self, |db| sql::orders::cancel_order(
            db, public_id, account_id, actor, now
        ))?;
        self.order(public_id, Some(account_id)).await
    }

    /// Writes down the expiry of every order still awaiting payment at its deadline (they
    /// count as expired from then on regardless); their ids.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn expire_orders(&self, now: Timestamp) -> Result<Vec<String>> {
        on_backend!(self, |db| sql::orders::expire_orders(db, now))
    }

    /// Records a confirmed payment (E2–E3). Once per provider id: the same callback again is
    /// `AlreadyRecorded`. `ORDER_NOT_FOUND`, `ORDER_ALREADY_PAID` (another payment for a paid
    /// order), `ORDER_CANCELLED`, `ORDER_EXPIRED` (at `now`, written down or not),
    /// `PAYMENT_ID_REUSED`, `AMOUNT_MISMATCH`, `SUBSCRIPTION_DELETED`: nothing is recorded
    /// then. The frozen invoice document is issued by `seller`, its dates in
    /// `zone`; the confirmation mail goes to the order's invoice address.
    #[tracing::instrument(level = "debug", skip_all, fields(order = payment.order))]
    pub async fn record_payment(
        &self,
        payment: &PaymentIn<'_>,
        zone: &TimeZone,
        seller: &Seller,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<PaymentOutcome> {
        on_backend!(self, |db| sql::payments::record_payment(
            db, payment, zone, seller, actor, now,
        ))
    }

    /// Invoices, newest first; one account's when given.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn invoices(&self, account_id: Option<i64>) -> Result<Vec<InvoiceRecord>> {
        let rows = on_backend!(self, |db| sql::orders::invoices(db, account_id))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// One invoice by number; with `account_id`, only if it is that account's.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(number = number, account_id = account_id)
    )]
    pub async fn invoice(&self, number: &str, account_id: Option<i64>) -> Result<InvoiceRecord> {
        let row = on_backend!(self, |db| sql::orders::invoice(db, number))?;
        row.filter(|r| account_id.is_none_or(|a| a == r.account_id))
            .map(TryFrom::try_from)
            .transpose()?
            .ok_or(StoreError::NotFound("invoice"))
    }
}

/// A paid order of three cloud sites, for the tests of what a payment issues.
#[cfg(test)]
pub(crate) fn paid_order() -> OrderRecord {
    OrderRecord {
        id: "ord_1".into(),
        account_id: 7,
        account_username: "jack.white".into(),
        account_language: "it".into(),
        plan: "cloud-12".into(),
        plan_name: "SSM 2.0 Cloud".into(),
        article_code: "F00772540".into(),
        service: "cloud".into(),
        kind: "purchase".into(),
        quantity: 3,
        keep: None,
        billing: r#"{"company":"Rossi Trasporti S.r.l.","street":"Via Emilia 4",
            "place":"Milano","postal_code":"20121","country":"IT",
            "invoice_email":"accounts@rossi.example","e_invoice_consent":true,"b2b":true,
            "vat_number":"IT12345678903"}"#
            .into(),
        net: 90_000,
        vat: 19_800,
        vat_rate_bp: 2200,
        vat_treatment: "domestic".into(),
        total: 109_800,
        currency: "EUR".into(),
        status: OrderStatus::Paid,
        created_at: Timestamp::UNIX_EPOCH,
        pay_by: Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_hours(72),
        paid_at: None,
        invoice: None,
    }
}
