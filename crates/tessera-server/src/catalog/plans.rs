//! The cloud service's plans and subscriptions as operators handle them (E1–E4): a plan is
//! a service's price per site and term with its trial and the editions and sizes it
//! covers; operators list every subscription and set their states.

use tessera_api::{ErrorCode, NewPlan, SetSubscriptionState, Subscription};
use tessera_core::account::required_text;
use tessera_core::catalog::Code;
use tessera_core::cloud::Bundle;
use tessera_store::{PlanRecord, StateChange};

use crate::actors::Operator;
use crate::cloud::to_api_subscription;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn currency(input: &str) -> ApiResult<String> {
    let c = input.trim().to_ascii_uppercase();
    if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ApiError::invalid(
            ErrorCode::CurrencyInvalid,
            "currency",
            "the currency is a three-letter ISO 4217 code such as EUR",
        ));
    }
    Ok(c)
}

/// Checks the price, the terms and that the plan covers something.
fn check_terms(req: &NewPlan) -> ApiResult<()> {
    if !(0..=1_000_000_000).contains(&req.price) {
        return Err(ApiError::invalid(
            ErrorCode::PriceInvalid,
            "price",
            "the price is 0 to 1000000000 in the currency's minor unit (cents)",
        ));
    }
    if !(1..=120).contains(&req.period_months) || req.trial_months > 36 || req.trial_sites > 10_000
    {
        return Err(ApiError::invalid(
            ErrorCode::PlanTermsInvalid,
            "period_months",
            "a term is 1 to 120 months, a trial 0 to 36 months and 0 to 10000 sites",
        ));
    }
    if req.bundles.is_empty() {
        return Err(ApiError::invalid(
            ErrorCode::BundlesRequired,
            "bundles",
            "a plan covers at least one edition and size",
        ));
    }
    Ok(())
}

/// Adds the plan `req` (E1, E2): a service's price per site and term, its trial, and the
/// editions and sizes it covers.
pub async fn add_plan(app: &AppState, op: &Operator, req: &NewPlan) -> ApiResult<PlanRecord> {
    let code =
        Code::parse(&req.code).map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, "code", e))?;
    let service = Code::parse(&req.service)
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, "service", e))?;
    check_terms(req)?;
    let new = tessera_store::NewPlan {
        code: code.as_str().to_owned(),
        service: service.as_str().to_owned(),
        name: required_text("name", &req.name, 200)?,
        article_code: required_text("article_code", &req.article_code, 40)?,
        price: req.price,
        currency: currency(&req.currency)?,
        period_months: req.period_months,
        trial_months: req.trial_months,
        trial_sites: req.trial_sites,
        product: req.product.trim().to_owned(),
        bundles: req
            .bundles
            .iter()
            .map(|b| Bundle {
                edition: b.edition.trim().to_owned(),
                size: b.size.trim().to_owned(),
            })
            .collect(),
    };
    Ok(app
        .store
        .create_plan(&new, &op.actor(), app.clock.now())
        .await?)
}

/// The plans on sale, with their prices (public, like a shop's price list).
pub async fn plans(app: &AppState) -> ApiResult<Vec<PlanRecord>> {
    Ok(app.store.plans().await?)
}

/// Every subscription, or `account`'s only, as they stand now (E2).
pub async fn subscriptions(
    app: &AppState,
    _op: &Operator,
    account: Option<i64>,
) -> ApiResult<Vec<Subscription>> {
    let now = app.clock.now();
    Ok(app
        .store
        .subscriptions(account)
        .await?
        .iter()
        .map(|s| to_api_subscription(s, now))
        .collect())
}

/// The longest note on a state change.
const NOTE_MAX: usize = 500;

/// Sets the subscription `id` to `maintenance`, `blocked` or `deleted` (final; its sites are
/// released), or back to `active` (a trial resumes as trialing) (E4), with why for the
/// customer (`req.note`).
pub async fn set_subscription_state(
    app: &AppState,
    op: &Operator,
    id: i64,
    req: &SetSubscriptionState,
) -> ApiResult<Subscription> {
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > NOTE_MAX) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidNote,
            "note",
            format!("a note has at most {NOTE_MAX} characters"),
        ));
    }
    let change = match req.state.trim() {
        "active" => StateChange::Resume,
        "maintenance" => StateChange::Maintenance,
        "blocked" => StateChange::Blocked,
        "deleted" => StateChange::Deleted,
        _ => {
            return Err(ApiError::invalid(
                ErrorCode::StateInvalid,
                "state",
                "the state is one of active, maintenance, blocked, deleted",
            ));
        }
    };
    let now = app.clock.now();
    let sub = app
        .store
        .set_subscription_state(id, change, note, &op.actor(), now)
        .await?;
    Ok(to_api_subscription(&sub, now))
}
