//! The site's cloud activation data mailed again to its representative (E5, seed 000's
//! "send the activation data by e-mail"): a new activation code and the same site code,
//! through the use case the API's `POST /api/v1/account/cloud/sites/{site_id}/codes`
//! calls, with an account-wide `sites.manage`; offered while the site is enabled.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, Response};
use tessera_server::AppState;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::cloud;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;

use crate::form::Refusal;
use crate::i18n::Tr;
use crate::view::Ctx;

/// The sheet's cloud section.
pub(crate) struct Section {
    /// What mailing the activation data again does, to whom; None when the site's data
    /// names no representative's address to send it to (then no button is offered).
    pub help: Option<String>,
    /// Why the last attempt was refused.
    pub error: Option<String>,
}

/// The cloud section of `site_id`'s sheet, while the site is enabled for the cloud (None
/// otherwise: nothing to send), with `error` from a refused attempt.
pub(crate) async fn section(
    state: &AppState,
    tr: Tr,
    who: &Holds<right::ManageSites>,
    site_id: &str,
    error: Option<String>,
) -> Result<Option<Section>, ApiError> {
    let overview = cloud::overview(state, who.id).await?;
    Ok(overview
        .groups
        .into_iter()
        .flat_map(|g| g.sites)
        .find(|s| s.site_id == site_id && s.cloud != "not_enabled")
        .map(|s| Section {
            help: s
                .email
                .filter(|e| !e.trim().is_empty())
                .map(|email| tr.with("site-cloud-resend-help", &[("email", &email)])),
            error,
        }))
}

/// `POST /sites/{site_id}/codes`: the site's activation data mailed again to its
/// representative (a new activation code, the same site code). Refused (no address to
/// send to, too many in a row) the sheet comes back with the reason in its cloud section.
pub async fn resend_codes(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageSites>()?;
    let e = match cloud::resend_codes(&state, &who, &site_id).await {
        Ok(()) => return Ok(super::done(&site_id, "codes", "cloud")),
        Err(e) => e,
    };
    let shown_here = [
        StatusCode::CONFLICT,
        StatusCode::UNPROCESSABLE_ENTITY,
        StatusCode::TOO_MANY_REQUESTS,
    ];
    if !shown_here.contains(&e.status()) {
        return Err(e);
    }
    let refusal = Refusal::of(ctx.tr, e)?;
    let shown = super::Shown {
        cloud_refused: Some(refusal.message.clone()),
        ..super::Shown::default()
    };
    let page = super::sheet(&state, &ctx, &me, &site_id, shown).await?;
    Ok(refusal.respond(Html(page)))
}
