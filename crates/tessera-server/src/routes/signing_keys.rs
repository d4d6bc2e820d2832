//! Rotating and retiring the vendor's signing keys (C3).

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::PublicKeyInfo;

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::signing::keys;
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/signing-keys/rotate", tag = "signing",
    security(("operator_token" = [])),
    responses((status = 201, body = PublicKeyInfo), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn rotate(
    State(state): State<AppState>,
    op: Operator,
) -> ApiResult<(StatusCode, ApiJson<PublicKeyInfo>)> {
    let key = keys::rotate(&state, &op).await?;
    Ok((StatusCode::CREATED, ApiJson(key)))
}

/// Retire a signing key: verifiers stop trusting what it signed. The active key cannot be
/// retired; rotate first.
#[utoipa::path(post, path = "/api/v1/signing-keys/{key_id}/retire", tag = "signing",
    params(("key_id" = String, Path)), security(("operator_token" = [])),
    responses(
        (status = 200, body = PublicKeyInfo),
        (status = 404, body = tessera_api::ErrorBody),
        (status = 409, description = "SIGNING_KEY_ACTIVE or SIGNING_KEY_RETIRED", body = tessera_api::ErrorBody),
    ))]
pub async fn retire(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(key_id): ApiPath<String>,
) -> ApiResult<ApiJson<PublicKeyInfo>> {
    Ok(ApiJson(keys::retire(&state, &op, &key_id).await?))
}
