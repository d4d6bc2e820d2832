//! Operators' handling of installations: look up, suspend, resume, deactivate, set expiry.

use axum::extract::State;
use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_api::{SetExpiry, Site};

use tessera_store::SiteScope;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::signing::documents::to_api_site;
use crate::state::AppState;

/// One installation (operators).
#[utoipa::path(get, path = "/api/v1/sites/{site_id}", tag = "sites",
    params(("site_id" = String, Path)), security(("operator_token" = [])),
    responses((status = 200, body = Site), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<Site>> {
    Ok(ApiJson(to_api_site(&state.store.site(&site_id).await?)))
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
    set_suspended(&state, &op, &site_id, true).await
}

async fn set_suspended(
    state: &AppState,
    op: &Operator,
    site_id: &str,
    suspended: bool,
) -> ApiResult<ApiJson<Site>> {
    let site = state
        .store
        .set_site_suspended(site_id, suspended, &op.actor(), state.clock.now())
        .await?;
    op.note.account(site.account_id);
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
    set_suspended(&state, &op, &site_id, false).await
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
    let site = state
        .store
        .deactivate_site(&site_id, SiteScope::Any, &op.actor(), state.clock.now())
        .await?;
    op.note.account(site.account_id);
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
    let expires_at = req
        .expires_at
        .as_deref()
        .map(|s| s.parse::<Timestamp>())
        .transpose()
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidTimestamp, "expires_at", e))?;
    let site = state
        .store
        .set_site_expiry(&site_id, expires_at, &op.actor(), state.clock.now())
        .await?;
    op.note.account(site.account_id);
    Ok(ApiJson(to_api_site(&site)))
}
