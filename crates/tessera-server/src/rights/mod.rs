//! An account's users, groups and rights (F5) and its sites' users (H1) as use cases: the
//! superadmin (or a user with `users.manage`) adds, disables, enables and removes users,
//! keeps groups and their rights (`groups`), gives sites their users (`site_users`); the
//! portal asks which tabs and actions to show. Signing them in is `crate::sessions`. The JSON routes are
//! routes/users.rs and routes/site_users.rs.

pub mod groups;
pub mod site_users;

use tessera_api::{ErrorCode, NewUser, PortalView, User, UserList};
use tessera_core::Username;
use tessera_core::rights::Right;
use tessera_store::UserSummary;

use crate::actors::{Holds, Login, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::forms;
use crate::sessions::hash_password;
use crate::state::AppState;

/// Adds a user to the account (F5), in the account's groups `req.groups`; its name must not
/// be any account's login either.
pub async fn add_user(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    req: &NewUser,
) -> ApiResult<User> {
    let username = Username::parse("username", &req.username)?;
    let password = forms::password("password", &req.password)?;
    // Users and accounts sign in on different routes, but one name must not mean two.
    if app
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
    let mut groups = req.groups.clone();
    groups.sort_unstable();
    groups.dedup();
    let id = app
        .store
        .create_user(
            who.id,
            username.as_str(),
            &hash_password(password).await?,
            &groups,
            &who.actor(),
            app.clock.now(),
        )
        .await?;
    Ok(User {
        id,
        username: username.as_str().to_owned(),
        disabled_at: None,
    })
}

/// The account's users by name (F5), each with whether it is disabled; the groups' list
/// says who is in which.
pub async fn users(app: &AppState, who: &Holds<right::ManageUsers>) -> ApiResult<UserList> {
    let users = app.store.users(who.id).await?;
    Ok(UserList {
        users: users.into_iter().map(to_api_user).collect(),
    })
}

pub(crate) fn to_api_user(u: UserSummary) -> User {
    User {
        id: u.id,
        username: u.username,
        disabled_at: u.disabled_at.map(|t| t.to_string()),
    }
}

/// Disables the account's user `id`: its sign-in is refused `USER_DISABLED` (once its
/// password matched) and its sessions end at once; it keeps its name and groups. Answers the
/// user as it now is; a disabled user stays disabled since it was.
pub async fn disable_user(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    id: i64,
) -> ApiResult<User> {
    let user = app
        .store
        .disable_user(who.id, id, &who.actor(), app.clock.now())
        .await?;
    Ok(to_api_user(user))
}

/// Enables the account's user `id` again: it signs in with its password as before.
pub async fn enable_user(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    id: i64,
) -> ApiResult<User> {
    let user = app
        .store
        .enable_user(who.id, id, &who.actor(), app.clock.now())
        .await?;
    Ok(to_api_user(user))
}

/// Removes the account's user `id` and its group memberships; its sessions end at once.
pub async fn remove_user(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    id: i64,
) -> ApiResult<()> {
    app.store
        .delete_user(who.id, id, &who.actor(), app.clock.now())
        .await?;
    Ok(())
}

/// What the portal shows the one signed in: the tabs and actions their rights open (for a
/// site user, on its one site).
pub fn portal_view(me: &PortalUser) -> PortalView {
    let has = |r: Right| me.rights.contains(&r);
    // Account-wide tabs and actions are the account's logins': a site user sees one site.
    let account_wide = me.site().is_none();
    let mut tabs = vec!["sites"];
    let mut actions = Vec::new();
    // The station sheet's operations tab (seed 001's "Betriebsführung"): its services.
    if has(Right::OperationsTab) {
        tabs.push("services");
    }
    if has(Right::ViewOperationsLog) {
        tabs.push("operations");
    }
    if has(Right::ViewInvoices) && account_wide {
        tabs.push("invoices");
    }
    if has(Right::ManageUsers) && account_wide {
        tabs.push("users");
    }
    // The switch is on the operations tab and has follow-up costs: it needs both.
    if has(Right::OperationsTab) && has(Right::ApproveCosts) {
        actions.push("services.switch");
    }
    if has(Right::EditTechnical) {
        actions.push("technical.edit");
    }
    if has(Right::ManageSites) && account_wide {
        actions.extend(["keys.add", "sites.deactivate"]);
    }
    PortalView {
        username: me.username.clone(),
        superadmin: me.login == Login::Superadmin,
        site_id: me.site().map(str::to_owned),
        rights: me.rights.iter().map(|r| r.name().to_owned()).collect(),
        tabs: tabs.into_iter().map(str::to_owned).collect(),
        actions: actions.into_iter().map(str::to_owned).collect(),
    }
}
