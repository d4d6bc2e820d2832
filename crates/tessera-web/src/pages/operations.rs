//! The operations log (I1): the account's operations, newest first, 50 a page, filtered by
//! site, who, what was done, outcome and days; htmx swaps the table as the filters change
//! (the filter form works as a plain GET too), and "Export CSV" downloads the same entries
//! as the API's export. Both call the use cases the API's `GET /api/v1/account/operations`
//! and its `/export` call, with the right `operations.view`; a site user sees its own
//! site's entries only, whatever it asks for (the use case decides).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use jiff::tz::TimeZone;
use serde::Deserialize;
use tessera_api::Operation;
use tessera_server::AppState;
use tessera_server::accounts;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::operations::{self, OperationQuery};

use crate::error::FormRefusal;
use crate::i18n::Tr;
use crate::pages::sites::encode;
use crate::view::{Chrome, Ctx, when};

/// The page the menu's "Operations" opens.
pub const PATH: &str = "/operations";

/// Entries on one page.
const PAGE_SIZE: u32 = 50;

/// The filters as the form sends them: every field as typed, days as `YYYY-MM-DD`.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct LogQuery {
    site: String,
    actor: String,
    operation: String,
    outcome: String,
    from: String,
    to: String,
    /// The page: entries older than this id.
    before: String,
}

impl LogQuery {
    /// The use case's query: the days as instants in the server's time zone, `to` taken
    /// whole; a day that is no date goes as typed, for the use case to say what is wrong.
    fn query(&self, zone: &TimeZone, limit: Option<u32>) -> OperationQuery {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        OperationQuery {
            site: text(&self.site),
            actor: text(&self.actor),
            operation: text(&self.operation),
            outcome: text(&self.outcome),
            from: text(&self.from).map(|d| day_start(&d, zone, 0)),
            until: text(&self.to).map(|d| day_start(&d, zone, 1)),
            before: self.before.trim().parse().ok(),
            limit,
            ..OperationQuery::default()
        }
    }

    /// The filters as query parameters (not the page).
    fn filters(&self) -> Vec<String> {
        [
            ("site", &self.site),
            ("actor", &self.actor),
            ("operation", &self.operation),
            ("outcome", &self.outcome),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v.trim())))
        .collect()
    }
}

/// The instant day `day` (+ `plus` days) begins in `zone`, RFC 3339; `day` itself when it
/// is no date.
fn day_start(day: &str, zone: &TimeZone, plus: i64) -> String {
    let start = day
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_add(jiff::Span::new().days(plus)).ok())
        .and_then(|d| d.to_zoned(zone.clone()).ok());
    match start {
        Some(z) => z.timestamp().to_string(),
        None => day.to_owned(),
    }
}

/// One entry as the table shows it.
pub struct OperationRow {
    pub at: String,
    pub actor: String,
    pub operation: String,
    pub site: String,
    pub outcome: String,
    pub outcome_label: String,
    pub code: String,
}

impl OperationRow {
    fn of(tr: Tr, zone: &TimeZone, o: Operation) -> OperationRow {
        OperationRow {
            at: when(Some(&o.at), zone).unwrap_or_else(|| o.at.clone()),
            outcome_label: tr.t(&format!("site-op-{}", o.outcome)),
            actor: o.actor,
            operation: o.operation,
            site: o.site_id.unwrap_or_default(),
            outcome: o.outcome,
            code: o.code.unwrap_or_default(),
        }
    }
}

/// What htmx swaps: the table with its export link and pager.
#[derive(Template)]
#[template(path = "partials/operations_table.html")]
struct OperationsTable {
    tr: Tr,
    rows: Vec<OperationRow>,
    /// A refused filter, in the reader's words.
    error: Option<String>,
    /// `site=…`, …: the filters, for the export and the pager.
    filters: Vec<String>,
    /// The next page's `before`, when there is one.
    older: Option<i64>,
    /// Whether this is a later page (so "newest" leads back).
    paged: bool,
    /// Whether the reader sees the whole account (else its site: no site column).
    whole_account: bool,
}

impl OperationsTable {
    /// `path` with the filters, and the page older than `before` when given.
    fn url(&self, path: &str, before: Option<i64>) -> String {
        let mut params = self.filters.clone();
        params.extend(before.map(|b| format!("before={b}")));
        if params.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", params.join("&"))
        }
    }

    fn newest_url(&self) -> String {
        self.url(PATH, None)
    }

    fn older_url(&self) -> String {
        self.url(PATH, self.older)
    }

    /// The CSV of every entry the filters select.
    fn export_url(&self) -> String {
        self.url(&format!("{PATH}/export"), None)
    }
}

#[derive(Template)]
#[template(path = "operations.html")]
struct OperationsPage {
    chrome: Chrome,
    q: LogQuery,
    /// The account's sites to filter by (id, label); empty for a site user.
    sites: Vec<(String, String)>,
    /// Who appears on this page, offered as the "who" filter's suggestions.
    actors: Vec<String>,
    outcomes: Vec<(&'static str, String)>,
    table: OperationsTable,
}

/// `GET /operations`: the whole page, or only the table for htmx.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ViewOperationsLog, PortalUser>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Response, ApiError> {
    let tr = ctx.tr;
    let query = q.query(&state.zone, Some(PAGE_SIZE));
    let (page, refusal) = match operations::own_log(&state, &me, &query).await {
        Ok(page) => (Some(page), None),
        Err(e) => match FormRefusal::of(&tr, &e) {
            Some(refusal) => (None, Some(refusal)),
            None => return Err(e),
        },
    };
    let (entries, older) = page.map_or_else(Default::default, |p| (p.operations, p.next_before));
    let whole_account = me.site().is_none();
    let mut actors: Vec<String> = entries.iter().map(|o| o.actor.clone()).collect();
    actors.sort_unstable();
    actors.dedup();
    let table = OperationsTable {
        tr,
        rows: (entries.into_iter())
            .map(|o| OperationRow::of(tr, &state.zone, o))
            .collect(),
        error: refusal.as_ref().map(|r| r.message.clone()),
        filters: q.filters(),
        older,
        paged: query.before.is_some(),
        whole_account,
    };
    let html = if headers.contains_key("hx-request") {
        table.render()
    } else {
        let sites = if whole_account {
            (accounts::visible_sites(&state, &me).await?.into_iter())
                .map(|s| (s.site_id, s.label))
                .collect()
        } else {
            Vec::new()
        };
        OperationsPage {
            chrome: Chrome::signed_in(&ctx, &me, PATH),
            outcomes: ["ok", "refused", "failed"]
                .into_iter()
                .map(|o| (o, tr.t(&format!("site-op-{o}"))))
                .collect(),
            q,
            sites,
            actors,
            table,
        }
        .render()
    };
    let html = Html(html.map_err(anyhow::Error::from)?);
    Ok(match refusal {
        Some(refusal) => refusal.respond(html.0),
        None => html.into_response(),
    })
}

/// `GET /operations/export`: the entries the filters select (every page, up to the export's
/// limit), as the API's CSV: a header row, then one row per entry.
pub async fn export(
    State(state): State<AppState>,
    me: Holds<right::ViewOperationsLog, PortalUser>,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Response, ApiError> {
    let query = OperationQuery {
        before: None,
        ..q.query(&state.zone, None)
    };
    let csv = operations::own_log_csv(&state, &me, &query).await?;
    let today = state.clock.now().to_zoned(state.zone.clone()).date();
    let disposition = format!("attachment; filename=\"operations-{today}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}
