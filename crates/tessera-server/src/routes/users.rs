//! An account's users (F5): the superadmin (or a user with `users.manage`) adds, disables,
//! enables and removes them (their groups are routes/groups.rs); users sign in on their own
//! login; the portal asks which tabs and actions to show.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{LoginRequest, LoginResponse, NewUser, PortalView, User, UserList};

use crate::actors::{Holds, PortalUser, right};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ClientIp};
use crate::state::AppState;
use crate::{rights, sessions};

/// Add a user to the account, in some of its groups. Needs `users.manage`.
#[utoipa::path(post, path = "/api/v1/account/users", tag = "portal", request_body = NewUser,
    security(("account_token" = [])),
    responses(
        (status = 201, body = User),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "GROUP_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "USERNAME_TAKEN", body = tessera_api::ErrorBody),
        (status = 422, body = tessera_api::ErrorBody),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiJson(req): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, ApiJson<User>)> {
    let user = rights::add_user(&state, &me, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(user)))
}

/// The account's users by name (the groups' list says who is in which). Needs
/// `users.manage`.
#[utoipa::path(get, path = "/api/v1/account/users", tag = "portal",
    security(("account_token" = [])),
    responses(
        (status = 200, body = UserList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
) -> ApiResult<ApiJson<UserList>> {
    Ok(ApiJson(rights::users(&state, &me).await?))
}

/// Remove a user of the account, with its group memberships; its sessions end at once.
/// Needs `users.manage`.
#[utoipa::path(delete, path = "/api/v1/account/users/{id}", tag = "portal",
    params(("id" = i64, Path)), security(("account_token" = [])),
    responses(
        (status = 204),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "USER_NOT_FOUND: no such user in the account", body = tessera_api::ErrorBody),
    ))]
pub async fn delete_user(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    rights::remove_user(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disable a user of the account: its sign-in is refused `USER_DISABLED` and its sessions
/// end at once; it keeps its name and groups. Disabling a disabled user changes nothing.
/// Needs `users.manage`.
#[utoipa::path(post, path = "/api/v1/account/users/{id}/disable", tag = "portal",
    params(("id" = i64, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = User),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "USER_NOT_FOUND: no such user in the account", body = tessera_api::ErrorBody),
    ))]
pub async fn disable_user(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<User>> {
    Ok(ApiJson(rights::disable_user(&state, &me, id).await?))
}

/// Enable a disabled user of the account again: it signs in with its password as before.
/// Enabling an enabled user changes nothing. Needs `users.manage`.
#[utoipa::path(post, path = "/api/v1/account/users/{id}/enable", tag = "portal",
    params(("id" = i64, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = User),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "USER_NOT_FOUND: no such user in the account", body = tessera_api::ErrorBody),
    ))]
pub async fn enable_user(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<User>> {
    Ok(ApiJson(rights::enable_user(&state, &me, id).await?))
}

/// Sign in as one of an account's users. A disabled user is refused `USER_DISABLED` once
/// its password matched.
#[utoipa::path(post, path = "/api/v1/account/users/login", tag = "portal", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "USER_DISABLED", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<ApiJson<LoginResponse>> {
    let response = sessions::user_sign_in(&state, ip, &note, req).await?;
    Ok(ApiJson(response))
}

/// What the portal shows the one signed in: the tabs and actions their rights open (for a
/// site user, on its one site).
#[utoipa::path(get, path = "/api/v1/account/ui", tag = "portal",
    security(("account_token" = [])),
    responses((status = 200, body = PortalView), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn ui(me: PortalUser) -> ApiJson<PortalView> {
    ApiJson(rights::portal_view(&me))
}
