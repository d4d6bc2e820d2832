//! The whole operations log (I1) in the console: every account's operations and the
//! operators' own, newest first, 50 a page, filtered by account, site, who, what was done,
//! outcome and days; htmx swaps the table as the filters change, and "Export CSV" downloads
//! the same entries. The use cases of `GET /api/v1/operations` and its `/export`
//! (`operators_log`, `operators_log_csv`); the table is the customers' page's.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::operations;

use crate::pages::operations::{
    LogQuery, OperationsTable, PAGE_SIZE, csv_download, outcomes, refused_as_form, respond,
};
use crate::view::{Chrome, Ctx};

const PATH: &str = "/operator/operations";

#[derive(Template)]
#[template(path = "operator/operations.html")]
struct OperationsPage {
    chrome: Chrome,
    q: LogQuery,
    actors: Vec<String>,
    outcomes: Vec<(&'static str, String)>,
    table: OperationsTable,
}

/// `GET /operator/operations`: the whole page, or only the table for htmx.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Response, ApiError> {
    let query = q.query(&state.zone, Some(PAGE_SIZE));
    let found = match q.account_checked() {
        Ok(()) => operations::operators_log(&state, &op, &query).await,
        Err(e) => Err(e),
    };
    let found = refused_as_form(&ctx, found)?;
    let refusal = found.as_ref().err().cloned();
    let table = OperationsTable::of(&ctx, &state.zone, (PATH, true), &q, found, true);
    let html = if headers.contains_key("hx-request") {
        table.render()
    } else {
        OperationsPage {
            chrome: Chrome::operator(&ctx, &op, PATH),
            outcomes: outcomes(ctx.tr),
            actors: table.actors(),
            q,
            table,
        }
        .render()
    };
    respond(html.map_err(anyhow::Error::from)?, refusal)
}

/// `GET /operator/operations/export`: the entries the filters select, as the API's CSV.
pub async fn export(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Response, ApiError> {
    q.account_checked()?;
    let csv = operations::operators_log_csv(&state, &op, &q.export_query(&state.zone)).await?;
    Ok(csv_download(&state, csv))
}
