//! Site users (H1): the superadmin (or a user with `users.manage`) gives one of the account's
//! sites its users; they sign in with username + password + the site's code (mailed when the
//! site was enabled for the cloud) and see that one site, with their groups' rights.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{
    AcceptInvitation, InvitationAccepted, InvitationSent, LoginResponse, SiteLoginRequest,
    SiteUser, SiteUserList,
};
use tessera_store::SiteUserRecord;

use crate::actors::{Holds, right};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ClientIp};
use crate::rights::site_users;
use crate::sessions;
use crate::state::AppState;

fn view(u: SiteUserRecord) -> SiteUser {
    SiteUser {
        invitation_pending: u.invitation_pending(),
        web_user: u.web_user,
        id: u.id,
        site_id: u.site_id,
        username: u.username,
        groups: u.groups,
    }
}

/// Give one of the account's sites a user. Needs `users.manage`. The user can sign in once
/// the site is enabled for the cloud (its site code exists).
#[utoipa::path(post, path = "/api/v1/account/sites/{site_id}/users", tag = "portal",
    params(("site_id" = String, Path)), request_body = tessera_api::NewSiteUser,
    security(("account_token" = [])),
    responses(
        (status = 201, body = SiteUser),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "SITE_NOT_FOUND, GROUP_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "USERNAME_TAKEN: the site has a user of this name", body = tessera_api::ErrorBody),
        (status = 422, body = tessera_api::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(site_id): ApiPath<String>,
    ApiJson(req): ApiJson<tessera_api::NewSiteUser>,
) -> ApiResult<(StatusCode, ApiJson<SiteUser>)> {
    let user = site_users::add_site_user(&state, &me, site_id, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(user)))
}

/// The users of one of the account's sites. Needs `users.manage`.
#[utoipa::path(get, path = "/api/v1/account/sites/{site_id}/users", tag = "portal",
    params(("site_id" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = SiteUserList),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 404, description = "SITE_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<SiteUserList>> {
    let users = site_users::site_users(&state, &me, &site_id).await?;
    Ok(ApiJson(SiteUserList {
        users: users.into_iter().map(view).collect(),
    }))
}

/// The users of all the account's sites, by site and name. Needs `users.manage`.
#[utoipa::path(get, path = "/api/v1/account/site-users", tag = "portal",
    security(("account_token" = [])),
    responses(
        (status = 200, body = SiteUserList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
    ))]
pub async fn list_all(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
) -> ApiResult<ApiJson<SiteUserList>> {
    let users = site_users::account_site_users(&state, &me).await?;
    Ok(ApiJson(SiteUserList {
        users: users.into_iter().map(view).collect(),
    }))
}

/// Remove a site user; its sessions end at once. Needs `users.manage`.
#[utoipa::path(delete, path = "/api/v1/account/sites/{site_id}/users/{id}", tag = "portal",
    params(("site_id" = String, Path), ("id" = i64, Path)), security(("account_token" = [])),
    responses(
        (status = 204),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 404, description = "USER_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath((site_id, id)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    site_users::remove_site_user(&state, &me, &site_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mail a web user (a site user made from synced data, H2) a new invitation: for one whose
/// code expired or got lost, or who forgot its password. Its earlier codes stop working.
/// Needs `users.manage`.
#[utoipa::path(post, path = "/api/v1/account/sites/{site_id}/users/{id}/invitation", tag = "portal",
    params(("site_id" = String, Path), ("id" = i64, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = InvitationSent),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 404, description = "USER_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "NOT_A_WEB_USER: made in the portal, with its password", body = tessera_api::ErrorBody),
    ))]
pub async fn reinvite(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath((site_id, id)): ApiPath<(String, i64)>,
) -> ApiResult<ApiJson<InvitationSent>> {
    Ok(ApiJson(
        site_users::reinvite(&state, &me, &site_id, id).await?,
    ))
}

/// Sign in as a user of one site (ADMIN in the seed's login): username, password and the
/// site code. The token works on the portal routes that serve one site, for that site only.
#[utoipa::path(post, path = "/api/v1/site/login", tag = "portal", request_body = SiteLoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "wrong username, password or site code, or the site is no longer enabled for the cloud", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<SiteLoginRequest>,
) -> ApiResult<ApiJson<LoginResponse>> {
    let response = sessions::site_user_sign_in(&state, ip, &note, req).await?;
    Ok(ApiJson(response))
}

/// A web user from synced data sets its password with the code its invitation mail carried
/// (H2); then it signs in with `/api/v1/site/login`.
#[utoipa::path(post, path = "/api/v1/site/invitation", tag = "portal", request_body = AcceptInvitation,
    responses(
        (status = 200, body = InvitationAccepted),
        (status = 422, description = "INVITATION_INVALID, PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG", body = tessera_api::ErrorBody),
    ))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<AcceptInvitation>,
) -> ApiResult<ApiJson<InvitationAccepted>> {
    Ok(ApiJson(site_users::accept_invitation(&state, &req).await?))
}
