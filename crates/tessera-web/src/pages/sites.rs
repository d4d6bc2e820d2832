//! All sites at a glance (H3): one row per installation the reader may see (a site user:
//! its own), filtered by text and licence state, sorted, paged. The filter form works as a
//! plain GET; htmx swaps only the table as the reader types.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tessera_server::AppState;
use tessera_server::accounts;
use tessera_server::actors::PortalUser;
use tessera_server::error::ApiError;

use crate::i18n::Tr;
use crate::view::{Chrome, Ctx, when};

/// Rows on one page of the list.
const PAGE_SIZE: usize = 50;

#[derive(Debug, Deserialize, Default)]
pub struct SitesQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
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
}

#[derive(Template)]
#[template(path = "sites.html")]
struct SitesPage {
    chrome: Chrome,
    table: SitesTable,
}

#[derive(Template)]
#[template(path = "partials/sites_table.html")]
struct SitesTable {
    tr: Tr,
    q: String,
    state: String,
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
        for (name, value) in [("q", &self.q), ("state", &self.state), ("sort", &self.sort)] {
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
    let sites = accounts::visible_sites(&state, &me).await?;
    let zone = &state.zone;
    let tr = ctx.tr;
    let needle = q.q.trim().to_lowercase();
    let mut rows: Vec<SiteRow> = sites
        .into_iter()
        .filter(|s| q.state.is_empty() || s.status == q.state)
        .filter(|s| {
            needle.is_empty()
                || [&s.label, &s.site_id, &s.product, &s.edition]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
        })
        .map(|s| SiteRow {
            status_label: tr.t(&format!("site-state-{}", s.status)),
            product: format!("{} · {} · {}", s.product, s.edition, s.size),
            last_check: when(s.last_validated_at.as_deref(), zone).unwrap_or_else(|| "—".into()),
            expires: when(s.expires_at.as_deref(), zone).unwrap_or_else(|| tr.t("never")),
            status: s.status,
            site_id: s.site_id,
            label: s.label,
        })
        .collect();
    match q.sort.as_str() {
        "state" => rows.sort_by(|a, b| a.status.cmp(&b.status).then(a.label.cmp(&b.label))),
        "check" => rows.sort_by(|a, b| a.last_check.cmp(&b.last_check)),
        _ => rows.sort_by_cached_key(|r| r.label.to_lowercase()),
    }
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.clamp(1, pages);
    let rows = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    let table = SitesTable {
        tr,
        q: q.q,
        state: q.state,
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
            table,
        }
        .render()
    };
    Ok(Html(html.map_err(anyhow::Error::from)?).into_response())
}
