//! An account's users and groups, and the rights granted to groups (F5).

use jiff::Timestamp;
use tessera_core::Actor;

use crate::{Result, Store, StoreError, from_micros};

/// A user as the rules need it: whose it is, its name, (for sign-in) its hash, and since
/// when it is disabled (None while it may sign in).
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub account_id: i64,
    pub username: String,
    pub password_hash: String,
    pub disabled_at: Option<Timestamp>,
}

impl std::fmt::Debug for UserRecord {
    /// The password hash stays out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .field("username", &self.username)
            .field("disabled_at", &self.disabled_at)
            .finish_non_exhaustive()
    }
}

pub(crate) const USER_SELECT: &str =
    "SELECT id, account_id, username, password_hash, disabled_at FROM account_users";

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    account_id: i64,
    username: String,
    password_hash: String,
    disabled_at: Option<i64>,
}

impl TryFrom<UserRow> for UserRecord {
    type Error = StoreError;

    fn try_from(r: UserRow) -> Result<Self> {
        Ok(UserRecord {
            id: r.id,
            account_id: r.account_id,
            username: r.username,
            password_hash: r.password_hash,
            disabled_at: r.disabled_at.map(from_micros).transpose()?,
        })
    }
}

/// A user as the account's list shows it: its name and since when it is disabled (None
/// while it may sign in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub disabled_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserSummaryRow {
    pub id: i64,
    pub username: String,
    pub disabled_at: Option<i64>,
}

impl TryFrom<UserSummaryRow> for UserSummary {
    type Error = StoreError;

    fn try_from(r: UserSummaryRow) -> Result<Self> {
        Ok(UserSummary {
            id: r.id,
            username: r.username,
            disabled_at: r.disabled_at.map(from_micros).transpose()?,
        })
    }
}

impl Store {
    /// Adds a user to an account, in some of its groups (ids). `USERNAME_TAKEN` when any
    /// user has the name, `GROUP_NOT_FOUND` for another account's group.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, username = username)
    )]
    pub async fn create_user(
        &self,
        account_id: i64,
        username: &str,
        password_hash: &str,
        groups: &[i64],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<i64> {
        on_backend!(self, |db| sql::users::create_user(
            db,
            account_id,
            username,
            password_hash,
            groups,
            actor,
            now,
        ))
    }

    /// The account's users by name.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn users(&self, account_id: i64) -> Result<Vec<UserSummary>> {
        let rows = on_backend!(self, |db| sql::users::users(db, account_id))?;
        rows.into_iter().map(UserSummary::try_from).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = id))]
    pub async fn user(&self, id: i64) -> Result<Option<UserRecord>> {
        let row = on_backend!(self, |db| sql::users::user_where(db, "id = $1", id))?;
        row.map(UserRecord::try_from).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(username = username))]
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        let row = on_backend!(self, |db| sql::users::user_where(
            db,
            "username = $1",
            username.to_owned()
        ))?;
        row.map(UserRecord::try_from).transpose()
    }

    /// Creates a group of an account with these rights (by name). `GROUP_EXISTS`.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id, name = name))]
    pub async fn create_group(
        &self,
        account_id: i64,
        name: &str,
        rights: &[&str],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<i64> {
        on_backend!(self, |db| sql::users::create_group(
            db, account_id, name, rights, actor, now
        ))
    }

    /// Replaces the users of an account's group, and its site users unless `site_user_ids`
    /// is None; every one must be the account's own (`USER_NOT_FOUND` otherwise).
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, group_id = group_id)
    )]
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
        let detail = format!("users {user_ids:?}, site users {site_user_ids:?}");
        on_backend!(self, |db| sql::users::set_group_members(
            db, account_id, group_id, tables, members, detail, actor, now,
        ))
    }

    /// The account's groups by name, each with its rights and members.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn groups(&self, account_id: i64) -> Result<Vec<GroupRecord>> {
        let rows = on_backend!(self, |db| sql::users::groups(db, account_id))?;
        Ok(rows.into_groups())
    }

    /// Replaces the rights (by name) of an account's group; answers its name.
    /// `GROUP_NOT_FOUND` for another account's group.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, group_id = group_id)
    )]
    pub async fn set_group_rights(
        &self,
        account_id: i64,
        group_id: i64,
        rights: &[&str],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<String> {
        on_backend!(self, |db| sql::users::set_group_rights(
            db, account_id, group_id, rights, actor, now
        ))
    }

    /// Renames an account's group. `GROUP_NOT_FOUND` for another account's group,
    /// `GROUP_EXISTS` when the account has a group of that name.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, group_id = group_id, name = name)
    )]
    pub async fn rename_group(
        &self,
        account_id: i64,
        group_id: i64,
        name: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::users::rename_group(
            db, account_id, group_id, name, actor, now
        ))
    }

    /// Removes an account's group with its rights and memberships; its members keep the
    /// rights of their other groups. `GROUP_NOT_FOUND` for another account's group.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, group_id = group_id)
    )]
    pub async fn delete_group(
        &self,
        account_id: i64,
        group_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::users::delete_group(
            db, account_id, group_id, actor, now
        ))
    }

    /// Removes an account's user with its memberships; its sessions end with it.
    /// `USER_NOT_FOUND` for another account's user.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, user_id = user_id)
    )]
    pub async fn delete_user(
        &self,
        account_id: i64,
        user_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::users::delete_user(
            db, account_id, user_id, actor, now
        ))
    }

    /// Disables an account's user: it cannot sign in, and its sessions end in the same
    /// transaction. Disabling a disabled user changes nothing (it stays disabled since it
    /// was). `USER_NOT_FOUND` for another account's user.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, user_id = user_id)
    )]
    pub async fn disable_user(
        &self,
        account_id: i64,
        user_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<UserSummary> {
        let row = on_backend!(self, |db| sql::users::set_user_disabled(
            db, account_id, user_id, true, actor, now
        ))?;
        UserSummary::try_from(row)
    }

    /// Enables an account's user again: it signs in with its password as before. Enabling
    /// an enabled user changes nothing. `USER_NOT_FOUND` for another account's user.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, user_id = user_id)
    )]
    pub async fn enable_user(
        &self,
        account_id: i64,
        user_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<UserSummary> {
        let row = on_backend!(self, |db| sql::users::set_user_disabled(
            db, account_id, user_id, false, actor, now
        ))?;
        UserSummary::try_from(row)
    }

    /// The names of the rights a user or site user holds through its groups.
    #[tracing::instrument(level = "debug", skip_all, fields(?member))]
    pub async fn member_rights(&self, member: GroupMember) -> Result<Vec<String>> {
        on_backend!(self, |db| sql::users::member_rights(db, member))
    }
}

/// A group of an account as listed: its rights and members, each by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    pub id: i64,
    pub name: String,
    pub rights: Vec<String>,
    /// The account's users in the group: id and username.
    pub users: Vec<(i64, String)>,
    pub site_users: Vec<GroupSiteUser>,
}

/// A site user in a group: its id, its site's public id and its username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSiteUser {
    pub id: i64,
    pub site_id: String,
    pub username: String,
}

/// An account's groups as read: the groups, then (group id, …) rows of their rights, users
/// and site users, each sorted.
pub(crate) struct GroupRows {
    pub groups: Vec<(i64, String)>,
    pub rights: Vec<(i64, String)>,
    pub users: Vec<(i64, i64, String)>,
    pub site_users: Vec<(i64, i64, String, String)>,
}

impl GroupRows {
    fn into_groups(self) -> Vec<GroupRecord> {
        self.groups
            .into_iter()
            .map(|(id, name)| GroupRecord {
                rights: (self.rights.iter())
                    .filter(|r| r.0 == id)
                    .map(|(_, right)| right.clone())
                    .collect(),
                users: (self.users.iter())
                    .filter(|r| r.0 == id)
                    .map(|(_, user, username)| (*user, username.clone()))
                    .collect(),
                site_users: (self.site_users.iter())
                    .filter(|r| r.0 == id)
                    .map(|(_, user, site, username)| GroupSiteUser {
                        id: *user,
                        site_id: site.clone(),
                        username: username.clone(),
                    })
                    .collect(),
                id,
                name,
            })
            .collect()
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
