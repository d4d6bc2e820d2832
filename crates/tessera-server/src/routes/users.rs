//! An account's users, groups and rights (F5): the superadmin (or a user with
//! `users.manage`) creates users and groups and grants rights to groups; users sign in on
//! their own login; the portal asks which tabs and actions to show.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::ErrorCode;
use tessera_api::{
    Group, GroupMembers, LoginRequest, LoginResponse, NewGroup, NewUser, PortalView, User,
};
use tessera_core::Username;
use tessera_core::account::required_text;
use tessera_core::rights::Right;
use tessera_store::SessionKind;

use crate::actors::{Holds, Login, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ClientIp};
use crate::forms;
use crate::routes::auth::{Principal, hash_password, sign_in};
use crate::state::AppState;

/// Add a user to the account. Needs `users.manage`.
#[utoipa::path(post, path = "/api/v1/account/users", tag = "portal", request_body = NewUser,
    security(("account_token" = [])),
    responses(
        (status = 201, body = User),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 409, description = "USERNAME_TAKEN", body = tessera_api::ErrorBody),
        (status = 422, body = tessera_api::ErrorBody),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiJson(req): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, ApiJson<User>)> {
    let username = Username::parse("username", &req.username)?;
    let password = forms::password("password", &req.password)?;
    // Users and accounts sign in on different routes, but one name must not mean two.
    if state
        .store
        .account_by_login(username.as_str())
        .await?
        .is_some()
    {
        return Err(ApiError::refused(
            ErrorCode::UsernameTaken,
            "this username is taken",
        ));
    }
    let id = state
        .store
        .create_user(
            me.id,
            username.as_str(),
            &hash_password(password).await?,
            &me.actor(),
            state.clock.now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(User {
            id,
            username: username.as_str().to_owned(),
        }),
    ))
}

/// Create a group with rights. Needs `users.manage`.
#[utoipa::path(post, path = "/api/v1/account/groups", tag = "portal", request_body = NewGroup,
    security(("account_token" = [])),
    responses(
        (status = 201, body = Group),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 409, description = "GROUP_EXISTS", body = tessera_api::ErrorBody),
        (status = 422, description = "RIGHT_UNKNOWN", body = tessera_api::ErrorBody),
    ))]
pub async fn create_group(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiJson(req): ApiJson<NewGroup>,
) -> ApiResult<(StatusCode, ApiJson<Group>)> {
    let name = required_text("name", &req.name, 100)?;
    let mut rights = Vec::new();
    for (i, r) in req.rights.iter().enumerate() {
        let right = Right::parse(r).ok_or_else(|| {
            ApiError::invalid(
                ErrorCode::RightUnknown,
                &format!("rights[{i}]"),
                format!("rights are {}", Right::ALL.map(Right::name).join(", ")),
            )
        })?;
        if !rights.contains(&right.name()) {
            rights.push(right.name());
        }
    }
    let id = state
        .store
        .create_group(me.id, &name, &rights, &me.actor(), state.clock.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(Group {
            id,
            name,
            rights: rights.into_iter().map(str::to_owned).collect(),
        }),
    ))
}

/// Replace the members of a group. Needs `users.manage`.
#[utoipa::path(put, path = "/api/v1/account/groups/{id}/members", tag = "portal",
    params(("id" = i64, Path)), request_body = GroupMembers, security(("account_token" = [])),
    responses(
        (status = 204),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 404, description = "GROUP_NOT_FOUND, USER_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn set_members(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<GroupMembers>,
) -> ApiResult<StatusCode> {
    state
        .store
        .set_group_members(
            me.id,
            id,
            &req.user_ids,
            req.site_user_ids.as_deref(),
            &me.actor(),
            state.clock.now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign in as one of an account's users.
#[utoipa::path(post, path = "/api/v1/account/users/login", tag = "portal", request_body = LoginRequest,
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
    let username = req.username.trim().to_lowercase();
    let lookup = username.clone();
    let response = sign_in(
        &state,
        SessionKind::User,
        ip,
        &username,
        req.password,
        &note,
        |s| async move {
            Ok(s.store.user_by_username(&lookup).await?.map(|u| Principal {
                id: u.id,
                password_hash: u.password_hash,
                actor: format!("user:{}", u.username),
                account_id: Some(u.account_id),
            }))
        },
    )
    .await?;
    Ok(ApiJson(response))
}

/// What the portal shows the one signed in: the tabs and actions their rights open (for a
/// site user, on its one site).
#[utoipa::path(get, path = "/api/v1/account/ui", tag = "portal",
    security(("account_token" = [])),
    responses((status = 200, body = PortalView), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn ui(me: PortalUser) -> ApiJson<PortalView> {
    let has = |r: Right| me.rights.contains(&r);
    // Account-wide tabs and actions are the account's logins': a site user sees one site.
    let account_wide = me.site().is_none();
    let mut tabs = vec!["sites"];
    let mut actions = Vec::new();
    if has(Right::ShowOperations) {
        tabs.push("operations");
    }
    if has(Right::ViewInvoices) && account_wide {
        tabs.push("invoices");
    }
    if has(Right::ManageUsers) && account_wide {
        tabs.push("users");
    }
    if has(Right::ApproveCosts) {
        actions.push("services.switch");
    }
    if has(Right::EditTechnical) {
        actions.push("technical.edit");
    }
    if has(Right::ManageSites) && account_wide {
        actions.extend(["keys.add", "sites.deactivate"]);
    }
    ApiJson(PortalView {
        username: me.username.clone(),
        superadmin: me.login == Login::Superadmin,
        site_id: me.site().map(str::to_owned),
        rights: me.rights.iter().map(|r| r.name().to_owned()).collect(),
        tabs: tabs.into_iter().map(str::to_owned).collect(),
        actions: actions.into_iter().map(str::to_owned).collect(),
    })
}
