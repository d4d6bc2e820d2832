//! The account's own data as its superadmin keeps it up to date: company and contact data,
//! and further contacts. Only the superadmin: the account's users and site users are refused
//! `403 SUPERADMIN_REQUIRED`; another account's contact is "not found".

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{
    Account, AccountContact, AccountContactList, LanguageChoice, NewAccountContact, ProfileUpdate,
};

use crate::accounts::profile;
use crate::actors::Superadmin;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;

/// Change the account's company and contact data (the whole blocks, as the account shows
/// them). The VAT number and its country stay as registered, as do the username and email.
#[utoipa::path(put, path = "/api/v1/account/profile", tag = "portal", request_body = ProfileUpdate,
    security(("account_token" = [])),
    responses(
        (status = 200, body = Account),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "SUPERADMIN_REQUIRED", body = tessera_api::ErrorBody),
        (status = 422, description = "FIELD_FIXED for another VAT number or country; field errors name the field", body = tessera_api::ErrorBody),
    ))]
pub async fn update_profile(
    State(state): State<AppState>,
    me: Superadmin,
    ApiJson(req): ApiJson<ProfileUpdate>,
) -> ApiResult<ApiJson<Account>> {
    Ok(ApiJson(profile::update_profile(&state, &me, &req).await?))
}

/// Set the language of the account's mail (`en`, `de`, `it`). Signing in as the superadmin
/// with a `language` sets it too.
#[utoipa::path(put, path = "/api/v1/account/language", tag = "portal", request_body = LanguageChoice,
    security(("account_token" = [])),
    responses(
        (status = 200, body = Account),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "SUPERADMIN_REQUIRED", body = tessera_api::ErrorBody),
        (status = 422, description = "LANGUAGE_UNSUPPORTED (field `language`)", body = tessera_api::ErrorBody),
    ))]
pub async fn set_language(
    State(state): State<AppState>,
    me: Superadmin,
    ApiJson(req): ApiJson<LanguageChoice>,
) -> ApiResult<ApiJson<Account>> {
    Ok(ApiJson(profile::set_language(&state, &me, &req).await?))
}

/// The account's further contacts, oldest first.
#[utoipa::path(get, path = "/api/v1/account/contacts", tag = "portal",
    security(("account_token" = [])),
    responses(
        (status = 200, body = AccountContactList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "SUPERADMIN_REQUIRED", body = tessera_api::ErrorBody),
    ))]
pub async fn contacts(
    State(state): State<AppState>,
    me: Superadmin,
) -> ApiResult<ApiJson<AccountContactList>> {
    Ok(ApiJson(profile::contacts(&state, &me).await?))
}

/// Add a further contact to the account (at most 20).
#[utoipa::path(post, path = "/api/v1/account/contacts", tag = "portal",
    request_body = NewAccountContact,
    security(("account_token" = [])),
    responses(
        (status = 201, body = AccountContact),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "SUPERADMIN_REQUIRED", body = tessera_api::ErrorBody),
        (status = 409, description = "TOO_MANY_CONTACTS", body = tessera_api::ErrorBody),
        (status = 422, description = "a field is wrong; `field` names it", body = tessera_api::ErrorBody),
    ))]
pub async fn add_contact(
    State(state): State<AppState>,
    me: Superadmin,
    ApiJson(req): ApiJson<NewAccountContact>,
) -> ApiResult<(StatusCode, ApiJson<AccountContact>)> {
    let contact = profile::add_contact(&state, &me, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(contact)))
}

/// Remove one of the account's further contacts.
#[utoipa::path(delete, path = "/api/v1/account/contacts/{contact_id}", tag = "portal",
    params(("contact_id" = i64, Path)),
    security(("account_token" = [])),
    responses(
        (status = 204),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "SUPERADMIN_REQUIRED", body = tessera_api::ErrorBody),
        (status = 404, description = "CONTACT_NOT_FOUND, also for another account's", body = tessera_api::ErrorBody),
    ))]
pub async fn remove_contact(
    State(state): State<AppState>,
    me: Superadmin,
    ApiPath(contact_id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    profile::remove_contact(&state, &me, contact_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
