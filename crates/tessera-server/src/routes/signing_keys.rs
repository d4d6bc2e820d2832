//! Rotating and retiring the vendor's signing keys (C3).

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::ErrorCode;
use tessera_api::PublicKeyInfo;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::signing::KeyringError;
use crate::state::AppState;

impl From<KeyringError> for ApiError {
    fn from(e: KeyringError) -> Self {
        match e {
            KeyringError::NotFound(_) => {
                ApiError::refused(ErrorCode::SigningKeyNotFound, e.to_string())
            }
            KeyringError::AlreadyRetired(_) => {
                ApiError::refused(ErrorCode::SigningKeyRetired, e.to_string())
            }
            KeyringError::Active(_) => {
                ApiError::refused(ErrorCode::SigningKeyActive, e.to_string())
            }
            KeyringError::Other(e) => ApiError::Internal(e),
        }
    }
}

/// Make a new signing key the active one. Licenses signed with older keys still verify until
/// those keys are retired.
#[utoipa::path(post, path = "/api/v1/signing-keys/rotate", tag = "signing",
    security(("operator_token" = [])),
    responses((status = 201, body = PublicKeyInfo), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn rotate(
    State(state): State<AppState>,
    op: Operator,
) -> ApiResult<(StatusCode, ApiJson<PublicKeyInfo>)> {
    let key = state
        .keyring
        .rotate(&state.store, &op.actor(), state.clock.now())
        .await?;
    tracing::info!(key_id = %key.key_id, operator = %op.username, "signing key rotated");
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
    let key = state
        .keyring
        .retire(&state.store, &key_id, &op.actor(), state.clock.now())
        .await?;
    tracing::info!(key_id = %key.key_id, operator = %op.username, "signing key retired");
    Ok(ApiJson(key))
}
