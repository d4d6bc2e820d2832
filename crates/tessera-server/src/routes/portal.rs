//! The customer portal's API (B2, B3, B4): a superadmin signs in, adds keys, sees and
//! deactivates the account's installations, resets a forgotten password. Every route works
//! on the signed-in account only: another account's site is "not found".

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tessera_api::{
    Account, AddKey, LoginRequest, LoginResponse, PasswordResetConfirm, PasswordResetRequest, Site,
    SiteData, SiteList,
};

use crate::accounts;
use crate::actors::{AccountUser, Holds, PortalUser, right};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ClientIp, bearer_token};
use crate::sessions;
use crate::signing::documents::to_api_site;
use crate::state::AppState;

/// Sign in to the portal with username or email and password.
#[utoipa::path(post, path = "/api/v1/account/login", tag = "portal", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<ApiJson<LoginResponse>> {
    let response = sessions::account_sign_in(&state, ip, &note, req).await?;
    Ok(ApiJson(response))
}

/// End the portal session of the token in use.
#[utoipa::path(post, path = "/api/v1/account/logout", tag = "portal",
    security(("account_token" = [])),
    responses((status = 204), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    me: PortalUser,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    // The superadmin's session, an account user's or a site user's.
    sessions::end_session(&state, me.session_kind(), bearer_token(&headers)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account with its installations.
#[utoipa::path(get, path = "/api/v1/account", tag = "portal",
    security(("account_token" = [])),
    responses((status = 200, body = Account), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn me(State(state): State<AppState>, me: AccountUser) -> ApiResult<ApiJson<Account>> {
    Ok(ApiJson(accounts::own_account(&state, me.id).await?))
}

/// Register a further product key to the account (B2).
#[utoipa::path(post, path = "/api/v1/account/keys", tag = "portal", request_body = AddKey,
    security(("account_token" = [])),
    responses(
        (status = 201, body = Account),
        (status = 422, description = "KEY_INVALID and field errors", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn add_key(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    me: Holds<right::ManageSites>,
    ApiJson(req): ApiJson<AddKey>,
) -> ApiResult<(StatusCode, ApiJson<Account>)> {
    let account = accounts::add_key(&state, ip, &me, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(account)))
}

/// The account's installations; a site user's own only, and its product key masked but for
/// the last group (the key moves an installation to another machine).
#[utoipa::path(get, path = "/api/v1/account/sites", tag = "portal",
    security(("account_token" = [])),
    responses((status = 200, body = SiteList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn sites(State(state): State<AppState>, me: PortalUser) -> ApiResult<ApiJson<SiteList>> {
    Ok(ApiJson(SiteList {
        sites: accounts::visible_sites(&state, &me).await?,
    }))
}

/// Change the identification data of one of the account's sites (name, address,
/// representative): the fields of the client's site data, checked alike; the site's label
/// follows and the change is logged with who made it.
#[utoipa::path(put, path = "/api/v1/account/sites/{site_id}/data", tag = "portal",
    params(("site_id" = String, Path)),
    request_body = SiteData,
    security(("account_token" = [])),
    responses(
        (status = 200, body = Site),
        (status = 403, description = "RIGHT_REQUIRED (manage_sites)", body = tessera_api::ErrorBody),
        (status = 404, description = "no such site in this account", body = tessera_api::ErrorBody),
        (status = 422, description = "a field is wrong; `field` names it", body = tessera_api::ErrorBody),
    ))]
pub async fn change_site_data(
    State(state): State<AppState>,
    me: Holds<right::ManageSites>,
    ApiPath(site_id): ApiPath<String>,
    ApiJson(req): ApiJson<SiteData>,
) -> ApiResult<ApiJson<Site>> {
    let site = accounts::change_site_data(&state, &me, &site_id, &req).await?;
    Ok(ApiJson(to_api_site(&site)))
}

/// Release one of the account's installations from its machine, so the key can be activated
/// elsewhere (C2).
#[utoipa::path(post, path = "/api/v1/account/sites/{site_id}/deactivate", tag = "portal",
    params(("site_id" = String, Path)),
    security(("account_token" = [])),
    responses(
        (status = 200, body = Site),
        (status = 404, description = "no such site in this account", body = tessera_api::ErrorBody),
        (status = 409, description = "SITE_NOT_ACTIVE", body = tessera_api::ErrorBody),
    ))]
pub async fn deactivate(
    State(state): State<AppState>,
    me: Holds<right::ManageSites>,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<Site>> {
    let site = accounts::release_site(&state, &me, &site_id).await?;
    Ok(ApiJson(to_api_site(&site)))
}

/// Ask for a password-reset email. Always 202, whether or not the address has an account.
#[utoipa::path(post, path = "/api/v1/account/password-reset", tag = "portal",
    request_body = PasswordResetRequest,
    responses((status = 202), (status = 422, body = tessera_api::ErrorBody), (status = 429, body = tessera_api::ErrorBody)))]
pub async fn request_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    accounts::request_reset(&state, ip, &req.email).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with the emailed token. The token works once; every session of the
/// account ends.
#[utoipa::path(post, path = "/api/v1/account/password-reset/confirm", tag = "portal",
    request_body = PasswordResetConfirm,
    responses((status = 204), (status = 422, description = "RESET_TOKEN_INVALID or a weak password", body = tessera_api::ErrorBody), (status = 429, body = tessera_api::ErrorBody)))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    accounts::confirm_reset(&state, ip, &req.token, &req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
