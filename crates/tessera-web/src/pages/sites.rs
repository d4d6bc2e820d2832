//! All sites at a glance (H3): one row per installation the reader may see (a site user:
//! its own) with its licence, cloud subscription, monthly services, alarms and days until
//! its client locks; filtered by text, licence state and alarms, sorted, paged. The filter
//! form works as a plain GET; htmx swaps only the table as the reader types. Above it, the
//! account's charts over 90 days (not for site users), fed by `/sites/charts.json`.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use tessera_api::ErrorBody;
use tessera_core::alarms::Alarm;
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, PortalUser};
use tessera_server::error::ApiError;
use tessera_server::overview::{self, SiteOverview};

use crate::i18n::Tr;
use crate::view::{Chrome, Ctx};

/// Rows on one page of the list.
const PAGE_SIZE: usize = 50;

#[derive(Debug, Deserialize, Default)]
pub struct SitesQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    /// `any`: only sites with an alarm.
    #[serde(default)]
    alarm: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: usize,
}

/// One site as the list shows it.
#[derive(Debug, Clone)]
pub struct SiteRow {
    pub site_id: String,
    pub label: String,
    pub product: String,
    pub status: String,
    pub status_label: String,
    pub last_check: String,
    pub expires: String,
    /// "in 5 days" for an active site's client, else empty.
    pub lock: String,
    /// The cloud subscription's state and end, else "not enabled".
    pub cloud: String,
    pub cloud_on: bool,
    /// The sync's state (`idle`, `error`…; empty while not enabled) and it in words.
    pub sync: &'static str,
    pub sync_label: String,
    pub services: String,
    /// (css key, text) of each alarm.
    pub alarms: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "sites.html")]
struct SitesPage {
    chrome: Chrome,
    /// Whether the reader is shown "Add a product key".
    can_add_key: bool,
    table: SitesTable,
    /// Charts are the account's (not shown to a site user).
    charts: bool,
    /// Payments taken but not applied in the last 30 days.
    refused_payments: i64,
    uplot_js: String,
    uplot_css: String,
}

#[derive(Template)]
#[template(path = "partials/sites_table.html")]
struct SitesTable {
    tr: Tr,
    q: String,
    state: String,
    alarm: String,
    sort: String,
    rows: Vec<SiteRow>,
    total: usize,
    page: usize,
    pages: usize,
    states: Vec<(&'static str, String)>,
}

impl SitesTable {
    /// The list's own URL with `page` changed (for the pager's links).
    fn page_url(&self, page: usize) -> String {
        let mut url = format!("/sites?page={page}");
        for (name, value) in [
            ("q", &self.q),
            ("state", &self.state),
            ("alarm", &self.alarm),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                url.push_str(&format!("&{name}={}", encode(value)));
            }
        }
        url
    }
}

/// `value` percent-encoded for a URL's path or query (letters, digits, `-_.` stay).
pub(crate) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /sites`: the whole page, or only the table for htmx.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    headers: HeaderMap,
    Query(q): Query<SitesQuery>,
) -> Result<Response, ApiError> {
    let overview = overview::overview(&state, &me).await?;
    let zone = &state.zone;
    let tr = ctx.tr;
    let needle = q.q.trim().to_lowercase();
    // Filter and sort the plain facts, and put only the page's rows into words.
    let mut found: Vec<SiteOverview> = overview
        .sites
        .into_iter()
        .filter(|o| q.state.is_empty() || o.site.status.as_str() == q.state)
        .filter(|o| q.alarm.is_empty() || !o.alarms.is_empty())
        .filter(|o| {
            let s = &o.site;
            needle.is_empty()
                || [&s.label, &s.public_id, &s.product_name, &s.edition_name]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
        })
        .collect();
    let label = |o: &SiteOverview| o.site.label.to_lowercase();
    match q.sort.as_str() {
        "state" => found.sort_by_cached_key(|o| (o.site.status.as_str(), label(o))),
        "check" => found.sort_by_key(|o| o.site.last_validated_at),
        "alarms" => found.sort_by_cached_key(|o| (std::cmp::Reverse(o.alarms.len()), label(o))),
        _ => found.sort_by_cached_key(label),
    }
    let total = found.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.clamp(1, pages);
    let rows = found
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|o| row(&tr, zone, o))
        .collect();
    let table = SitesTable {
        tr,
        q: q.q,
        state: q.state,
        alarm: q.alarm,
        sort: q.sort,
        rows,
        total,
        page,
        pages,
        states: ["registered", "active", "deactivated", "suspended"]
            .into_iter()
            .map(|s| (s, tr.t(&format!("site-state-{s}"))))
            .collect(),
    };
    let html = if headers.contains_key("hx-request") {
        table.render()
    } else {
        SitesPage {
            chrome: Chrome::signed_in(&ctx, &me, "/sites"),
            can_add_key: crate::pages::keys::may_add_keys(&me),
            table,
            charts: me.site().is_none(),
            refused_payments: overview.refused_payments,
            uplot_js: crate::assets::url("uplot.js"),
            uplot_css: crate::assets::url("uplot.css"),
        }
        .render()
    };
    Ok(Html(html.map_err(anyhow::Error::from)?).into_response())
}

/// One site's row, in the reader's words.
fn row(tr: &Tr, zone: &jiff::tz::TimeZone, o: SiteOverview) -> SiteRow {
    let s = o.site;
    let cloud = match &o.cloud {
        Some((_, sub_state, ends)) => tr.with(
            "overview-cloud-state",
            &[
                (
                    "state",
                    &tr.t(&format!("subscription-{}", sub_state.as_str())),
                ),
                ("end", &day(*ends, zone)),
            ],
        ),
        None => tr.t("cloud-not-enabled"),
    };
    SiteRow {
        status_label: tr.t(&format!("site-state-{}", s.status.as_str())),
        product: format!("{} · {} · {}", s.product_name, s.edition_name, s.size),
        last_check: s
            .last_validated_at
            .map_or_else(|| "—".into(), |t| minute(t, zone)),
        expires: s.expires_at.map_or_else(|| tr.t("never"), |t| day(t, zone)),
        lock: o
            .lock_in_days
            .map(|d| tr.count("lock-in-days", d))
            .unwrap_or_default(),
        cloud,
        cloud_on: o.cloud.is_some(),
        sync: o.sync.map_or("", |s| s.state.as_str()),
        sync_label: match o.sync {
            None => tr.t("sync-not-enabled"),
            Some(s) => {
                let state = tr.t(&format!("sync-state-{}", s.state.as_str()));
                match s.reason {
                    Some(code) => tr.with(
                        "sync-state-because",
                        &[
                            ("state", &state),
                            (
                                "why",
                                &crate::error::message(tr, &ErrorBody::new(code, code.message())),
                            ),
                        ],
                    ),
                    None => state,
                }
            }
        },
        services: if o.services.is_empty() {
            "—".into()
        } else {
            o.services.join(", ")
        },
        alarms: o
            .alarms
            .iter()
            .map(|a| (a.key(), alarm_text(tr, *a)))
            .collect(),
        status: s.status.as_str().to_owned(),
        site_id: s.public_id,
        label: s.label,
    }
}

fn alarm_text(tr: &Tr, alarm: Alarm) -> String {
    match alarm {
        Alarm::CheckOverdue { lock_in_days } => tr.count("alarm-check-overdue", lock_in_days),
        Alarm::LicenceEnding { days } => tr.count("alarm-licence-ending", days),
        Alarm::SubscriptionEnding { days } => tr.count("alarm-subscription-ending", days),
        Alarm::LicenceMismatch => tr.t("alarm-licence-mismatch"),
    }
}

/// An instant as the reader's day and time (the server's time zone), to the minute.
fn minute(t: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    t.to_zoned(zone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// An instant's day in the server's time zone.
fn day(t: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    t.to_zoned(zone.clone()).date().to_string()
}

#[derive(Deserialize)]
pub struct ChartsQuery {
    days: Option<u16>,
}

/// `GET /sites/charts.json?days=90`: the account's daily figures for the charts (1 to 366
/// days; 90 by default).
pub async fn charts(
    State(state): State<AppState>,
    me: AccountUser,
    Query(q): Query<ChartsQuery>,
) -> Result<Json<ChartsJson>, ApiError> {
    let days = q.days.unwrap_or(90).clamp(1, 366);
    let charts = overview::charts(&state, &me, days).await?;
    Ok(Json(charts.into()))
}

/// What `app.js` draws: one value per day, oldest first.
#[derive(serde::Serialize)]
pub struct ChartsJson {
    days: Vec<String>,
    validations: Vec<i64>,
    states: std::collections::BTreeMap<&'static str, Vec<i64>>,
}

impl From<overview::Charts> for ChartsJson {
    fn from(c: overview::Charts) -> Self {
        ChartsJson {
            days: c.days,
            validations: c.validations,
            states: c.states,
        }
    }
}
