//! Installations as operators handle them, as use cases: look one up, suspend and resume
//! it, release it from its machine, set when its license expires; and a site's technical
//! data (F4) in `technical`. The JSON routes are routes/sites.rs and routes/technical.rs.

pub mod technical;

use tessera_api::ErrorCode;
use tessera_store::{SiteScope, SiteView};

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The installation `site_id`.
pub async fn site(app: &AppState, _op: &Operator, site_id: &str) -> ApiResult<SiteView> {
    Ok(app.store.site(site_id).await?)
}

// Each change is noted in the operations log as concerning the installation's account.

/// Suspends the installation `site_id` (`suspended`: validations answer `suspended`,
/// activation is refused) or lifts its suspension.
pub async fn set_suspended(
    app: &AppState,
    op: &Operator,
    site_id: &str,
    suspended: bool,
) -> ApiResult<SiteView> {
    let site = app
        .store
        .set_site_suspended(site_id, suspended, &op.actor(), app.clock.now())
        .await?;
    op.note.account(site.account_id);
    Ok(site)
}

/// Releases the installation `site_id` from its machine, whichever account holds it (C2).
pub async fn release(app: &AppState, op: &Operator, site_id: &str) -> ApiResult<SiteView> {
    let site = app
        .store
        .deactivate_site(site_id, SiteScope::Any, &op.actor(), app.clock.now())
        .await?;
    op.note.account(site.account_id);
    Ok(site)
}

/// Sets (an RFC 3339 time) or clears (None) when the installation's license expires.
pub async fn set_expiry(
    app: &AppState,
    op: &Operator,
    site_id: &str,
    expires_at: Option<&str>,
) -> ApiResult<SiteView> {
    let expires_at = expires_at
        .map(tessera_core::clock::parse_instant)
        .transpose()
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidTimestamp, "expires_at", e))?;
    let site = app
        .store
        .set_site_expiry(site_id, expires_at, &op.actor(), app.clock.now())
        .await?;
    op.note.account(site.account_id);
    Ok(site)
}
