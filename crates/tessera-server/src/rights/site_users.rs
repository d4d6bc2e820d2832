//! Site users (H1): the users of one of the account's sites, who sign in with the site's
//! code (see `crate::sessions::site_user_sign_in`) and see that one site.

use tessera_api::{
    AcceptInvitation, ErrorCode, InvitationAccepted, InvitationSent, NewSiteUser, SiteUser,
};
use tessera_core::Username;
use tessera_store::SiteUserRecord;

use crate::actors::{Holds, right};
use crate::error::{ApiError, ApiResult};
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
        web_user: false,
        invitation_pending: false,
    })
}

/// A web user sets its password with the code its invitation mail carried (H2); then it
/// signs in as its site's user. `INVITATION_INVALID` for a code unknown, used or expired.
pub async fn accept_invitation(
    app: &AppState,
    req: &AcceptInvitation,
) -> ApiResult<InvitationAccepted> {
    let password = forms::password("password", &req.password)?;
    let password_hash = hash_password(password).await?;
    let accepted = app
        .store
        .accept_site_user_invitation(req.code.trim(), &password_hash, app.clock.now())
        .await?;
    let Some((_, site_id, username)) = accepted else {
        let code = ErrorCode::InvitationInvalid;
        return Err(ApiError::invalid(code, "code", code.message()));
    };
    tracing::info!(site = %site_id, "a web user set its password");
    Ok(InvitationAccepted { site_id, username })
}

/// Mails the web user `id` of the account's site `site_id` a new invitation (H2): for one
/// whose code expired or got lost, or who forgot its password; its earlier codes stop
/// working. The address it went to.
pub async fn reinvite(
    app: &AppState,
    who: &Holds<right::ManageUsers>,
    site_id: &str,
    id: i64,
) -> ApiResult<InvitationSent> {
    let mailed_to = app
        .store
        .reinvite_web_user(who.id, site_id, id, app.clock.now())
        .await?;
    tracing::info!(site = %site_id, user = id, "a web user was invited again");
    Ok(InvitationSent { mailed_to })
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
