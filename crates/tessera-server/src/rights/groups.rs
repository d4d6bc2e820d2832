//! An account's groups (F5): the superadmin (or a user with `users.manage`) creates them with
//! rights, lists them with their rights and members, switches their rights, sets their
//! members and removes them. Another account's group is not found.

use tessera_api::{
    ErrorCode, Group, GroupDetails, GroupList, GroupMembers, GroupName, GroupRights, GroupSiteUser,
    GroupUser, NewGroup,
};
use tessera_core::account::required_text;
use tessera_core::rights::Right;
use tessera_store::GroupRecord;

use crate::actors::{Holds, right};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `names` as rights, each once, in the order given; `RIGHT_UNKNOWN` on the first that is
/// none, naming it as `rights[i]`.
fn parse_rights(names: &[String]) -> ApiResult<Vec<&'static str>> {
    let mut rights = Vec::new();
    for (i, r) in names.iter().enumerate() {
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
    Ok(rights)
}

fn owned(rights: Vec<&str>) -> Vec<String> {
    rights.into_iter().map(str::to_owned).collect()
}

/// Creates a group of the account with its rights, each named once.
pub async fn add_group(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    req: &NewGroup,
) -> ApiResult<Group> {
    let name = required_text("name", &req.name, 100)?;
    let rights = parse_rights(&req.rights)?;
    let id = app
        .store
        .create_group(who.id, &name, &rights, &who.actor(), app.clock.now())
        .await?;
    Ok(Group {
        id,
        name,
        rights: owned(rights),
    })
}

fn details(g: GroupRecord) -> GroupDetails {
    GroupDetails {
        id: g.id,
        name: g.name,
        rights: g.rights,
        users: (g.users.into_iter())
            .map(|(id, username)| GroupUser { id, username })
            .collect(),
        site_users: (g.site_users.into_iter())
            .map(|u| GroupSiteUser {
                id: u.id,
                site_id: u.site_id,
                username: u.username,
            })
            .collect(),
    }
}

/// The account's groups by name, with their rights and members.
pub async fn groups(app: &AppState, who: &Holds<right::ManageUsers>) -> ApiResult<GroupList> {
    let groups = app.store.groups(who.id).await?;
    Ok(GroupList {
        groups: groups.into_iter().map(details).collect(),
    })
}

/// Switches the rights of the account's group `group` to exactly `req.rights`; its members
/// hold the new rights from their next request.
pub async fn set_rights(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    group: i64,
    req: &GroupRights,
) -> ApiResult<Group> {
    let rights = parse_rights(&req.rights)?;
    let name = app
        .store
        .set_group_rights(who.id, group, &rights, &who.actor(), app.clock.now())
        .await?;
    Ok(Group {
        id: group,
        name,
        rights: owned(rights),
    })
}

/// Renames the account's group `group`; `GROUP_EXISTS` when another of its groups has the
/// name.
pub async fn rename_group(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    group: i64,
    req: &GroupName,
) -> ApiResult<()> {
    let name = required_text("name", &req.name, 100)?;
    app.store
        .rename_group(who.id, group, &name, &who.actor(), app.clock.now())
        .await?;
    Ok(())
}

/// Replaces the members (users, and site users when given) of the account's group `group`.
pub async fn set_members(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    group: i64,
    req: &GroupMembers,
) -> ApiResult<()> {
    app.store
        .set_group_members(
            who.id,
            group,
            &req.user_ids,
            req.site_user_ids.as_deref(),
            &who.actor(),
            app.clock.now(),
        )
        .await?;
    Ok(())
}

/// Removes the account's group `group` with its memberships; its members keep the rights of
/// their other groups.
pub async fn remove_group(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    group: i64,
) -> ApiResult<()> {
    app.store
        .delete_group(who.id, group, &who.actor(), app.clock.now())
        .await?;
    Ok(())
}
