//! Site users (H1): the superadmin (or a user with `users.manage`) gives one of the account's
//! sites its users; they sign in with username + password + the site's code (mailed when the
//! site was enabled for the cloud) and see that one site, with their groups' rights.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{LoginResponse, SiteLoginRequest, SiteUser, SiteUserList};
use tessera_core::Username;
use tessera_core::cloud::normalize_code;
use tessera_store::{NewSiteUser, SessionKind, SiteUserRecord};

use crate::actors::{Holds, right, site_standing};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ClientIp, token_hash};
use crate::forms;
use crate::routes::auth::{Principal, hash_password, sign_in};
use crate::state::AppState;

fn view(u: SiteUserRecord) -> SiteUser {
    SiteUser {
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
    let username = Username::parse("username", &req.username)?;
    let password = forms::password("password", &req.password)?;
    let mut groups = req.groups.clone();
    groups.sort_unstable();
    groups.dedup();
    let password_hash = hash_password(password).await?;
    let user = NewSiteUser {
        site_id: &site_id,
        username: username.as_str(),
        password_hash: &password_hash,
        groups: &groups,
    };
    let id = state
        .store
        .create_site_user(me.id, &user, &me.actor(), state.clock.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(SiteUser {
            id,
            site_id,
            username: username.as_str().to_owned(),
            groups,
        }),
    ))
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
    let users = state.store.site_users(me.id, &site_id).await?;
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
    state
        .store
        .delete_site_user(me.id, &site_id, id, &me.actor(), state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
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
    let username = req.username.trim().to_lowercase();
    let site_code = normalize_code(&req.site_code);
    // Throttled per name at that site: every site has its "admin".
    let login = format!("{username}@{site_code}");
    let site_note = note.clone();
    let code = site_code.clone();
    let response = sign_in(
        &state,
        SessionKind::SiteUser,
        ip,
        &login,
        req.password,
        &note,
        |s| async move {
            if site_code.is_empty() || site_code.len() > 32 || username.len() > 64 {
                return Ok(None);
            }
            let found = s.store.site_user_for_login(&site_code, &username).await?;
            Ok(found.map(|u| {
                // A refused attempt on a known user's site goes on that site's record too.
                site_note.site(&u.site_id);
                Principal {
                    id: u.id,
                    actor: tessera_core::Actor::SiteUser {
                        site: u.site_id,
                        username: u.username,
                    }
                    .to_string(),
                    password_hash: u.password_hash,
                    account_id: Some(u.account_id),
                }
            }))
        },
    )
    .await?;
    // Only someone who knows all three learns why the site is closed to them.
    if let Err(refused) = site_standing(&state, &code).await {
        state
            .store
            .delete_session(SessionKind::SiteUser, &token_hash(&response.token))
            .await?;
        return Err(refused);
    }
    Ok(ApiJson(response))
}
