//! Webhooks (X7): operators register endpoints, read their deliveries, send one again.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{NewWebhook, Webhook, WebhookDelivery, WebhookDeliveryList, WebhookList};

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::webhooks;

/// Register an endpoint for events; the answer holds its signing secret, shown this once.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    security(("operator_token" = [])),
    responses((status = 201, body = Webhook),
        (status = 422, description = "WEBHOOK_URL_INVALID, WEBHOOK_EVENTS_INVALID", body = tessera_api::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(req): ApiJson<NewWebhook>,
) -> ApiResult<(StatusCode, ApiJson<Webhook>)> {
    let created = webhooks::create(&state, &op, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// The registered endpoints (without their secrets).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    security(("operator_token" = [])),
    responses((status = 200, body = WebhookList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _op: Operator) -> ApiResult<ApiJson<WebhookList>> {
    Ok(ApiJson(WebhookList {
        webhooks: webhooks::list(&state).await?,
    }))
}

/// Delete an endpoint; its deliveries not made yet are given up.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "endpoint id")),
    responses((status = 204), (status = 404, description = "WEBHOOK_NOT_FOUND", body = tessera_api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&state, &op, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An endpoint's latest deliveries (500), newest first, each with its last answer.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "endpoint id")),
    responses((status = 200, body = WebhookDeliveryList),
        (status = 404, description = "WEBHOOK_NOT_FOUND", body = tessera_api::ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<WebhookDeliveryList>> {
    Ok(ApiJson(WebhookDeliveryList {
        deliveries: webhooks::deliveries(&state, id).await?,
    }))
}

/// Send a delivery again (delivered, failed or waiting): due now; the receiver knows it by
/// its event id.
#[utoipa::path(post, path = "/api/v1/webhook-deliveries/{id}/replay", tag = "webhooks",
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "delivery id")),
    responses((status = 200, body = WebhookDelivery),
        (status = 404, description = "WEBHOOK_DELIVERY_NOT_FOUND", body = tessera_api::ErrorBody)))]
pub async fn replay(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<WebhookDelivery>> {
    Ok(ApiJson(webhooks::replay(&state, &op, id).await?))
}
