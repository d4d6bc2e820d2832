//! The SQL of an account's users and groups.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;

use super::audit::audit;
use super::{Conn, Pools, row_lock};
use crate::error::duplicate_as;
use crate::users::{GroupMember, GroupRows, USER_SELECT, UserRow, UserSummaryRow};
use crate::{Result, StoreError, to_micros};

pub(crate) async fn create_user(
    db: &Pools,
    account_id: i64,
    username: &str,
    password_hash: &str,
    groups: &[i64],
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO account_users (account_id, username, password_hash, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(account_id)
    .bind(username)
    .bind(password_hash)
    .bind(to_micros(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as(ErrorCode::UsernameTaken))?;
    for group in groups {
        join_group(&mut tx, account_id, *group, GroupMember::User(id)).await?;
    }
    let detail = Some(username.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "user.created",
        "account",
        account_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The account's users by name.
pub(crate) async fn users(db: &Pools, account_id: i64) -> Result<Vec<UserSummaryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, username, disabled_at FROM account_users WHERE account_id = $1 \
         ORDER BY username",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?)
}

/// One user, by the column `condition` names.
pub(crate) async fn user_where<T>(db: &Pools, condition: &str, value: T) -> Result<Option<UserRow>>
where
    T: for<'q> sqlx::Encode<'q, super::Db> + sqlx::Type<super::Db> + Send,
{
    let sql = format!("{USER_SELECT} WHERE {condition}");
    Ok(sqlx::query_as(&sql)
        .bind(value)
        .fetch_optional(db.read())
        .await?)
}

pub(crate) async fn create_group(
    db: &Pools,
    account_id: i64,
    name: &str,
    rights: &[&str],
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO user_groups (account_id, name, created_at) VALUES ($1, $2, $3) \
         RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(to_micros(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as(ErrorCode::GroupExists))?;
    for right in rights {
        sqlx::query("INSERT INTO group_rights (group_id, name) VALUES ($1, $2)")
            .bind(id)
            .bind(right)
            .execute(&mut *tx)
            .await?;
    }
    let detail = Some(format!("{name}: {}", rights.join(", ")));
    audit(
        &mut tx,
        now,
        actor,
        "group.created",
        "account",
        account_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces the members of the group in `tables` with `members`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn set_group_members(
    db: &Pools,
    account_id: i64,
    group_id: i64,
    tables: &[&str],
    members: impl Iterator<Item = GroupMember>,
    detail: String,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    // The group first, as its removal and rights take it (no deadlock between them).
    let sql = format!(
        "SELECT account_id FROM user_groups WHERE id = $1{}",
        row_lock(" FOR KEY SHARE")
    );
    let owner: Option<i64> = sqlx::query_scalar(&sql)
        .bind(group_id)
        .fetch_optional(&mut *tx)
        .await?;
    if owner != Some(account_id) {
        return Err(StoreError::NotFound("group"));
    }
    for table in tables {
        sqlx::query(&format!("DELETE FROM {table} WHERE group_id = $1"))
            .bind(group_id)
            .execute(&mut *tx)
            .await?;
    }
    for member in members {
        join_group(&mut tx, account_id, group_id, member).await?;
    }
    let action = "group.members_set";
    audit(&mut tx, now, actor, action, "group", group_id, Some(detail)).await?;
    tx.commit().await?;
    Ok(())
}

/// The names of the rights a member holds through its groups.
pub(crate) async fn member_rights(db: &Pools, member: GroupMember) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT DISTINCT r.name FROM {} m JOIN group_rights r ON r.group_id = m.group_id \
         WHERE m.{} = $1 ORDER BY r.name",
        member.table(),
        member.column()
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(member.id())
        .fetch_all(db.read())
        .await?)
}

/// Inside a transaction: puts `member` into group `group`, both checked to be account
/// `account`'s own (`GROUP_NOT_FOUND`, `USER_NOT_FOUND` otherwise); being in it already is
/// fine.
pub(crate) async fn join_group(
    conn: &mut Conn,
    account: i64,
    group: i64,
    member: GroupMember,
) -> Result<()> {
    // Share-locked (PostgreSQL) against a removal of the group running meanwhile: that
    // waits for this join, or this finds the group gone.
    let sql = format!(
        "SELECT account_id FROM user_groups WHERE id = $1{}",
        row_lock(" FOR KEY SHARE")
    );
    let group_owner: Option<i64> = sqlx::query_scalar(&sql)
        .bind(group)
        .fetch_optional(&mut *conn)
        .await?;
    if group_owner != Some(account) {
        return Err(StoreError::NotFound("group"));
    }
    let member_owner: Option<i64> = sqlx::query_scalar(member.owner_sql())
        .bind(member.id())
        .fetch_optional(&mut *conn)
        .await?;
    if member_owner != Some(account) {
        return Err(StoreError::NotFound("user"));
    }
    sqlx::query(&format!(
        "INSERT INTO {} (group_id, {}) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        member.table(),
        member.column()
    ))
    .bind(group)
    .bind(member.id())
    .execute(conn)
    .await?;
    Ok(())
}

/// The account's groups by name, and their rights, users and site users.
pub(crate) async fn groups(db: &Pools, account_id: i64) -> Result<GroupRows> {
    let groups =
        sqlx::query_as("SELECT id, name FROM user_groups WHERE account_id = $1 ORDER BY name")
            .bind(account_id)
            .fetch_all(db.read())
            .await?;
    let rights = sqlx::query_as(
        "SELECT r.group_id, r.name FROM group_rights r \
         JOIN user_groups g ON g.id = r.group_id WHERE g.account_id = $1 ORDER BY r.name",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    let users = sqlx::query_as(
        "SELECT m.group_id, u.id, u.username FROM group_members m \
         JOIN account_users u ON u.id = m.user_id JOIN user_groups g ON g.id = m.group_id \
         WHERE g.account_id = $1 ORDER BY u.username",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    let site_users = sqlx::query_as(
        "SELECT m.group_id, u.id, s.public_id, u.username FROM site_user_groups m \
         JOIN site_users u ON u.id = m.site_user_id JOIN sites s ON s.id = u.site_id \
         JOIN user_groups g ON g.id = m.group_id \
         WHERE g.account_id = $1 ORDER BY s.public_id, u.username",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    Ok(GroupRows {
        groups,
        rights,
        users,
        site_users,
    })
}

/// Inside a transaction: the name of group `group` when it is account `account`'s own,
/// `GROUP_NOT_FOUND` otherwise; the row stays locked (PostgreSQL) until the transaction ends,
/// so a member joining meanwhile waits and then finds the group changed or gone.
async fn own_group(conn: &mut Conn, account: i64, group: i64) -> Result<String> {
    let sql = format!(
        "SELECT name FROM user_groups WHERE id = $1 AND account_id = $2{}",
        row_lock(" FOR UPDATE")
    );
    let name: Option<String> = sqlx::query_scalar(&sql)
        .bind(group)
        .bind(account)
        .fetch_optional(conn)
        .await?;
    name.ok_or(StoreError::NotFound("group"))
}

/// Replaces the rights of the account's group; answers its name.
pub(crate) async fn set_group_rights(
    db: &Pools,
    account_id: i64,
    group_id: i64,
    rights: &[&str],
    actor: &Actor,
    now: Timestamp,
) -> Result<String> {
    let mut tx = db.begin().await?;
    let name = own_group(&mut tx, account_id, group_id).await?;
    sqlx::query("DELETE FROM group_rights WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut *tx)
        .await?;
    for right in rights {
        sqlx::query("INSERT INTO group_rights (group_id, name) VALUES ($1, $2)")
            .bind(group_id)
            .bind(right)
            .execute(&mut *tx)
            .await?;
    }
    let detail = Some(format!("{name}: {}", rights.join(", ")));
    let action = "group.rights_set";
    audit(&mut tx, now, actor, action, "group", group_id, detail).await?;
    tx.commit().await?;
    Ok(name)
}

/// Renames the account's group.
pub(crate) async fn rename_group(
    db: &Pools,
    account_id: i64,
    group_id: i64,
    name: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = own_group(&mut tx, account_id, group_id).await?;
    sqlx::query("UPDATE user_groups SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(group_id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)
        .map_err(duplicate_as(ErrorCode::GroupExists))?;
    let detail = Some(format!("{before} → {name}"));
    let action = "group.renamed";
    audit(&mut tx, now, actor, action, "group", group_id, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the account's group, its rights and its memberships.
pub(crate) async fn delete_group(
    db: &Pools,
    account_id: i64,
    group_id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let name = own_group(&mut tx, account_id, group_id).await?;
    for table in [
        "group_rights",
        "group_members",
        "site_user_groups",
        "user_groups",
    ] {
        let column = if table == "user_groups" {
            "id"
        } else {
            "group_id"
        };
        sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
            .bind(group_id)
            .execute(&mut *tx)
            .await?;
    }
    let (action, detail) = ("group.deleted", Some(name));
    audit(&mut tx, now, actor, action, "account", account_id, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the account's user, its memberships and its sessions.
pub(crate) async fn delete_user(
    db: &Pools,
    account_id: i64,
    user_id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    // The account's groups first (in one order), as every change of memberships takes its
    // group first: a join running meanwhile ends before, or then finds the user gone.
    let sql = format!(
        "SELECT id FROM user_groups WHERE account_id = $1 ORDER BY id{}",
        row_lock(" FOR UPDATE")
    );
    let _groups: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(account_id)
        .fetch_all(&mut *tx)
        .await?;
    // Then the user, as disabling it takes it first: one of the two waits for the other
    // before touching its sessions (no deadlock), and disabling then finds it gone.
    let sql = format!(
        "SELECT username FROM account_users WHERE id = $1 AND account_id = $2{}",
        row_lock(" FOR UPDATE")
    );
    let username: Option<String> = sqlx::query_scalar(&sql)
        .bind(user_id)
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?;
    let username = username.ok_or(StoreError::NotFound("user"))?;
    for (table, column) in [
        ("group_members", "user_id"),
        ("user_sessions", "user_id"),
        ("account_users", "id"),
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let (action, detail) = ("user.deleted", Some(username));
    audit(&mut tx, now, actor, action, "account", account_id, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (`disabled`) or enables the account's user; disabling ends its sessions with
/// it. A user already so is left as it is, without an audit row; its sessions are ended
/// all the same (none should be left). Answers the user as it now is.
pub(crate) async fn set_user_disabled(
    db: &Pools,
    account_id: i64,
    user_id: i64,
    disabled: bool,
    actor: &Actor,
    now: Timestamp,
) -> Result<UserSummaryRow> {
    let mut tx = db.begin().await?;
    // The user's row first (PostgreSQL), as its removal takes it before its sessions: two
    // changes of one user, or a change and the removal, take turns.
    let sql = format!(
        "SELECT id, username, disabled_at FROM account_users WHERE id = $1 AND account_id = $2{}",
        row_lock(" FOR UPDATE")
    );
    let user: Option<UserSummaryRow> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?;
    let mut user = user.ok_or(StoreError::NotFound("user"))?;
    if disabled {
        sqlx::query("DELETE FROM user_sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    if user.disabled_at.is_some() != disabled {
        user.disabled_at = disabled.then(|| to_micros(now));
        sqlx::query("UPDATE account_users SET disabled_at = $1 WHERE id = $2")
            .bind(user.disabled_at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let action = if disabled {
            "user.disabled"
        } else {
            "user.enabled"
        };
        let detail = Some(user.username.clone());
        audit(&mut tx, now, actor, action, "account", account_id, detail).await?;
    }
    tx.commit().await?;
    Ok(user)
}
