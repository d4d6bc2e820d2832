//! The daily check (D5, D6): answered from memory with a signed response bound to the
//! client's nonce; the time of each successful check is recorded in batches.

use axum::Extension;
use axum::extract::State;
use tessera_api::ErrorCode;
use tessera_api::{SignedDocument, ValidationRequest};
use tessera_core::{Fingerprint, LicenseState, Nonce};
use tower_http::request_id::RequestId;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ClientIp};
use crate::signing::documents::validation_payload;
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
    let site_id = req.site_id.trim();
    if !tessera_core::site::is_site_id(site_id) {
        return Err(ApiError::invalid(
            ErrorCode::SiteIdInvalid,
            "site_id",
            "a site id is the id activation returned",
        ));
    }
    let fingerprint = Fingerprint::parse(req.fingerprint.trim())
        .map_err(|e| ApiError::invalid((&e).into(), "fingerprint", e))?;
    let nonce =
        Nonce::parse(req.nonce.trim()).map_err(|e| ApiError::invalid((&e).into(), "nonce", e))?;
    state.limits.validations.check(ip, site_id)?;
    let sites = state.store.cached_sites(site_id).await?;
    let keys = state.keyring.fresh(&state.store).await?;
    let now = state.clock.now();
    let (license_state, valid_site, payload) =
        validation_payload(sites.as_deref(), site_id, &fingerprint, &nonce, &keys, now);
    let document = state
        .validation_signer
        .sign(keys, &payload)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    if let Some(id) = valid_site {
        state.validations.record(id, now);
    }
    metrics::counter!("tessera_validations_total", "state" => license_state.as_str()).increment(1);
    if license_state != LicenseState::Valid {
        // This route has no request span (see routes::hot_api): the event names its request.
        let request_id = request_id.header_value().to_str().unwrap_or("");
        tracing::info!(site = site_id, state = %license_state, %ip, request_id, "validation not valid");
    }
    Ok(ApiJson(document))
}
