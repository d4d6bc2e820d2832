//! The vendor's public keys, for anyone verifying a license.

use axum::extract::State;
use tessera_api::PublicKeys;

use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

/// List the vendor's signing public keys: the active one, older ones that still verify, and
/// retired ones (listed with `retired_at`; no longer to be trusted).
#[utoipa::path(get, path = "/api/v1/public-keys", tag = "signing",
    responses((status = 200, body = PublicKeys)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<ApiJson<PublicKeys>> {
    // Fresh: another instance may have rotated.
    Ok(ApiJson(PublicKeys {
        keys: crate::signing::keys::public_keys(&state).await?,
    }))
}
