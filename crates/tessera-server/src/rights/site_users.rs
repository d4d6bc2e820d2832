//! Site users (H1): the users of one of the account's sites, who sign in with the site's
//! code (see `crate::sessions::site_user_sign_in`) and see that one site.

use tessera_api::{NewSiteUser, SiteUser};
use tessera_core::Username;
use tessera_store::SiteUserRecord;

use crate::actors::{Holds, right};
use crate::error::ApiResult;
use crate::forms;
use crate::sessions::hash_password;
use crate::state::AppState;

/// Gives the account's site `site_id` a user in `req.groups` (H1); it can sign in once the
/// site is enabled for the cloud (its site code exists).
pub async fn add_site_user(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    site_id: String,
    req: &NewSiteUser,
) -> ApiResult<SiteUser> {
    let username = Username::parse("username", &req.username)?;
    let password = forms::password("password", &req.password)?;
    let mut groups = req.groups.clone();
    groups.sort_unstable();
    groups.dedup();
    let password_hash = hash_password(password).await?;
    let user = tessera_store::NewSiteUser {
        site_id: &site_id,
        username: username.as_str(),
        password_hash: &password_hash,
        groups: &groups,
    };
    let id = app
        .store
        .create_site_user(who.id, &user, &who.actor(), app.clock.now())
        .await?;
    Ok(SiteUser {
        id,
        site_id,
        username: username.as_str().to_owned(),
        groups,
    })
}

/// The users of the account's site `site_id`.
pub async fn site_users(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    site_id: &str,
) -> ApiResult<Vec<SiteUserRecord>> {
    Ok(app.store.site_users(who.id, site_id).await?)
}

/// The users of all the account's sites, by site and name (for a group's members).
pub async fn account_site_users(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
) -> ApiResult<Vec<SiteUserRecord>> {
    Ok(app.store.account_site_users(who.id).await?)
}

/// Removes the user `id` of the account's site `site_id`; its sessions end at once.
pub async fn remove_site_user(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    site_id: &str,
    id: i64,
) -> ApiResult<()> {
    app.store
        .delete_site_user(who.id, site_id, id, &who.actor(), app.clock.now())
        .await?;
    Ok(())
}
