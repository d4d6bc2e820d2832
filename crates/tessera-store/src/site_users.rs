//! Site users (H1): people at one installation, signing in with username + password + the
//! site code. They exist only for a site of their account, and they can sign in only while
//! that site is enabled for the cloud (its site code exists): dropping the site from the
//! subscription ends their access at once.

use jiff::Timestamp;
use tessera_core::Actor;

use crate::audit::audit;
use crate::error::duplicate_as;
use crate::users::{GroupMember, join_group};
use crate::{Result, Store, StoreError, to_micros};

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
struct SiteUserRow {
    id: i64,
    account_id: i64,
    site_id: String,
    username: String,
    password_hash: String,
    site_code: Option<String>,
}

/// Every site user query joins the site (for its account and public id) and the site's
/// cloud enablement (for its code).
const SITE_USER_SELECT: &str = "SELECT u.id, s.account_id, s.public_id AS site_id, u.username, \
     u.password_hash, c.site_code FROM site_users u JOIN sites s ON s.id = u.site_id \
     LEFT JOIN cloud_sites c ON c.site_id = u.site_id";

impl Store {
    /// Adds a user to one of the account's sites, in some of the account's groups.
    /// `SITE_NOT_FOUND` for another account's site, `GROUP_NOT_FOUND` for another account's
    /// group, `USERNAME_TAKEN` when the site already has the name.
    pub async fn create_site_user(
        &self,
        account_id: i64,
        user: &NewSiteUser<'_>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<i64> {
        let NewSiteUser {
            site_id,
            username,
            password_hash,
            groups,
        } = *user;
        Ok(in_tx!(self, tx => {
            let site: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM sites WHERE public_id = $1 AND account_id = $2",
            )
            .bind(site_id)
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
            let site = site.ok_or(StoreError::NotFound("site"))?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO site_users (site_id, username, password_hash, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(site)
            .bind(username)
            .bind(password_hash)
            .bind(to_micros(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from)
            .map_err(duplicate_as("USERNAME_TAKEN"))?;
            for group in groups {
                join_group!(tx, account_id, *group, GroupMember::SiteUser(id));
            }
            audit!(tx, now, actor, "site_user.created", "site", site_id, Some(username.to_owned()));
            id
        }))
    }

    /// The users of one of the account's sites, by name. `SITE_NOT_FOUND` for another
    /// account's site.
    pub async fn site_users(&self, account_id: i64, site_id: &str) -> Result<Vec<SiteUserRecord>> {
        let sql = format!(
            "{SITE_USER_SELECT} WHERE s.public_id = $1 AND s.account_id = $2 ORDER BY u.username"
        );
        let (site, rows, memberships): (Option<i64>, Vec<SiteUserRow>, Vec<(i64, i64)>) = on_db!(self, read, db => {
            let site = sqlx::query_scalar(
                "SELECT id FROM sites WHERE public_id = $1 AND account_id = $2",
            )
            .bind(site_id)
            .bind(account_id)
            .fetch_optional(db)
            .await?;
            let rows = sqlx::query_as(&sql)
                .bind(site_id)
                .bind(account_id)
                .fetch_all(db)
                .await?;
            let memberships = sqlx::query_as(
                "SELECT g.site_user_id, g.group_id FROM site_user_groups g \
                 JOIN site_users u ON u.id = g.site_user_id JOIN sites s ON s.id = u.site_id \
                 WHERE s.public_id = $1 ORDER BY g.group_id",
            )
            .bind(site_id)
            .fetch_all(db)
            .await?;
            (site, rows, memberships)
        });
        site.ok_or(StoreError::NotFound("site"))?;
        Ok(rows
            .into_iter()
            .map(|r| with_groups(r, &memberships))
            .collect())
    }

    /// Removes a user of one of the account's sites; its sessions end with it.
    pub async fn delete_site_user(
        &self,
        account_id: i64,
        site_id: &str,
        id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        in_tx!(self, tx => {
            let username: Option<String> = sqlx::query_scalar(
                "DELETE FROM site_users WHERE id = $1 AND site_id = \
                 (SELECT id FROM sites WHERE public_id = $2 AND account_id = $3) \
                 RETURNING username",
            )
            .bind(id)
            .bind(site_id)
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
            let username = username.ok_or(StoreError::NotFound("user"))?;
            audit!(tx, now, actor, "site_user.deleted", "site", site_id, Some(username));
        });
        Ok(())
    }

    /// The user `username` of the site whose site code is `site_code` (already normalized),
    /// while that site is enabled for the cloud.
    pub async fn site_user_for_login(
        &self,
        site_code: &str,
        username: &str,
    ) -> Result<Option<SiteUserRecord>> {
        self.site_user_by(Key::Login {
            site_code,
            username,
        })
        .await
    }

    /// A site user with a live session, while the site is still enabled for the cloud.
    pub async fn site_user(&self, id: i64) -> Result<Option<SiteUserRecord>> {
        self.site_user_by(Key::Id(id)).await
    }

    async fn site_user_by(&self, key: Key<'_>) -> Result<Option<SiteUserRecord>> {
        let condition = match key {
            Key::Id(_) => "u.id = $1 AND c.site_code IS NOT NULL",
            Key::Login { .. } => "c.site_code = $1 AND u.username = $2",
        };
        let sql = format!("{SITE_USER_SELECT} WHERE {condition}");
        let found: Option<(SiteUserRow, Vec<(i64, i64)>)> = on_db!(self, read, db => {
            let q = sqlx::query_as::<_, SiteUserRow>(&sql);
            let q = match key {
                Key::Id(id) => q.bind(id),
                Key::Login { site_code, username } => q.bind(site_code).bind(username),
            };
            match q.fetch_optional(db).await? {
                Some(row) => {
                    let groups = sqlx::query_as(
                        "SELECT site_user_id, group_id FROM site_user_groups \
                         WHERE site_user_id = $1 ORDER BY group_id",
                    )
                    .bind(row.id)
                    .fetch_all(db)
                    .await?;
                    Some((row, groups))
                }
                None => None,
            }
        });
        Ok(found.map(|(row, groups)| with_groups(row, &groups)))
    }
}

/// How a site user is looked up for sign-in and for its sessions.
#[derive(Clone, Copy)]
enum Key<'a> {
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
    }
}
