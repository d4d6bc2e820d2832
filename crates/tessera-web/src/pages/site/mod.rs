//! One site's sheet (H3): its identification data and licence (released from its machine
//! there: X2), its technician and charging points (F4), its monthly services with their
//! switch (F1–F3: seed 001's operations tab), its users (H1), its recent operations (I1),
//! and its cloud activation data mailed again (E5). Each section shows only with the proof of right its use case takes, and each
//! action asks for that same proof, so what is not shown is refused when called anyway.
//! A form post answers with a redirect back to the sheet (saying what was done), or shows
//! the form again with the refusal beside its field.

pub mod cloud;
pub mod data;
mod form;
mod operations;
pub mod release;
pub mod services;
pub mod technical;
pub mod users;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::Site;
use tessera_server::actors::{PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::{ApiPath, ApiQuery};
use tessera_server::sites::technical::own_technical;
use tessera_server::{AppState, accounts};

pub(crate) use self::form::FormPage;
use self::operations::OperationRow;
use crate::i18n::Tr;
use crate::pages::sites::encode;
use crate::view::{Chrome, Ctx, when};

#[derive(Debug, Deserialize, Default)]
pub struct SheetQuery {
    /// What was just done: a form post redirects here with it.
    #[serde(default)]
    done: String,
}

#[derive(Template)]
#[template(path = "site.html")]
struct SitePage {
    chrome: Chrome,
    site_id: String,
    label: String,
    status: String,
    status_label: String,
    notice: Option<String>,
    /// Empty until the site's client has sent its data.
    data: Vec<(String, String)>,
    edit_data: bool,
    licence: Vec<(String, String)>,
    /// Releasing the site from its machine, for a reader with `sites.manage`.
    release: Option<release::Section>,
    /// Empty when no technician is named.
    technician: Vec<(String, String)>,
    evse_ids: Vec<String>,
    edit_technical: bool,
    services: Option<services::Section>,
    users: Option<users::Section>,
    operations: Option<Vec<OperationRow>>,
    /// The cloud section, while the site is enabled for the cloud.
    cloud: Option<cloud::Section>,
}

/// What a refused form post shows on the sheet besides the sheet itself.
#[derive(Default)]
pub(crate) struct Shown {
    pub notice: Option<String>,
    pub new_user: Option<users::NewUserForm>,
    /// Why mailing the activation data again was refused.
    pub cloud_refused: Option<String>,
    /// The release was asked for: the question is shown.
    pub release_confirm: bool,
    /// Why releasing the site from its machine was refused.
    pub release_refused: Option<String>,
}

/// `GET /sites/{site_id}`: the sheet, each section with its right.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Html<String>, ApiError> {
    let shown = Shown {
        notice: notice(ctx.tr, &q.done),
        ..Shown::default()
    };
    Ok(Html(sheet(&state, &ctx, &me, &site_id, shown).await?))
}

/// The sheet of `site_id` as `me` may see it.
pub(crate) async fn sheet(
    state: &AppState,
    ctx: &Ctx,
    me: &PortalUser,
    site_id: &str,
    shown: Shown,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let site = accounts::visible_site(state, me, site_id).await?;
    let own = me.site_scope(site_id)?;
    let technical = own_technical(state, &own).await?;
    let services = match me.clone().holds::<right::OperationsTab>() {
        Ok(tab) => Some(services::section(state, ctx, &tab, &own).await?),
        Err(_) => None,
    };
    let users = match me.holds_account_wide::<right::ManageUsers>() {
        Ok(who) => Some(users::section(state, ctx, &who, site_id, shown.new_user).await?),
        Err(_) => None,
    };
    let operations = match me.clone().holds::<right::ViewOperationsLog>() {
        Ok(who) => Some(operations::recent(state, tr, &who, site_id).await?),
        Err(_) => None,
    };
    let manage = me.holds_account_wide::<right::ManageSites>().ok();
    let cloud = match &manage {
        Some(who) => cloud::section(state, tr, who, site_id, shown.cloud_refused).await?,
        None => None,
    };
    let technician = technical
        .technician
        .map(|t| {
            vec![
                (tr.t("site-technician-name"), t.name),
                (tr.t("site-technician-phone"), t.phone),
                (tr.t("site-technician-email"), t.email),
            ]
        })
        .unwrap_or_default();
    let page = SitePage {
        chrome: Chrome::signed_in(ctx, me, "/sites"),
        site_id: site.site_id.clone(),
        label: site.label.clone(),
        status_label: tr.t(&format!("site-state-{}", site.status)),
        status: site.status.clone(),
        notice: shown.notice,
        data: identification(tr, &site),
        edit_data: manage.is_some(),
        licence: licence(tr, &site, &state.zone),
        release: manage.as_ref().and_then(|_| {
            release::Section::of(
                &site.status,
                site.by_file,
                shown.release_confirm,
                shown.release_refused,
            )
        }),
        technician,
        evse_ids: technical.evse_ids,
        edit_technical: me.clone().holds::<right::EditTechnical>().is_ok(),
        services,
        users,
        operations,
        cloud,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

/// The identification data as label and value, in the order the client sends it.
fn identification(tr: Tr, site: &Site) -> Vec<(String, String)> {
    let Some(d) = &site.data else {
        return Vec::new();
    };
    let mut rows = vec![(tr.t("site-company"), d.company.clone())];
    if let Some(branch) = &d.branch {
        rows.push((tr.t("site-branch"), branch.clone()));
    }
    rows.extend([
        (tr.t("site-address"), d.address.clone()),
        (tr.t("site-zip"), d.zip.clone()),
        (tr.t("site-locality"), d.locality.clone()),
        (tr.t("site-province"), d.province.clone()),
        (tr.t("site-nation"), d.nation.clone()),
        (
            tr.t("site-representative"),
            format!("{} {}", d.representative_name, d.representative_surname),
        ),
        (
            tr.t("site-representative-email"),
            d.representative_email.clone(),
        ),
    ]);
    rows
}

/// The licence's facts, times in the server's zone.
fn licence(tr: Tr, site: &Site, zone: &jiff::tz::TimeZone) -> Vec<(String, String)> {
    let dash = || "—".to_owned();
    vec![
        (
            tr.t("col-product"),
            format!("{} · {} · {}", site.product, site.edition, site.size),
        ),
        (tr.t("site-key"), site.product_key.clone()),
        (
            tr.t("site-status"),
            tr.t(&format!("site-state-{}", site.status)),
        ),
        (
            tr.t("site-activated"),
            when(site.activated_at.as_deref(), zone).unwrap_or_else(dash),
        ),
        (
            tr.t("col-last-check"),
            when(site.last_validated_at.as_deref(), zone).unwrap_or_else(dash),
        ),
        (
            tr.t("col-expires"),
            when(site.expires_at.as_deref(), zone).unwrap_or_else(|| tr.t("never")),
        ),
    ]
}

/// The sheet's URL.
pub(crate) fn url(site_id: &str) -> String {
    format!("/sites/{}", encode(site_id))
}

/// Back to the sheet after a form post (303), saying `what` was done, at its `section`.
pub(crate) fn done(site_id: &str, what: &str, section: &str) -> Response {
    Redirect::to(&format!("{}?done={what}#{section}", url(site_id))).into_response()
}

/// The reader's words for what was just done; None for anything else.
fn notice(tr: Tr, done: &str) -> Option<String> {
    let known = [
        "data",
        "technical",
        "codes",
        "user-added",
        "user-removed",
        "user-invited",
        "service-on",
        "service-off",
        "released",
    ];
    known
        .contains(&done)
        .then(|| tr.t(&format!("site-done-{done}")))
}
