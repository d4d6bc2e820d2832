//! Keys sold under an earlier system (X5): a product's key format, and the import of a CSV
//! file of keys.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tessera_api::{ErrorCode, KeyFormatSetting, KeyImport};
use utoipa::IntoParams;

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, CsvBody};
use crate::keys::import;
use crate::state::AppState;

fn setting(format: Option<tessera_core::key_format::KeyFormat>) -> KeyFormatSetting {
    KeyFormatSetting {
        pattern: format.map(|f| f.pattern().to_owned()),
    }
}

/// The product's key format for imported keys (null: none).
#[utoipa::path(get, path = "/api/v1/products/{product}/key-format", tag = "keys",
    security(("operator_token" = [])),
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = KeyFormatSetting), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get_format(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
) -> ApiResult<ApiJson<KeyFormatSetting>> {
    Ok(ApiJson(setting(
        import::format(&state, &op, &product).await?,
    )))
}

/// Set (or, with null, clear) the product's key format: a regular expression over the compact
/// key (upper case, no dashes or spaces), matched whole and blind to case. Keys that are not
/// Tessera's own are imported for the product only in this spelling.
#[utoipa::path(put, path = "/api/v1/products/{product}/key-format", tag = "keys",
    security(("operator_token" = [])), request_body = KeyFormatSetting,
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = KeyFormatSetting), (status = 404, body = tessera_api::ErrorBody),
        (status = 422, description = "KEY_PATTERN_INVALID", body = tessera_api::ErrorBody)))]
pub async fn set_format(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<KeyFormatSetting>,
) -> ApiResult<ApiJson<KeyFormatSetting>> {
    let format = import::set_format(&state, &op, &product, req.pattern.as_deref()).await?;
    Ok(ApiJson(setting(format)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only judge the lines; write nothing.
    #[serde(default)]
    dry_run: bool,
    /// The file's name, kept in the batches' note.
    #[serde(default)]
    file: Option<String>,
}

/// Import keys sold under an earlier system from a CSV file (the body, `text/csv`, UTF-8):
/// a header naming the columns `key`, `product`, `edition`, `size` and optionally `customer`
/// (an account's email: the key is registered to it) and `site` (the name of that customer's
/// installation). All or nothing: when a line is refused the answer is 422 `IMPORT_REFUSED`
/// listing every refused line, and nothing is written. Imported again, the same file changes
/// nothing.
#[utoipa::path(post, path = "/api/v1/keys/import", tag = "keys",
    security(("operator_token" = [])), params(ImportQuery),
    request_body(content = tessera_api::KeyFile, content_type = "text/csv"),
    responses((status = 200, body = KeyImport),
        (status = 413, description = "BODY_TOO_LARGE", body = tessera_api::ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = tessera_api::ErrorBody),
        (status = 422, description = "CSV_INVALID; or IMPORT_REFUSED, whose body is also a KeyImport (its counts and every refused line)", body = tessera_api::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(query): ApiQuery<ImportQuery>,
    CsvBody(body): CsvBody,
) -> ApiResult<Response> {
    let file = query
        .file
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    let report = import::import(&state, &op, file, &body, query.dry_run).await?;
    if report.code.is_some() && !query.dry_run {
        let mut response = (StatusCode::UNPROCESSABLE_ENTITY, ApiJson(report)).into_response();
        response.extensions_mut().insert(ErrorCode::ImportRefused);
        return Ok(response);
    }
    Ok(ApiJson(report).into_response())
}
