//! An account's users and groups, and the rights granted to groups (F5).

use jiff::Timestamp;
use tessera_core::Actor;

use crate::audit::audit;
use crate::error::duplicate_as;
use crate::{Result, Store, StoreError, to_micros};

/// A user as the rules need it: whose it is, its name, and (for sign-in) its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub account_id: i64,
    pub username: String,
    pub password_hash: String,
}

impl std::fmt::Debug for UserRecord {
    /// The password hash stays out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

const USER_SELECT: &str = "SELECT id, account_id, username, password_hash FROM account_users";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    account_id: i64,
    username: String,
    password_hash: String,
}

impl From<UserRow> for UserRecord {
    fn from(r: UserRow) -> Self {
        UserRecord {
            id: r.id,
            account_id: r.account_id,
            username: r.username,
            password_hash: r.password_hash,
        }
    }
}

impl Store {
    /// Adds a user to an account. `USERNAME_TAKEN` when any user has the name.
    pub async fn create_user(
        &self,
        account_id: i64,
        username: &str,
        password_hash: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<i64> {
        Ok(in_tx!(self, tx => {
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
            .map_err(duplicate_as("USERNAME_TAKEN"))?;
            audit!(tx, now, actor, "user.created", "account", account_id, Some(username.to_owned()));
            id
        }))
    }

    pub async fn user(&self, id: i64) -> Result<Option<UserRecord>> {
        let sql = format!("{USER_SELECT} WHERE id = $1");
        let row: Option<UserRow> = on_db!(self, read, db => {
            sqlx::query_as(&sql).bind(id).fetch_optional(db).await?
        });
        Ok(row.map(UserRecord::from))
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        let sql = format!("{USER_SELECT} WHERE username = $1");
        let row: Option<UserRow> = on_db!(self, read, db => {
            sqlx::query_as(&sql).bind(username).fetch_optional(db).await?
        });
        Ok(row.map(UserRecord::from))
    }

    /// Creates a group of an account with these rights (by name). `GROUP_EXISTS`.
    pub async fn create_group(
        &self,
        account_id: i64,
        name: &str,
        rights: &[&str],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<i64> {
        Ok(in_tx!(self, tx => {
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
            .map_err(duplicate_as("GROUP_EXISTS"))?;
            for right in rights {
                sqlx::query("INSERT INTO group_rights (group_id, name) VALUES ($1, $2)")
                    .bind(id)
                    .bind(right)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(tx, now, actor, "group.created", "account", account_id, Some(format!("{name}: {}", rights.join(", "))));
            id
        }))
    }

    /// Replaces the users of an account's group, and its site users unless `site_user_ids`
    /// is None; every one must be the account's own (`USER_NOT_FOUND` otherwise).
    pub async fn set_group_members(
        &self,
        account_id: i64,
        group_id: i64,
        user_ids: &[i64],
        site_user_ids: Option<&[i64]>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let members = user_ids.iter().map(|id| GroupMember::User(*id)).chain(
            site_user_ids
                .unwrap_or_default()
                .iter()
                .map(|id| GroupMember::SiteUser(*id)),
        );
        let tables: &[&str] = match site_user_ids {
            Some(_) => &["group_members", "site_user_groups"],
            None => &["group_members"],
        };
        in_tx!(self, tx => {
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT account_id FROM user_groups WHERE id = $1")
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
            for member in members.clone() {
                join_group!(tx, account_id, group_id, member);
            }
            audit!(tx, now, actor, "group.members_set", "group", group_id,
                Some(format!("users {user_ids:?}, site users {site_user_ids:?}")));
        });
        Ok(())
    }

    /// The names of the rights a user or site user holds through its groups.
    pub async fn member_rights(&self, member: GroupMember) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT DISTINCT r.name FROM {} m JOIN group_rights r ON r.group_id = m.group_id \
             WHERE m.{} = $1 ORDER BY r.name",
            member.table(),
            member.column()
        );
        Ok(on_db!(self, read, db => {
            sqlx::query_scalar(&sql).bind(member.id()).fetch_all(db).await?
        }))
    }
}

/// Who can be in an account's groups: its users and the users of its sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupMember {
    User(i64),
    SiteUser(i64),
}

impl GroupMember {
    pub(crate) fn id(self) -> i64 {
        match self {
            GroupMember::User(id) | GroupMember::SiteUser(id) => id,
        }
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            GroupMember::User(_) => "group_members",
            GroupMember::SiteUser(_) => "site_user_groups",
        }
    }

    pub(crate) fn column(self) -> &'static str {
        match self {
            GroupMember::User(_) => "user_id",
            GroupMember::SiteUser(_) => "site_user_id",
        }
    }

    /// The account the member belongs to, by its id.
    pub(crate) fn owner_sql(self) -> &'static str {
        match self {
            GroupMember::User(_) => "SELECT account_id FROM account_users WHERE id = $1",
            GroupMember::SiteUser(_) => {
                "SELECT s.account_id FROM site_users u JOIN sites s ON s.id = u.site_id \
                 WHERE u.id = $1"
            }
        }
    }
}

/// Inside a transaction: puts `$member` into group `$group`, both checked to be account
/// `$account`'s own (`GROUP_NOT_FOUND`, `USER_NOT_FOUND` otherwise); being in it already is
/// fine.
macro_rules! join_group {
    ($tx:ident, $account:expr, $group:expr, $member:expr) => {{
        let member: crate::users::GroupMember = $member;
        let group: i64 = $group;
        let group_owner: Option<i64> =
            sqlx::query_scalar("SELECT account_id FROM user_groups WHERE id = $1")
                .bind(group)
                .fetch_optional(&mut *$tx)
                .await?;
        if group_owner != Some($account) {
            return Err(crate::StoreError::NotFound("group"));
        }
        let member_owner: Option<i64> = sqlx::query_scalar(member.owner_sql())
            .bind(member.id())
            .fetch_optional(&mut *$tx)
            .await?;
        if member_owner != Some($account) {
            return Err(crate::StoreError::NotFound("user"));
        }
        sqlx::query(&format!(
            "INSERT INTO {} (group_id, {}) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            member.table(),
            member.column()
        ))
        .bind(group)
        .bind(member.id())
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use join_group;
