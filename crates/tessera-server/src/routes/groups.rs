//! An account's groups and their rights (F5): the superadmin (or a user with `users.manage`)
//! creates, lists, edits and removes them. Another account's group is `GROUP_NOT_FOUND`.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{Group, GroupList, GroupMembers, GroupName, GroupRights, NewGroup};

use crate::actors::{Holds, right};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::rights::groups;
use crate::state::AppState;

/// Create a group with rights. Needs `users.manage`.
#[utoipa::path(post, path = "/api/v1/account/groups", tag = "portal", request_body = NewGroup,
    security(("account_token" = [])),
    responses(
        (status = 201, body = Group),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 409, description = "GROUP_EXISTS", body = tessera_api::ErrorBody),
        (status = 422, description = "RIGHT_UNKNOWN", body = tessera_api::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiJson(req): ApiJson<NewGroup>,
) -> ApiResult<(StatusCode, ApiJson<Group>)> {
    let group = groups::add_group(&state, &me, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(group)))
}

/// The account's groups by name, with their rights, users and site users. Needs
/// `users.manage`.
#[utoipa::path(get, path = "/api/v1/account/groups", tag = "portal",
    security(("account_token" = [])),
    responses(
        (status = 200, body = GroupList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
) -> ApiResult<ApiJson<GroupList>> {
    Ok(ApiJson(groups::groups(&state, &me).await?))
}

/// Rename a group. Needs `users.manage`.
#[utoipa::path(put, path = "/api/v1/account/groups/{id}/name", tag = "portal",
    params(("id" = i64, Path)), request_body = GroupName, security(("account_token" = [])),
    responses(
        (status = 204),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "GROUP_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "GROUP_EXISTS", body = tessera_api::ErrorBody),
        (status = 422, body = tessera_api::ErrorBody),
    ))]
pub async fn rename(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<GroupName>,
) -> ApiResult<StatusCode> {
    groups::rename_group(&state, &me, id, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Switch a group's rights: the group holds exactly the rights given, its members from their
/// next request. Needs `users.manage`.
#[utoipa::path(put, path = "/api/v1/account/groups/{id}/rights", tag = "portal",
    params(("id" = i64, Path)), request_body = GroupRights, security(("account_token" = [])),
    responses(
        (status = 200, body = Group),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "GROUP_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 422, description = "RIGHT_UNKNOWN", body = tessera_api::ErrorBody),
    ))]
pub async fn set_rights(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<GroupRights>,
) -> ApiResult<ApiJson<Group>> {
    Ok(ApiJson(groups::set_rights(&state, &me, id, &req).await?))
}

/// Replace the members of a group. Needs `users.manage`.
#[utoipa::path(put, path = "/api/v1/account/groups/{id}/members", tag = "portal",
    params(("id" = i64, Path)), request_body = GroupMembers, security(("account_token" = [])),
    responses(
        (status = 204),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "GROUP_NOT_FOUND, USER_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn set_members(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<GroupMembers>,
) -> ApiResult<StatusCode> {
    groups::set_members(&state, &me, id, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a group with its rights and memberships; its members keep the rights of their
/// other groups. Needs `users.manage`.
#[utoipa::path(delete, path = "/api/v1/account/groups/{id}", tag = "portal",
    params(("id" = i64, Path)), security(("account_token" = [])),
    responses(
        (status = 204),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (users.manage)", body = tessera_api::ErrorBody),
        (status = 404, description = "GROUP_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    me: Holds<right::ManageUsers>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    groups::remove_group(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
