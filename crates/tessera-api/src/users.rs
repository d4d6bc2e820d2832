//! An account's users, groups and rights (F5).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct NewUser {
    #[schema(example = "tom.tech")]
    pub username: String,
    #[schema(min_length = 12)]
    pub password: String,
    /// Ids of the account's groups the user joins at once (their rights it holds).
    #[serde(default)]
    pub groups: Vec<i64>,
}

impl std::fmt::Debug for NewUser {
    /// The password never appears in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("groups", &self.groups)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    /// When the user was disabled (RFC 3339); null while it may sign in. A disabled user's
    /// sign-in is refused `403 USER_DISABLED` and its sessions ended as it was disabled.
    pub disabled_at: Option<String>,
}

/// The account's users, by name (their groups are in the groups' list).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserList {
    pub users: Vec<User>,
}

/// A group's new name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupName {
    #[schema(example = "station technicians")]
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewGroup {
    #[schema(example = "technicians")]
    pub name: String,
    /// Right names: `sites.operations.view`, `operations.view`, `actions.costly.approve`,
    /// `sites.technical.edit`, `invoices.view`, `sites.manage`, `users.manage`,
    /// `sync.conflicts.resolve`.
    #[schema(schema_with = crate::schemas::right_names)]
    pub rights: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub rights: Vec<String>,
}

/// A group's rights, replacing those it had.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupRights {
    /// Right names, as for a new group.
    #[schema(schema_with = crate::schemas::right_names)]
    pub rights: Vec<String>,
}

/// A group as listed: its rights and its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupDetails {
    pub id: i64,
    pub name: String,
    pub rights: Vec<String>,
    /// The account's users in the group, by name.
    pub users: Vec<GroupUser>,
    /// The users of the account's sites in the group (H1), by site and name.
    pub site_users: Vec<GroupSiteUser>,
}

/// A user in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupUser {
    pub id: i64,
    pub username: String,
}

/// A site user in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupSiteUser {
    pub id: i64,
    pub site_id: String,
    pub username: String,
}

/// The account's groups, by name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupList {
    pub groups: Vec<GroupDetails>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupMembers {
    pub user_ids: Vec<i64>,
    /// Users of the account's sites (H1) in the group; when absent, the group's site users
    /// stay as they are.
    #[serde(default)]
    pub site_user_ids: Option<Vec<i64>>,
}

/// A web user's invitation used (H2): the code from the mail and the password to set.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct AcceptInvitation {
    #[schema(example = "K7M2P-QX9TR-4HW8D-ZC3NB")]
    pub code: String,
    #[schema(min_length = 12)]
    pub password: String,
}

impl std::fmt::Debug for AcceptInvitation {
    /// Neither the code nor the password appears in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcceptInvitation").finish_non_exhaustive()
    }
}

/// The site user an invitation was for, once its password is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InvitationAccepted {
    pub site_id: String,
    pub username: String,
}

/// A user of one site, who signs in with the site code (H1).
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct NewSiteUser {
    #[schema(example = "admin")]
    pub username: String,
    #[schema(min_length = 12)]
    pub password: String,
    /// Ids of the account's groups whose rights the user holds.
    #[serde(default)]
    pub groups: Vec<i64>,
}

impl std::fmt::Debug for NewSiteUser {
    /// The password never appears in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSiteUser")
            .field("username", &self.username)
            .field("groups", &self.groups)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SiteUser {
    pub id: i64,
    pub site_id: String,
    pub username: String,
    pub groups: Vec<i64>,
    /// Made from a synced record marked as a web user (H2), rather than in the portal.
    #[serde(default)]
    pub web_user: bool,
    /// A web user that has not used its invitation yet (and cannot sign in).
    #[serde(default)]
    pub invitation_pending: bool,
}

/// A web user's invitation mailed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvitationSent {
    /// The record's mail address, or the superadmin's when the record has none.
    pub mailed_to: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SiteUserList {
    pub users: Vec<SiteUser>,
}

/// Sign-in of a site user: the site code comes from the cloud enablement mail (E5).
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct SiteLoginRequest {
    #[schema(example = "admin")]
    pub username: String,
    pub password: String,
    /// With or without the dash, any case.
    #[schema(example = "K7PQ-M2XR")]
    pub site_code: String,
}

impl std::fmt::Debug for SiteLoginRequest {
    /// Neither the password nor the site code appears in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteLoginRequest")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// What the portal shows the one signed in: their rights, and the tabs and actions those
/// rights open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortalView {
    pub username: String,
    /// True for the account's superadmin.
    pub superadmin: bool,
    /// The one site a site user sees; null for the superadmin and account users.
    pub site_id: Option<String>,
    pub rights: Vec<String>,
    /// `sites`, `services` (the station sheet's operations tab, where services are switched),
    /// `operations` (the operations log), `invoices`, `users`.
    pub tabs: Vec<String>,
    /// `services.switch`, `technical.edit`, `keys.add`, `sites.deactivate`.
    pub actions: Vec<String>,
}
