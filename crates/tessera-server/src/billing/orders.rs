//! Placing an order for the cloud service (E2): the invoicing data is checked, VAT follows
//! the customer's country, and the order (a purchase or a renewal that may drop sites)
//! waits for its payment, `billing.order_expiry_hours` at most, or until the account
//! cancels it. Whether the account may order now is decided by
//! `tessera_core::order::decide_order`, whether it may cancel by
//! `tessera_core::order::decide_cancel` (through the store).

use tessera_api::{ErrorCode, NewOrder};
use tessera_core::order::pay_by;
use tessera_core::subscription::{amounts, vat_treatment};
use tessera_store::OrderRecord;

use crate::actors::{Holds, right};
use crate::error::{ApiError, ApiResult};
use crate::forms;
use crate::state::AppState;

/// An order is for 1 to this many sites.
const MAX_SITES: u32 = 10_000;

/// Places the order `req` for the account of `who`; the answer's summary is what the customer
/// confirms before paying.
pub async fn place_order(
    app: &AppState,
    who: &Holds<right::ApproveCosts>,
    req: &NewOrder,
) -> ApiResult<OrderRecord> {
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

/// The sites to keep as given, trimmed, sorted, each once.
fn kept_sites(keep: &[String]) -> Vec<String> {
    let mut keep: Vec<String> = keep.iter().map(|s| s.trim().to_owned()).collect();
    keep.sort_unstable();
    keep.dedup();
    keep
}
