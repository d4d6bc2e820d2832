//! The site's monthly services (F1–F3): seed 001's operations tab ("Betriebsführung"),
//! shown with `sites.operations.view`; the switch on each service needs that right and the
//! right to approve actions with follow-up costs. Switching asks first: the server answers
//! a switch without `confirm=yes` with the service's row asking to confirm, saying what it
//! costs and how it is billed (`tessera_core::monthly`: the month it is switched on is
//! charged in full, the month it is switched off is not); with `confirm=yes` it switches,
//! and the use case queues the confirmation mail (F3). htmx swaps the one row; without
//! htmx the row stands on a page of its own and a switch goes back to the sheet.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tessera_api::SiteService;
use tessera_core::money::money;
use tessera_server::actors::{Holds, OwnSite, PortalUser, right};
use tessera_server::error::{ApiError, not_found};
use tessera_server::extract::ApiPath;
use tessera_server::{AppState, accounts, services};

use crate::error::FormRefusal;
use crate::i18n::Tr;
use crate::view::{Chrome, Ctx};

/// The services section of the sheet.
pub struct Section {
    pub rows: Vec<ServiceRow>,
    /// Whether the reader may switch (else a line says which right it takes).
    pub can_switch: bool,
}

/// The confirmation step of a switch.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub question: String,
    pub rule: String,
    pub button: String,
}

/// One service at the site: its row in the section, and what htmx swaps.
#[derive(Template)]
#[template(path = "partials/site_service.html")]
pub struct ServiceRow {
    tr: Tr,
    csrf: String,
    action: String,
    back: String,
    code: String,
    name: String,
    on: bool,
    /// What a month costs, in the currency's decimals.
    price: String,
    /// Since when it is on (a day).
    since: Option<String>,
    can_switch: bool,
    confirm: Option<Confirm>,
    /// Why a switch was refused.
    message: Option<String>,
    /// What a switch just did.
    notice: Option<String>,
}

impl ServiceRow {
    fn of(ctx: &Ctx, site_id: &str, s: SiteService, can_switch: bool) -> ServiceRow {
        let tr = ctx.tr;
        let since = s
            .stretches
            .last()
            .filter(|_| s.on)
            .map(|t| tr.with("site-service-since", &[("date", &t.on)]));
        let sheet = super::url(site_id);
        ServiceRow {
            tr,
            csrf: ctx.csrf.clone().unwrap_or_default(),
            action: format!("{sheet}/services/{}", crate::pages::sites::encode(&s.code)),
            back: format!("{sheet}#service-{}", s.code),
            price: tr.with(
                "site-service-price",
                &[("price", &money(s.monthly_price, &s.currency))],
            ),
            code: s.code,
            name: s.name,
            on: s.on,
            since,
            can_switch,
            confirm: None,
            message: None,
            notice: None,
        }
    }

    /// The question before switching `on` (or off), with the billing rule.
    fn confirm(&mut self, on: bool, monthly: &str) {
        let tr = self.tr;
        let name = [("name", self.name.as_str()), ("price", monthly)];
        self.confirm = Some(if on {
            Confirm {
                question: tr.with("site-service-confirm-on", &name),
                rule: tr.with("site-service-rule-on", &name),
                button: tr.with("site-service-confirm-on-button", &name),
            }
        } else {
            Confirm {
                question: tr.with("site-service-confirm-off", &name),
                rule: tr.t("site-service-rule-off"),
                button: tr.t("site-service-confirm-off-button"),
            }
        });
    }

    fn html(&self) -> Result<String, ApiError> {
        Ok(self.render().map_err(anyhow::Error::from)?)
    }
}

/// The section: every service of the catalog as it stands at `site`.
pub(crate) async fn section(
    state: &AppState,
    ctx: &Ctx,
    who: &Holds<right::OperationsTab, PortalUser>,
    site: &OwnSite,
) -> Result<Section, ApiError> {
    let can_switch = (**who).clone().holds::<right::SwitchServices>().is_ok();
    let listed = services::site_services(state, who, site).await?;
    Ok(Section {
        rows: listed
            .services
            .into_iter()
            .map(|s| ServiceRow::of(ctx, &site.site_id, s, can_switch))
            .collect(),
        can_switch,
    })
}

/// A service's row on a page of its own, for a browser without htmx.
#[derive(Template)]
#[template(path = "site_service.html")]
struct RowPage {
    chrome: Chrome,
    site_id: String,
    label: String,
    /// "Back to LABEL".
    back: String,
    row: ServiceRow,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SwitchForm {
    /// `yes` to switch on, anything else off.
    on: String,
    /// `yes` once the reader has seen the price and the rule.
    confirm: String,
}

/// `POST /sites/{site_id}/services/{code}`: without `confirm=yes`, the row asking to
/// confirm; with it, the switch, then the row as it stands (htmx) or the sheet.
pub async fn switch(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::SwitchServices, PortalUser>,
    headers: HeaderMap,
    ApiPath((site_id, code)): ApiPath<(String, String)>,
    Form(form): Form<SwitchForm>,
) -> Result<Response, ApiError> {
    let htmx = headers.contains_key("hx-request");
    let site = me.site_scope(&site_id)?;
    let listed = services::site_services(&state, &me.first(), &site).await?;
    let service = listed
        .services
        .into_iter()
        .find(|s| s.code == code)
        .ok_or_else(|| not_found("service"))?;
    let on = form.on == "yes";
    let monthly = money(service.monthly_price, &service.currency);
    // Asking to confirm what cannot be done helps no one: the use case says why at once.
    let asks = form.confirm != "yes" && service.on != on;
    let mut row = ServiceRow::of(&ctx, &site_id, service, true);
    if asks {
        row.confirm(on, &monthly);
        return answer(&state, &ctx, &me, &site_id, htmx, row, None).await;
    }
    let what = if on { "service-on" } else { "service-off" };
    match services::switch(&state, &me, &site, &code, on).await {
        Ok(after) if htmx => {
            let now = after.services.into_iter().find(|s| s.code == code);
            let mut row = match now {
                Some(s) => ServiceRow::of(&ctx, &site_id, s, true),
                None => row,
            };
            row.notice = Some(ctx.tr.t(&format!("site-done-{what}")));
            Ok(Html(row.html()?).into_response())
        }
        Ok(_) => Ok(super::done(&site_id, what, &format!("service-{code}"))),
        Err(e) => {
            let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
                return Err(e);
            };
            row.message = Some(refusal.message.clone());
            answer(&state, &ctx, &me, &site_id, htmx, row, Some(refusal)).await
        }
    }
}

/// The row for htmx, else on its own page; with a refusal's status when there is one.
async fn answer(
    state: &AppState,
    ctx: &Ctx,
    me: &PortalUser,
    site_id: &str,
    htmx: bool,
    row: ServiceRow,
    refusal: Option<FormRefusal>,
) -> Result<Response, ApiError> {
    let html = if htmx {
        row.html()?
    } else {
        let site = accounts::visible_site(state, me, site_id).await?;
        RowPage {
            chrome: Chrome::signed_in(ctx, me, "/sites"),
            back: ctx.tr.with("site-back-to", &[("label", &site.label)]),
            site_id: site.site_id,
            label: site.label,
            row,
        }
        .render()
        .map_err(anyhow::Error::from)?
    };
    Ok(match refusal {
        Some(refusal) => refusal.respond(html),
        None => (StatusCode::OK, Html(html)).into_response(),
    })
}
