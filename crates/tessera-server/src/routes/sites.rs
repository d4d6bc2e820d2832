//! Operators' handling of installations: look up, suspend, resume, deactivate, set expiry.

use axum::extract::State;
use tessera_api::{SetExpiry, Site};

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::signing::documents::to_api_site;
use crate::sites;
use crate::state::AppState;

/// One installation (operators).
#[utoipa::path(get, path = "/api/v1/sites/{site_id}", tag = "sites",
    params(("site_id" = String, Path)), security(("operator_token" = [])),
    responses((status = 200, body = Site), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<Site>> {
    Ok(ApiJson(to_api_site(
        &sites::site(&state, &op, &site_id).await?,
    )))
}

/// Stop an installation: validations answer `suspended`, activation is refused.
#[utoipa::path(post, path = "/api/v1/sites/{site_id}/suspend", tag = "sites",
    params(("site_id" = String, Path)), security(("operator_token" = [])),
    responses((status = 200, body = Site), (status = 404, body = tessera_api::ErrorBody), (status = 409, body = tessera_api::ErrorBody)))]
pub async fn suspend(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<Site>> {
    let site = sites::set_suspended(&state, &op, &site_id, true).await?;
    Ok(ApiJson(to_api_site(&site)))
}

/// Lift a suspension.
#[utoipa::path(post, path = "/api/v1/sites/{site_id}/resume", tag = "sites",
    params(("site_id" = String, Path)), security(("operator_token" = [])),
    responses((status = 200, body = Site), (status = 404, body = tessera_api::ErrorBody), (status = 409, body = tessera_api::ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<Site>> {
    let site = sites::set_suspended(&state, &op, &site_id, false).await?;
    Ok(ApiJson(to_api_site(&site)))
}

/// Release an installation from its machine (operators).
#[utoipa::path(post, path = "/api/v1/sites/{site_id}/deactivate", tag = "sites",
    params(("site_id" = String, Path)), security(("operator_token" = [])),
    responses((status = 200, body = Site), (status = 404, body = tessera_api::ErrorBody), (status = 409, body = tessera_api::ErrorBody)))]
pub async fn deactivate(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<Site>> {
    let site = sites::release(&state, &op, &site_id).await?;
    Ok(ApiJson(to_api_site(&site)))
}

/// Set or clear the date the installation's license expires.
#[utoipa::path(put, path = "/api/v1/sites/{site_id}/expiry", tag = "sites",
    params(("site_id" = String, Path)), request_body = SetExpiry, security(("operator_token" = [])),
    responses((status = 200, body = Site), (status = 404, body = tessera_api::ErrorBody), (status = 422, body = tessera_api::ErrorBody)))]
pub async fn set_expiry(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(site_id): ApiPath<String>,
    ApiJson(req): ApiJson<SetExpiry>,
) -> ApiResult<ApiJson<Site>> {
    let expires_at = req.expires_at.as_deref();
    let site = sites::set_expiry(&state, &op, &site_id, expires_at).await?;
    Ok(ApiJson(to_api_site(&site)))
}
