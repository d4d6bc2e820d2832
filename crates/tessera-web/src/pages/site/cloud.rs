//! The site's cloud activation data mailed again to its representative (E5, seed 000's
//! "send the activation data by e-mail"): a new activation code and the same site code,
//! through the use case the API's `POST /api/v1/account/cloud/sites/{site_id}/codes`
//! calls, with an account-wide `sites.manage`; offered while the site is enabled.

use axum::extract::State;
use axum::response::Response;
use tessera_server::AppState;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::cloud;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;

/// Where the site's activation data goes when mailed again: its representative's address,
/// while the site is enabled for the cloud (None otherwise: nothing to send).
pub(crate) async fn recipient(
    state: &AppState,
    who: &Holds<right::ManageSites>,
    site_id: &str,
) -> Result<Option<String>, ApiError> {
    let overview = cloud::overview(state, who.id).await?;
    Ok(overview
        .groups
        .into_iter()
        .flat_map(|g| g.sites)
        .find(|s| s.site_id == site_id && s.cloud != "not_enabled")
        .map(|s| s.email.unwrap_or_default()))
}

/// `POST /sites/{site_id}/codes`: the site's activation data mailed again to its
/// representative (a new activation code, the same site code).
pub async fn resend_codes(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageSites>()?;
    cloud::resend_codes(&state, &who, &site_id).await?;
    Ok(super::done(&site_id, "codes", "cloud"))
}
