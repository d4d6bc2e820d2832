//! The site released from its machine (X2, C2): the account frees the key from the machine
//! it is bound to, so the installation can be activated on another (a new PC, a system
//! installed again). Through the use case of `POST /api/v1/account/sites/{site_id}/deactivate`,
//! with an account-wide `sites.manage`. It asks first: a post without `confirm=yes` shows
//! the sheet with the question and what follows; with it, the site is released. A machine
//! licensed by file is not offered the button: it never checks online and would keep
//! running, so only the vendor releases it (`LICENSED_BY_FILE`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tessera_api::ErrorCode;
use tessera_server::actors::{PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;
use tessera_server::{AppState, accounts};

use crate::form::{PageForm, Refusal};
use crate::view::Ctx;

/// The release's part of the sheet's licence card, for a reader with `sites.manage`.
pub(crate) struct Section {
    /// The site is bound to a machine now (else there is nothing to release).
    pub active: bool,
    /// Bound by file: released by the vendor only, so no button.
    pub by_file: bool,
    /// The question is asked (after a first click).
    pub confirm: bool,
    /// Why the last attempt was refused.
    pub error: Option<String>,
}

impl Section {
    /// What the sheet shows of the release: None when there is nothing to show.
    pub(crate) fn of(
        status: &str,
        by_file: bool,
        confirm: bool,
        error: Option<String>,
    ) -> Option<Self> {
        let active = status == "active";
        (active || error.is_some()).then_some(Section {
            active,
            by_file,
            confirm: confirm && active && !by_file,
            error,
        })
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ReleasePost {
    /// `yes` once the question was answered.
    confirm: String,
}

/// `POST /sites/{site_id}/release`: without `confirm=yes` the sheet asks; with it the site
/// is released and the sheet says so. A refusal (released meanwhile, licensed by file) comes
/// back in the licence card.
pub async fn release(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
    PageForm(post): PageForm<ReleasePost>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageSites>()?;
    let site = accounts::visible_site(&state, &me, &site_id).await?;
    if post.confirm != "yes" && site.status == "active" {
        let shown = super::Shown {
            release_confirm: true,
            ..super::Shown::default()
        };
        let page = super::sheet(&state, &ctx, &me, &site_id, shown).await?;
        return Ok(Html(page).into_response());
    }
    // A site no machine holds has nothing to release, asked or not: said as the use case
    // says it.
    let released = match site.status.as_str() {
        "active" => accounts::release_site(&state, &who, &site_id).await,
        _ => Err(ErrorCode::SiteNotActive.into()),
    };
    let e = match released {
        Ok(_) => return Ok(super::done(&site_id, "released", "licence")),
        Err(e) => e,
    };
    if e.status() != StatusCode::CONFLICT {
        return Err(e);
    }
    let refusal = Refusal::of(ctx.tr, e)?;
    let shown = super::Shown {
        release_refused: Some(refusal.message.clone()),
        ..super::Shown::default()
    };
    let page = super::sheet(&state, &ctx, &me, &site_id, shown).await?;
    Ok(refusal.respond(Html(page)))
}
