//! The vendor's public keys, for anyone verifying a license.

use axum::extract::State;
use tessera_api::PublicKeys;

use crate::extract::ApiJson;
use crate::state::AppState;

/// List the vendor's signing public keys (retired ones too: they still verify what they signed).
#[utoipa::path(get, path = "/api/v1/public-keys", tag = "signing",
    responses((status = 200, body = PublicKeys)))]
pub async fn list(State(state): State<AppState>) -> ApiJson<PublicKeys> {
    ApiJson(PublicKeys {
        keys: state.keyring.public_keys(),
    })
}
