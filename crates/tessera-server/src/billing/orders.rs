//! Placing an order for the cloud service (E2): the invoicing data is checked, VAT follows
//! the customer's country, and the order (a purchase or a renewal that may drop sites)
//! waits for its payment, `billing.order_expiry_hours` at most, or until the account
//! cancels it. Whether the account may order now is decided by
//! `tessera_core::order::decide_order`, whether it may cancel by
//! `tessera_core::order::decide_cancel` (through the store).

use jiff::Timestamp;
use tessera_api::{Billing, ErrorCode, NewOrder, Order, OrderSummary};
use tessera_core::money::rate;
use tessera_core::order::pay_by;
use tessera_core::subscription::{VatTreatment, amounts, vat_treatment};
use tessera_store::OrderRecord;

use crate::actors::{AccountUser, Holds, right};
use crate::error::{ApiError, ApiResult};
use crate::forms;
use crate::state::AppState;

/// An order is for 1 to this many sites.
const MAX_SITES: u32 = 10_000;

/// Places the order `req` for the account of `who`, the terms accepted (the order's
/// creation is the record of when and by whom); the answer's summary is what the customer
/// confirms before paying.
pub async fn place_order(
    app: &AppState,
    who: &Holds<right::ApproveCosts>,
    req: &NewOrder,
) -> ApiResult<OrderRecord> {
    crate::cloud::terms_accepted(req.terms_accepted)?;
    let billing_config = &app.config.billing;
    let (Some(seller_country), Some(_)) = (
        billing_config.seller_country.as_deref(),
        billing_config.seller_name.as_deref(),
    ) else {
        return Err(ErrorCode::BillingNotConfigured.into());
    };
    if !(1..=MAX_SITES).contains(&req.sites) {
        return Err(ApiError::invalid(
            ErrorCode::SitesInvalid,
            "sites",
            "an order is for 1 to 10000 sites",
        ));
    }
    let billing = forms::billing(&req.billing)?;
    let plan = app.store.plan(req.plan.trim()).await?;
    let treatment = vat_treatment(
        seller_country,
        &billing.country,
        billing.b2b && billing.vat_number.is_some(),
        &billing_config.vat_rates,
    )
    .map_err(|e| ApiError::invalid(ErrorCode::VatRateUnknown, "billing.country", e))?;
    let now = app.clock.now();
    let order = tessera_store::NewOrder {
        account_id: who.id,
        plan: &plan.code,
        quantity: req.sites,
        keep: req.keep.as_deref().map(kept_sites),
        billing: serde_json::to_string(&billing).map_err(anyhow::Error::from)?,
        amounts: amounts(plan.price, req.sites, treatment),
        treatment,
        pay_by: pay_by(now, billing_config.order_expiry_hours),
    };
    let created = app.store.create_order(&order, &who.actor(), now).await?;
    tracing::info!(account = who.id, order = %created.id, kind = %created.kind, "order placed");
    Ok(created)
}

/// Cancels the order `order_id` of the account of `who` while it awaits payment; the order
/// as it now is. A payment arriving for it later is refused and kept for a refund.
pub async fn cancel_order(
    app: &AppState,
    who: &Holds<right::ApproveCosts>,
    order_id: &str,
) -> ApiResult<OrderRecord> {
    let now = app.clock.now();
    let cancelled = app
        .store
        .cancel_order(order_id.trim(), who.id, &who.actor(), now)
        .await?;
    tracing::info!(account = who.id, order = %cancelled.id, "order cancelled");
    Ok(cancelled)
}

/// The account's orders, newest first, as they stand now.
pub async fn account_orders(app: &AppState, who: &AccountUser) -> ApiResult<Vec<Order>> {
    let now = app.clock.now();
    let found = app.store.orders(who.id).await?;
    found
        .iter()
        .map(|o| order_view(o, &app.zone, now))
        .collect()
}

/// One of the account's orders as it stands now; `ORDER_NOT_FOUND` for another account's.
pub async fn account_order(app: &AppState, who: &AccountUser, order_id: &str) -> ApiResult<Order> {
    let order = app.store.order(order_id.trim(), Some(who.id)).await?;
    order_view(&order, &app.zone, app.clock.now())
}

/// The order as the customer sees it at `now` (dates in `zone`): one past its deadline is
/// `expired` even before the expiry job writes it down.
pub fn order_view(o: &OrderRecord, zone: &jiff::tz::TimeZone, now: Timestamp) -> ApiResult<Order> {
    let billing: Billing = serde_json::from_str(&o.billing)
        .map_err(|e| anyhow::anyhow!("billing data of order {}: {e}", o.id))?;
    Ok(Order {
        order_id: o.id.clone(),
        account_id: o.account_id,
        kind: o.kind.clone(),
        status: o.status_at(now).as_str().to_owned(),
        plan: o.plan.clone(),
        sites: o.quantity,
        keep: o.keep.clone(),
        summary: OrderSummary {
            article_code: o.article_code.clone(),
            service: o.plan_name.clone(),
            bundle: format!("{} × {}", o.quantity, o.plan.to_uppercase()),
            purchase_date: o.created_at.to_zoned(zone.clone()).date().to_string(),
            net: o.net,
            vat: o.vat,
            vat_rate: rate(o.vat_rate_bp),
            vat_treatment: o.vat_treatment.clone(),
            vat_note: VatTreatment::note_of(&o.vat_treatment).map(str::to_owned),
            total: o.total,
            currency: o.currency.clone(),
        },
        billing,
        invoice: o.invoice.clone(),
        created_at: o.created_at.to_string(),
        expires_at: o.pay_by.to_string(),
        paid_at: o.paid_at.map(|t| t.to_string()),
    })
}

/// The sites to keep as given, trimmed, sorted, each once.
fn kept_sites(keep: &[String]) -> Vec<String> {
    let mut keep: Vec<String> = keep.iter().map(|s| s.trim().to_owned()).collect();
    keep.sort_unstable();
    keep.dedup();
    keep
}
