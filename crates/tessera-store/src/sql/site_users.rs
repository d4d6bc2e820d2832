//! Site users' SQL.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use super::users::join_group;
use crate::error::duplicate_as;
use crate::site_users::{NewSiteUser, SITE_USER_SELECT, SiteUserKey, SiteUserRow};
use crate::users::GroupMember;
use crate::{Result, StoreError, to_micros};

/// A site user with its groups (site user id, group id).
pub(crate) type WithGroups = (SiteUserRow, Vec<(i64, i64)>);

pub(crate) async fn create_site_user(
    db: &Pools,
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
    let mut tx = db.begin().await?;
    let site: Option<i64> =
        sqlx::query_scalar("SELECT id FROM sites WHERE public_id = $1 AND account_id = $2")
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
    .map_err(duplicate_as(ErrorCode::UsernameTaken))?;
    for group in groups {
        join_group(&mut tx, account_id, *group, GroupMember::SiteUser(id)).await?;
    }
    let detail = Some(username.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "site_user.created",
        "site",
        site_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The site's id (None if it is not the account's), its users by name, and their groups.
pub(crate) async fn site_users(
    db: &Pools,
    account_id: i64,
    site_id: &str,
) -> Result<(Option<i64>, Vec<SiteUserRow>, Vec<(i64, i64)>)> {
    let sql = format!(
        "{SITE_USER_SELECT} WHERE s.public_id = $1 AND s.account_id = $2 ORDER BY u.username"
    );
    let site = sqlx::query_scalar("SELECT id FROM sites WHERE public_id = $1 AND account_id = $2")
        .bind(site_id)
        .bind(account_id)
        .fetch_optional(db.read())
        .await?;
    let rows = sqlx::query_as(&sql)
        .bind(site_id)
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let memberships = sqlx::query_as(
        "SELECT g.site_user_id, g.group_id FROM site_user_groups g \
         JOIN site_users u ON u.id = g.site_user_id JOIN sites s ON s.id = u.site_id \
         WHERE s.public_id = $1 ORDER BY g.group_id",
    )
    .bind(site_id)
    .fetch_all(db.read())
    .await?;
    Ok((site, rows, memberships))
}

/// The users of all the account's sites by site and name, and their groups.
pub(crate) async fn account_site_users(
    db: &Pools,
    account_id: i64,
) -> Result<(Vec<SiteUserRow>, Vec<(i64, i64)>)> {
    let sql =
        format!("{SITE_USER_SELECT} WHERE s.account_id = $1 ORDER BY s.public_id, u.username");
    let rows = sqlx::query_as(&sql)
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let memberships = sqlx::query_as(
        "SELECT g.site_user_id, g.group_id FROM site_user_groups g \
         JOIN site_users u ON u.id = g.site_user_id JOIN sites s ON s.id = u.site_id \
         WHERE s.account_id = $1 ORDER BY g.group_id",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    Ok((rows, memberships))
}

pub(crate) async fn delete_site_user(
    db: &Pools,
    account_id: i64,
    site_id: &str,
    id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
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
    let action = "site_user.deleted";
    audit(&mut tx, now, actor, action, "site", site_id, Some(username)).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn site_user_by(db: &Pools, key: SiteUserKey<'_>) -> Result<Option<WithGroups>> {
    let condition = match key {
        SiteUserKey::Id(_) => "u.id = $1 AND c.site_code IS NOT NULL",
        SiteUserKey::Login { .. } => "c.site_code = $1 AND u.username = $2",
    };
    let sql = format!("{SITE_USER_SELECT} WHERE {condition}");
    let q = sqlx::query_as::<_, SiteUserRow>(&sql);
    let q = match key {
        SiteUserKey::Id(id) => q.bind(id),
        SiteUserKey::Login {
            site_code,
            username,
        } => q.bind(site_code).bind(username),
    };
    let Some(row) = q.fetch_optional(db.read()).await? else {
        return Ok(None);
    };
    let groups = sqlx::query_as(
        "SELECT site_user_id, group_id FROM site_user_groups \
         WHERE site_user_id = $1 ORDER BY group_id",
    )
    .bind(row.id)
    .fetch_all(db.read())
    .await?;
    Ok(Some((row, groups)))
}
