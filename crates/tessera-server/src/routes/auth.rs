//! Operator sign-in: a password checked with argon2 gives a bearer token; failures are
//! throttled per account and client network. The signing in itself is `crate::sessions`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use tessera_api::{LoginRequest, LoginResponse, WhoAmI};
use tessera_store::SessionKind;

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ClientIp, bearer_token};
use crate::sessions;
use crate::state::AppState;

/// Sign in as an operator.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "wrong username or password", body = tessera_api::ErrorBody),
        (status = 429, description = "too many failed attempts", body = tessera_api::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<ApiJson<LoginResponse>> {
    let response = sessions::operator_sign_in(&state, ip, &note, req).await?;
    Ok(ApiJson(response))
}

/// End the session of the token in use.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    security(("operator_token" = [])),
    responses((status = 204), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    _op: Operator,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    sessions::end_session(&state, SessionKind::Operator, bearer_token(&headers)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    security(("operator_token" = [])),
    responses((status = 200, body = WhoAmI), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn me(op: Operator) -> ApiJson<WhoAmI> {
    ApiJson(sessions::who_am_i(op))
}
