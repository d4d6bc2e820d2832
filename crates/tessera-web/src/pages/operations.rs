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
use tessera_api::{Operation, OperationPage};
use tessera_server::AppState;
use tessera_server::accounts;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::operations::{self, OperationQuery};

use crate::error::FormRefusal;
use crate::i18n::Tr;
use crate::pages::sites::encode;
use crate::view::{Chrome, Ctx, labelled, when};

/// The page the menu's "Operations" opens.
pub const PATH: &str = "/operations";

/// Entries on one page, here and in the console's log.
pub(crate) const PAGE_SIZE: u32 = 50;

/// The filters as the form sends them: every field as typed, days as `YYYY-MM-DD`.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct LogQuery {
    /// The account's id (the console's filter; the customers' page has none).
    pub(crate) account: String,
    pub(crate) site: String,
    pub(crate) actor: String,
    pub(crate) operation: String,
    pub(crate) outcome: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// The page: entries older than this id.
    pub(crate) before: String,
}

impl LogQuery {
    /// The use case's query: the days as instants in the server's time zone, `to` taken
    /// whole; a day that is no date goes as typed, for the use case to say what is wrong.
    pub(crate) fn query(&self, zone: &TimeZone, limit: Option<u32>) -> OperationQuery {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        OperationQuery {
            account: self.account.trim().parse().ok(),
            site: text(&self.site),
            actor: text(&self.actor),
            operation: text(&self.operation),
            outcome: text(&self.outcome),
            from: text(&self.from).map(|d| day_start(&d, zone, 0)),
            until: text(&self.to).map(|d| day_start(&d, zone, 1)),
            before: self.before.trim().parse().ok(),
            limit,
        }
    }

    /// The console's account filter: none, or an account's number (anything else refused,
    /// not read as no filter).
    pub(crate) fn account_checked(&self) -> Result<(), ApiError> {
        let typed = self.account.trim();
        if typed.is_empty() || typed.parse::<i64>().is_ok_and(|n| n > 0) {
            return Ok(());
        }
        Err(ApiError::invalid(
            tessera_api::ErrorCode::FieldInvalid,
            "account",
            "an account is named by its number, as on its page",
        ))
    }

    /// The query of the export: every entry the filters select, not one page.
    pub(crate) fn export_query(&self, zone: &TimeZone) -> OperationQuery {
        OperationQuery {
            before: None,
            ..self.query(zone, None)
        }
    }

    /// The filters as query parameters (not the page).
    fn filters(&self) -> Vec<String> {
        [
            ("account", &self.account),
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
    pub account: Option<i64>,
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
            account: o.account_id,
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
pub(crate) struct OperationsTable {
    tr: Tr,
    /// The page's own path (`/operations`, or the console's `/operator/operations`).
    pub(crate) path: &'static str,
    /// The console's view: every account's entries, each linked to its customer.
    operator: bool,
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
        self.url(self.path, None)
    }

    fn older_url(&self) -> String {
        self.url(self.path, self.older)
    }

    /// The CSV of every entry the filters select.
    fn export_url(&self) -> String {
        self.url(&format!("{}/export", self.path), None)
    }

    /// The table of `page` (or of the refusal of its filters) for the reader of `path`.
    pub(crate) fn of(
        ctx: &Ctx,
        zone: &TimeZone,
        (path, operator): (&'static str, bool),
        q: &LogQuery,
        found: Result<OperationPage, FormRefusal>,
        whole_account: bool,
    ) -> OperationsTable {
        let paged = q.before.trim().parse::<i64>().is_ok();
        let (entries, older, error) = match found {
            Ok(p) => (p.operations, p.next_before, None),
            Err(r) => (Vec::new(), None, Some(r.message)),
        };
        OperationsTable {
            tr: ctx.tr,
            path,
            operator,
            rows: entries
                .into_iter()
                .map(|o| OperationRow::of(ctx.tr, zone, o))
                .collect(),
            error,
            filters: q.filters(),
            older,
            paged,
            whole_account,
        }
    }

    /// Who appears in the table, for the "who" filter's suggestions.
    pub(crate) fn actors(&self) -> Vec<String> {
        let mut actors: Vec<String> = self.rows.iter().map(|o| o.actor.clone()).collect();
        actors.sort_unstable();
        actors.dedup();
        actors
    }
}

/// The CSV answer of an export.
pub(crate) fn csv_download(state: &AppState, csv: Vec<u8>) -> Response {
    let today = state.clock.now().to_zoned(state.zone.clone()).date();
    let disposition = format!("attachment; filename=\"operations-{today}.csv\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response()
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
    /// How long the entries are kept, in words (I2).
    kept: String,
    table: OperationsTable,
}

/// `GET /operations`: the whole page, or only the table for htmx.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ViewOperationsLog, PortalUser>,
    headers: HeaderMap,
    ApiQuery(mut q): ApiQuery<LogQuery>,
) -> Result<Response, ApiError> {
    let tr = ctx.tr;
    q.account.clear(); // the account's own log: no account filter to carry along
    let query = q.query(&state.zone, Some(PAGE_SIZE));
    let found = refused_as_form(&ctx, operations::own_log(&state, &me, &query).await)?;
    let refusal = found.as_ref().err().cloned();
    let whole_account = me.site().is_none();
    let table = OperationsTable::of(&ctx, &state.zone, (PATH, false), &q, found, whole_account);
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
        let days = operations::own_log_days(&state, &me).await?;
        OperationsPage {
            chrome: Chrome::signed_in(&ctx, &me, PATH),
            outcomes: outcomes(tr),
            kept: tr.count("ops-kept", i64::from(days)),
            actors: table.actors(),
            q,
            sites,
            table,
        }
        .render()
    };
    respond(html.map_err(anyhow::Error::from)?, refusal)
}

/// The outcomes to filter by, with their labels.
pub(crate) fn outcomes(tr: Tr) -> Vec<(&'static str, String)> {
    labelled(tr, "site-op", ["ok", "refused", "failed"])
}

/// A refusal of the filters, to show on the page; any other error stays an error page.
pub(crate) fn refused_as_form<T>(
    ctx: &Ctx,
    result: Result<T, ApiError>,
) -> Result<Result<T, FormRefusal>, ApiError> {
    match result {
        Ok(found) => Ok(Ok(found)),
        Err(e) => match FormRefusal::of(&ctx.tr, &e) {
            Some(refusal) => Ok(Err(refusal)),
            None => Err(e),
        },
    }
}

/// The page, with the refusal's status when its filters were refused.
pub(crate) fn respond(html: String, refusal: Option<FormRefusal>) -> Result<Response, ApiError> {
    Ok(match refusal {
        Some(refusal) => refusal.respond(html),
        None => Html(html).into_response(),
    })
}

/// `GET /operations/export`: the entries the filters select (every page, up to the export's
/// limit), as the API's CSV: a header row, then one row per entry.
pub async fn export(
    State(state): State<AppState>,
    me: Holds<right::ViewOperationsLog, PortalUser>,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Response, ApiError> {
    let csv = operations::own_log_csv(&state, &me, &q.export_query(&state.zone)).await?;
    Ok(csv_download(&state, csv))
}
