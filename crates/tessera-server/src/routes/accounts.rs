//! Customer registration (B1) and the operators' view of accounts.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tessera_api::{Account, AccountPage, KeyCheck, KeyCheckRequest, Registration};
use utoipa::IntoParams;

use crate::accounts;
use crate::accounts::customers;
use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, ClientIp};
use crate::oplog::OpNote;
use crate::state::AppState;

/// Register a customer account with a product key (B1). Sends a confirmation email.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = Registration,
    responses(
        (status = 201, body = Account),
        (status = 409, description = "USERNAME_TAKEN, EMAIL_TAKEN or VAT_NUMBER_TAKEN; `field` names it", body = tessera_api::ErrorBody),
        (status = 422, description = "a field is wrong; `field` names it (KEY_INVALID for a key that cannot be registered)", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: OpNote,
    ApiJson(req): ApiJson<Registration>,
) -> ApiResult<(StatusCode, ApiJson<Account>)> {
    let record = accounts::register(&state, ip, &req).await?;
    note.actor(format!("account:{}", record.username));
    note.account(record.id);
    let account = accounts::account_view(&state, record).await?;
    Ok((StatusCode::CREATED, ApiJson(account)))
}

/// Check a product key before the registration form (B1): 200 when it can be registered.
/// Unknown, revoked and already registered keys all answer `422 KEY_INVALID`; nothing else
/// about the key is told. Limited per client address and per key like every key lookup.
#[utoipa::path(post, path = "/api/v1/accounts/key-check", tag = "accounts",
    request_body = KeyCheckRequest,
    responses(
        (status = 200, body = KeyCheck),
        (status = 422, description = "KEY_INVALID, KEY_FORMAT_INVALID or KEY_CHECKSUM_INVALID; `field` is `product_key`", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn check_key(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<KeyCheckRequest>,
) -> ApiResult<ApiJson<KeyCheck>> {
    Ok(ApiJson(
        accounts::check_key(&state, ip, &req.product_key).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Return accounts with ids above this (from `next_after`).
    #[serde(default)]
    pub after: i64,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Matches the start of username, email, company name or VAT number (at most 100
    /// characters).
    #[param(max_length = 100)]
    pub q: Option<String>,
}

/// List customer accounts (operators).
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(AccountQuery),
    security(("operator_token" = [])),
    responses((status = 200, body = AccountPage), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<AccountQuery>,
) -> ApiResult<ApiJson<AccountPage>> {
    let page = customers::search(&state, &op, q.q.as_deref(), q.after, q.limit).await?;
    Ok(ApiJson(page))
}

/// One customer account with its installations (operators).
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "account number")),
    security(("operator_token" = [])),
    responses((status = 200, body = Account), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Account>> {
    Ok(ApiJson(customers::customer(&state, &op, id).await?))
}
