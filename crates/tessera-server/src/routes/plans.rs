//! What operators sell (E1–E4): plans of a service, the subscriptions accounts hold, their
//! states.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tessera_api::{
    BundleRef, NewPlan, Plan, PlanList, SetSubscriptionState, Subscription, SubscriptionList,
};
use tessera_store::PlanRecord;
use utoipa::IntoParams;

use crate::actors::Operator;
use crate::catalog::plans;
use crate::error::ApiResult;
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
    let created = plans::add_plan(&state, &op, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(plan(created))))
}

/// The plans on sale, with their prices (public, like a shop's price list).
#[utoipa::path(get, path = "/api/v1/plans", tag = "cloud",
    responses((status = 200, body = PlanList)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<ApiJson<PlanList>> {
    let plans = plans::plans(&state).await?;
    Ok(ApiJson(PlanList {
        plans: plans.into_iter().map(plan).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
    op: Operator,
    ApiQuery(q): ApiQuery<SubscriptionsQuery>,
) -> ApiResult<ApiJson<SubscriptionList>> {
    let subscriptions = plans::subscriptions(&state, &op, q.account).await?;
    Ok(ApiJson(SubscriptionList { subscriptions }))
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
        (status = 422, description = "STATE_INVALID, INVALID_NOTE", body = tessera_api::ErrorBody),
    ))]
pub async fn set_state(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SetSubscriptionState>,
) -> ApiResult<ApiJson<Subscription>> {
    let sub = plans::set_subscription_state(&state, &op, id, &req).await?;
    Ok(ApiJson(sub))
}
