//! Site users (H1): people at one installation, signing in with username + password + the
//! site code. They exist only for a site of their account, and they can sign in only while
//! that site is enabled for the cloud (its site code exists): dropping the site from the
//! subscription ends their access at once.

use jiff::Timestamp;
use tessera_core::Actor;

use crate::{Result, Store, StoreError};

/// The stored password hash of a web user invited but without a password yet (H2): not a
/// hash at all, so no password matches it; sign-in checks it as an unknown user.
pub const NO_PASSWORD_YET: &str = "!invited";

/// A site user as sign-in and the routes need it.
#[derive(Clone, PartialEq, Eq)]
pub struct SiteUserRecord {
    pub id: i64,
    pub account_id: i64,
    /// The site's public id.
    pub site_id: String,
    pub username: String,
    pub password_hash: String,
    /// Ids of the account's groups the user belongs to.
    pub groups: Vec<i64>,
    /// The site's code while it is enabled for the cloud (and its users can sign in).
    pub site_code: Option<String>,
    /// Made from a synced record marked as a web user (H2), rather than in the portal.
    pub web_user: bool,
}

impl SiteUserRecord {
    /// A web user whose invitation has not been used yet: it cannot sign in.
    pub fn invitation_pending(&self) -> bool {
        self.password_hash == NO_PASSWORD_YET
    }
}

impl std::fmt::Debug for SiteUserRecord {
    /// The password hash stays out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteUserRecord")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .field("site_id", &self.site_id)
            .field("username", &self.username)
            .field("groups", &self.groups)
            .finish_non_exhaustive()
    }
}

/// A user to add to one of an account's sites.
pub struct NewSiteUser<'a> {
    /// The site's public id.
    pub site_id: &'a str,
    pub username: &'a str,
    pub password_hash: &'a str,
    /// Ids of the account's groups.
    pub groups: &'a [i64],
}

#[derive(sqlx::FromRow)]
pub(crate) struct SiteUserRow {
    pub(crate) id: i64,
    account_id: i64,
    site_id: String,
    username: String,
    password_hash: String,
    site_code: Option<String>,
    web_user: bool,
}

/// Every site user query joins the site (for its account and public id) and the site's
/// cloud enablement (for its code), or the one its deleted subscription had (so that
/// sign-in answers `SUBSCRIPTION_DELETED`).
pub(crate) const SITE_USER_SELECT: &str = "\
    SELECT u.id, s.account_id, s.public_id AS site_id, u.username, \
     u.password_hash, c.site_code, \
     EXISTS (SELECT 1 FROM sync_web_users w WHERE w.site_user_id = u.id) AS web_user \
     FROM site_users u JOIN sites s ON s.id = u.site_id \
     LEFT JOIN (SELECT site_id, site_code FROM cloud_sites \
       UNION ALL SELECT site_id, site_code FROM deleted_cloud_sites) c ON c.site_id = u.site_id";

impl Store {
    /// Uses a web user's invitation code (H2): its site user gets `password_hash`. The
    /// account, the site's public id and the username; None for a code that is unknown,
    /// used or expired.
    pub async fn accept_site_user_invitation(
        &self,
        code: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(i64, String, String)>> {
        on_backend!(self, |db| sql::sync::web_users::accept(
            db,
            code,
            password_hash,
            now
        ))
    }

    /// Mails the web user `user_id` of the account's site `site_id` a new invitation (H2);
    /// its earlier codes stop working. The address it went to. `USER_NOT_FOUND` for a user
    /// of another site or account, `NOT_A_WEB_USER` for one made in the portal.
    pub async fn reinvite_web_user(
        &self,
        account_id: i64,
        site_id: &str,
        user_id: i64,
        now: Timestamp,
    ) -> Result<String> {
        on_backend!(self, |db| sql::sync::web_users::reinvite(
            db, account_id, site_id, user_id, now
        ))
    }

    /// Adds a user to one of the account's sites, in some of the account's groups.
    /// `SITE_NOT_FOUND` for another account's site, `GROUP_NOT_FOUND` for another account's
    /// group, `USERNAME_TAKEN` when the site already has the name.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, site = user.site_id, username = user.username)
    )]
    pub async fn create_site_user(
        &self,
        account_id: i64,
        user: &NewSiteUser<'_>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<i64> {
        on_backend!(self, |db| sql::site_users::create_site_user(
            db, account_id, user, actor, now
        ))
    }

    /// The users of one of the account's sites, by name. `SITE_NOT_FOUND` for another
    /// account's site.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, site = site_id)
    )]
    pub async fn site_users(&self, account_id: i64, site_id: &str) -> Result<Vec<SiteUserRecord>> {
        let (site, rows, memberships) = on_backend!(self, |db| sql::site_users::site_users(
            db, account_id, site_id
        ))?;
        site.ok_or(StoreError::NotFound("site"))?;
        Ok(rows
            .into_iter()
            .map(|r| with_groups(r, &memberships))
            .collect())
    }

    /// The users of all the account's sites, by site and name.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn account_site_users(&self, account_id: i64) -> Result<Vec<SiteUserRecord>> {
        let (rows, memberships) = on_backend!(self, |db| sql::site_users::account_site_users(
            db, account_id
        ))?;
        Ok(rows
            .into_iter()
            .map(|r| with_groups(r, &memberships))
            .collect())
    }

    /// Removes a user of one of the account's sites; its sessions end with it.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, site = site_id, id = id)
    )]
    pub async fn delete_site_user(
        &self,
        account_id: i64,
        site_id: &str,
        id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::site_users::delete_site_user(
            db, account_id, site_id, id, actor, now,
        ))
    }

    /// The user `username` of the site whose site code is `site_code` (already normalized),
    /// while that site is enabled for the cloud.
    #[tracing::instrument(level = "debug", skip_all, fields(username = username))]
    pub async fn site_user_for_login(
        &self,
        site_code: &str,
        username: &str,
    ) -> Result<Option<SiteUserRecord>> {
        self.site_user_by(SiteUserKey::Login {
            site_code,
            username,
        })
        .await
    }

    /// A site user with a live session, while the site is still enabled for the cloud.
    #[tracing::instrument(level = "debug", skip_all, fields(id = id))]
    pub async fn site_user(&self, id: i64) -> Result<Option<SiteUserRecord>> {
        self.site_user_by(SiteUserKey::Id(id)).await
    }

    async fn site_user_by(&self, key: SiteUserKey<'_>) -> Result<Option<SiteUserRecord>> {
        let found = on_backend!(self, |db| sql::site_users::site_user_by(db, key))?;
        Ok(found.map(|(row, groups)| with_groups(row, &groups)))
    }
}

/// How a site user is looked up for sign-in and for its sessions.
#[derive(Clone, Copy)]
pub(crate) enum SiteUserKey<'a> {
    Id(i64),
    Login {
        site_code: &'a str,
        username: &'a str,
    },
}

fn with_groups(r: SiteUserRow, memberships: &[(i64, i64)]) -> SiteUserRecord {
    SiteUserRecord {
        groups: memberships
            .iter()
            .filter(|(user, _)| *user == r.id)
            .map(|(_, group)| *group)
            .collect(),
        id: r.id,
        account_id: r.account_id,
        site_id: r.site_id,
        username: r.username,
        password_hash: r.password_hash,
        site_code: r.site_code,
        web_user: r.web_user,
    }
}
