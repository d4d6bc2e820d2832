//! What operators sell (E1–E4): plans of a service, the subscriptions accounts hold, their
//! states.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tessera_api::ErrorCode;
use tessera_api::{
    BundleRef, NewPlan, Plan, PlanList, SetSubscriptionState, Subscription, SubscriptionList,
};
use tessera_core::account::required_text;
use tessera_core::catalog::Code;
use tessera_core::cloud::Bundle;
use tessera_store::{PlanRecord, StateChange};
use utoipa::IntoParams;

use crate::actors::Operator;
use crate::cloud::to_api_subscription;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

fn plan(p: PlanRecord) -> Plan {
    Plan {
        code: p.code,
        service: p.service,
        name: p.name,
        article_code: p.article_code,
        price: p.price,
        currency: p.currency,
        period_months: p.period_months,
        trial_months: p.trial_months,
        trial_sites: p.trial_sites,
        product: p.product,
        bundles: p
            .bundles
            .into_iter()
            .map(|b| BundleRef {
                edition: b.edition,
                size: b.size,
            })
            .collect(),
    }
}

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

/// Add a plan: a service's price per site and term, its trial, and the editions and sizes it
/// covers.
#[utoipa::path(post, path = "/api/v1/plans", tag = "cloud", request_body = NewPlan,
    security(("operator_token" = [])),
    responses(
        (status = 201, body = Plan),
        (status = 404, description = "PRODUCT_NOT_FOUND, EDITION_NOT_FOUND, SIZE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "PLAN_EXISTS", body = tessera_api::ErrorBody),
        (status = 422, body = tessera_api::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(req): ApiJson<NewPlan>,
) -> ApiResult<(StatusCode, ApiJson<Plan>)> {
    let code =
        Code::parse(&req.code).map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, "code", e))?;
    let service = Code::parse(&req.service)
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, "service", e))?;
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
    let created = state
        .store
        .create_plan(&new, &op.actor(), state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(plan(created))))
}

/// The plans on sale, with their prices (public, like a shop's price list).
#[utoipa::path(get, path = "/api/v1/plans", tag = "cloud",
    responses((status = 200, body = PlanList)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<ApiJson<PlanList>> {
    Ok(ApiJson(PlanList {
        plans: state.store.plans().await?.into_iter().map(plan).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SubscriptionsQuery {
    /// Only this account's.
    pub account: Option<i64>,
}

/// Every subscription (operators).
#[utoipa::path(get, path = "/api/v1/subscriptions", tag = "cloud", params(SubscriptionsQuery),
    security(("operator_token" = [])),
    responses((status = 200, body = SubscriptionList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn subscriptions(
    State(state): State<AppState>,
    _op: Operator,
    ApiQuery(q): ApiQuery<SubscriptionsQuery>,
) -> ApiResult<ApiJson<SubscriptionList>> {
    let now = state.clock.now();
    Ok(ApiJson(SubscriptionList {
        subscriptions: state
            .store
            .subscriptions(q.account)
            .await?
            .iter()
            .map(|s| to_api_subscription(s, now))
            .collect(),
    }))
}

/// Set a subscription to `maintenance`, `blocked` or `deleted` (final; its sites are
/// released), or back to `active` (a trial resumes as trialing).
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/state", tag = "cloud",
    params(("id" = i64, Path)), request_body = SetSubscriptionState,
    security(("operator_token" = [])),
    responses(
        (status = 200, body = Subscription),
        (status = 404, description = "SUBSCRIPTION_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "SUBSCRIPTION_DELETED", body = tessera_api::ErrorBody),
        (status = 422, description = "STATE_INVALID", body = tessera_api::ErrorBody),
    ))]
pub async fn set_state(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SetSubscriptionState>,
) -> ApiResult<ApiJson<Subscription>> {
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
    let now = state.clock.now();
    let sub = state
        .store
        .set_subscription_state(id, change, &op.actor(), now)
        .await?;
    Ok(ApiJson(to_api_subscription(&sub, now)))
}
