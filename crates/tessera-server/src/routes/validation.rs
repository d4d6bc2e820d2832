//! The daily check (D5, D6): answered from memory with a signed response bound to the
//! client's nonce; the time of each successful check is recorded in batches.

use axum::Extension;
use axum::extract::State;
use tessera_api::{SignedDocument, ValidationRequest};
use tessera_core::LicenseState;
use tower_http::request_id::RequestId;

use crate::activation;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ClientIp};
use crate::state::AppState;

/// Validate a site's license. Always a signed `tessera-validation/v2` document whose payload
/// carries the state (`valid`, `expired`, `revoked`, `suspended`, `not_activated`,
/// `fingerprint_mismatch`, `unknown_site`), the echoed nonce and the server time; when valid
/// also modules, user count, expiry, the next check deadline and the account's
/// installations.
#[utoipa::path(post, path = "/api/v1/validations", tag = "activation",
    request_body = ValidationRequest,
    responses(
        (status = 200, body = SignedDocument),
        (status = 422, description = "FINGERPRINT_INVALID, NONCE_INVALID, SITE_ID_INVALID", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn validate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Extension(request_id): Extension<RequestId>,
    ApiJson(req): ApiJson<ValidationRequest>,
) -> ApiResult<ApiJson<SignedDocument>> {
    let (license_state, document) = activation::validate(&state, ip, &req).await?;
    if license_state != LicenseState::Valid {
        // This route has no request span (see routes::hot_api): the event names its request.
        let request_id = request_id.header_value().to_str().unwrap_or("");
        let site = req.site_id.trim();
        tracing::info!(site, state = %license_state, %ip, request_id, "validation not valid");
    }
    Ok(ApiJson(document))
}
