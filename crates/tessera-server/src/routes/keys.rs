//! Single product keys: look up, revoke, upgrade to another edition, history (A3, E6).

use axum::extract::State;
use tessera_api::{ChangeEdition, KeyHistory, KeyInfo, RevokeKey};

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::keys;
use crate::routes::batches::key_to_api;
use crate::state::AppState;

/// Look up a key.
#[utoipa::path(get, path = "/api/v1/keys/{key}", tag = "keys",
    security(("operator_token" = [])),
    params(("key" = String, Path, description = "the key, with or without dashes, any case")),
    responses((status = 200, body = KeyInfo),
        (status = 404, description = "KEY_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 422, description = "KEY_CHECKSUM_INVALID, KEY_FORMAT_INVALID", body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(key): ApiPath<String>,
) -> ApiResult<ApiJson<KeyInfo>> {
    Ok(ApiJson(key_to_api(keys::key(&state, &op, &key).await?)))
}

/// Revoke a key; the reason is kept in its history.
#[utoipa::path(post, path = "/api/v1/keys/{key}/revoke", tag = "keys",
    security(("operator_token" = [])), request_body = RevokeKey,
    params(("key" = String, Path, description = "the key")),
    responses((status = 200, body = KeyInfo),
        (status = 404, body = tessera_api::ErrorBody),
        (status = 409, description = "KEY_ALREADY_REVOKED", body = tessera_api::ErrorBody),
        (status = 422, body = tessera_api::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(key): ApiPath<String>,
    ApiJson(req): ApiJson<RevokeKey>,
) -> ApiResult<ApiJson<KeyInfo>> {
    let record = keys::revoke(&state, &op, &key, &req.reason).await?;
    Ok(ApiJson(key_to_api(record)))
}

/// Move a key to another edition of its product (an upgrade). A site enabled in a cloud
/// subscription of the old edition then shows "cloud disabled: license mismatch".
#[utoipa::path(post, path = "/api/v1/keys/{key}/edition", tag = "keys",
    params(("key" = String, Path)), request_body = ChangeEdition,
    security(("operator_token" = [])),
    responses(
        (status = 200, body = KeyInfo),
        (status = 404, description = "KEY_NOT_FOUND, EDITION_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "EDITION_UNCHANGED", body = tessera_api::ErrorBody),
    ))]
pub async fn change_edition(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(key): ApiPath<String>,
    ApiJson(req): ApiJson<ChangeEdition>,
) -> ApiResult<ApiJson<KeyInfo>> {
    let record = keys::change_edition(&state, &op, &key, &req.edition).await?;
    Ok(ApiJson(key_to_api(record)))
}

/// Everything that happened to a key, oldest first, with who and when.
#[utoipa::path(get, path = "/api/v1/keys/{key}/history", tag = "keys",
    security(("operator_token" = [])),
    params(("key" = String, Path, description = "the key")),
    responses((status = 200, body = KeyHistory), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(key): ApiPath<String>,
) -> ApiResult<ApiJson<KeyHistory>> {
    Ok(ApiJson(keys::history(&state, &op, &key).await?))
}
