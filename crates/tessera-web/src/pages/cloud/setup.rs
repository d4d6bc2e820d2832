//! The cloud set-up page (E5–E6, the seed's "Set up your Cloud"): the subscription and its
//! end, the account's sites grouped by edition and size with how many are available and
//! active (groups with none too), and with `sites.manage` the sites to enable, a site's
//! activation data sent again, a site disabled (refused mid-term: sites are dropped at the
//! renewal). Refusals are shown on the page in words.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use tessera_api::CloudOverview;
use tessera_core::rights::Right;
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, Holds, right};
use tessera_server::cloud;
use tessera_server::error::ApiError;

use super::{Shown, SubscriptionView, html};
use crate::i18n::Tr;
use crate::view::{Chrome, Ctx};

/// One site of a group.
#[derive(Debug, Clone)]
pub struct SiteView {
    pub site_id: String,
    pub label: String,
    pub email: Option<String>,
    pub product_key: String,
    pub cloud: String,
    pub cloud_label: String,
    pub enabled: bool,
    pub connected: bool,
    /// Ticked (the selection a refused enablement keeps).
    pub selected: bool,
}

/// The sites of one edition and size.
#[derive(Debug, Clone)]
pub struct GroupView {
    /// For the group's "select all".
    pub id: String,
    pub title: String,
    pub available: u32,
    pub active: u32,
    /// "3 sites, 1 active".
    pub counts: String,
    pub sites: Vec<SiteView>,
    /// Whether a site of it can still be ticked.
    pub selectable: bool,
}

#[derive(Template)]
#[template(path = "cloud_setup.html")]
struct SetupPage {
    chrome: Chrome,
    subscription: Option<SubscriptionView>,
    available: i64,
    active: i64,
    groups: Vec<GroupView>,
    /// `sites.manage`: tick sites, send codes again.
    manage: bool,
    /// `actions.costly.approve`: try, buy, renew.
    order: bool,
    invoices: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
    #[serde(default)]
    n: u32,
}

/// `GET /cloud`.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    me: AccountUser,
    Query(q): Query<Done>,
) -> Result<Response, ApiError> {
    let tr = ctx.tr;
    let notice = match q.done.as_str() {
        "enabled" => Some(tr.count("cloud-enabled-notice", i64::from(q.n))),
        "resent" => Some(tr.t("cloud-resent-notice")),
        _ => None,
    };
    render(&state, &ctx, &me, notice, None, &[]).await
}

/// The page for `me`, with a notice or a refusal, the sites `selected` ticked.
async fn render(
    state: &AppState,
    ctx: &Ctx,
    me: &AccountUser,
    notice: Option<String>,
    refused: Option<Shown>,
    selected: &[String],
) -> Result<Response, ApiError> {
    let view = cloud::overview(state, me.id).await?;
    let page = SetupPage {
        chrome: Chrome::signed_in(ctx, me, "/cloud"),
        subscription: view
            .subscription
            .as_ref()
            .map(|s| SubscriptionView::of(&ctx.tr, s, &state.zone)),
        available: i64::from(view.available),
        active: i64::from(view.active),
        groups: groups(&ctx.tr, &view, selected),
        manage: me.rights.contains(&Right::ManageSites),
        order: me.rights.contains(&Right::ApproveCosts),
        invoices: me.rights.contains(&Right::ViewInvoices),
        notice,
        error: refused.as_ref().map(|r| r.text.clone()),
    };
    let body = html(&page)?;
    Ok(match refused {
        Some(r) => r.answer(body),
        None => body.into_response(),
    })
}

fn groups(tr: &Tr, view: &CloudOverview, selected: &[String]) -> Vec<GroupView> {
    view.groups
        .iter()
        .map(|g| {
            let sites: Vec<SiteView> = g
                .sites
                .iter()
                .map(|s| SiteView {
                    site_id: s.site_id.clone(),
                    label: s.label.clone(),
                    email: s.email.clone(),
                    product_key: s.product_key.clone(),
                    cloud_label: tr.t(&format!("cloud-site-{}", s.cloud)),
                    enabled: s.cloud != "not_enabled",
                    cloud: s.cloud.clone(),
                    connected: s.connected,
                    selected: selected.contains(&s.site_id),
                })
                .collect();
            GroupView {
                id: format!("group-{}-{}", g.edition, g.size),
                title: format!("{} · {}", g.edition_name, g.size_name),
                available: g.available,
                active: g.active,
                counts: tr.numbers(
                    "cloud-group-counts",
                    &[
                        ("available", i64::from(g.available)),
                        ("active", i64::from(g.active)),
                    ],
                ),
                selectable: sites.iter().any(|s| !s.enabled),
                sites,
            }
        })
        .collect()
}

/// The refusal `e`, naming the site of `view` its message names (the rule says which site
/// it refused for).
async fn refusal(
    state: &AppState,
    ctx: &Ctx,
    me: &AccountUser,
    e: ApiError,
) -> Result<Shown, ApiError> {
    let raw = e.to_string();
    let mut shown = Shown::of(&ctx.tr, e)?;
    let view = cloud::overview(state, me.id).await?;
    if let Some(site) = view
        .groups
        .iter()
        .flat_map(|g| &g.sites)
        .find(|s| raw.contains(&s.site_id))
    {
        shown.text = format!("{}: {}", site.label, shown.text);
    }
    Ok(shown)
}

#[derive(Debug, Deserialize)]
pub struct EnableForm {
    #[serde(default)]
    sites: Vec<String>,
}

/// `POST /cloud/sites`: enables the ticked sites, all or nothing; each site's codes are
/// mailed to it.
pub async fn enable(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ManageSites>,
    Form(f): Form<EnableForm>,
) -> Result<Response, ApiError> {
    match cloud::enable_sites(&state, &me, &f.sites).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/cloud?done=enabled&n={}", f.sites.len())).into_response())
        }
        Err(e) => {
            let shown = refusal(&state, &ctx, &me, e).await?;
            render(&state, &ctx, &me, None, Some(shown), &f.sites).await
        }
    }
}

/// `POST /cloud/sites/{site}/codes`: the site's activation data mailed again.
pub async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ManageSites>,
    Path(site_id): Path<String>,
) -> Result<Response, ApiError> {
    match cloud::resend_codes(&state, &me, &site_id).await {
        Ok(()) => Ok(Redirect::to("/cloud?done=resent").into_response()),
        Err(e) => {
            let shown = refusal(&state, &ctx, &me, e).await?;
            render(&state, &ctx, &me, None, Some(shown), &[]).await
        }
    }
}

/// `POST /cloud/sites/{site}/disable`: refused while the term runs (the page says a site
/// is dropped at the renewal).
pub async fn disable(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ManageSites>,
    Path(site_id): Path<String>,
) -> Result<Response, ApiError> {
    match cloud::disable_site(&state, &me, &site_id).await {
        Ok(()) => Ok(Redirect::to("/cloud").into_response()),
        Err(e) => {
            let shown = refusal(&state, &ctx, &me, e).await?;
            render(&state, &ctx, &me, None, Some(shown), &[]).await
        }
    }
}
