//! An account's users, groups and rights (F5).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct NewUser {
    #[schema(example = "tom.tech")]
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for NewUser {
    /// The password never appears in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewGroup {
    #[schema(example = "technicians")]
    pub name: String,
    /// Right names: `sites.operations.view`, `actions.costly.approve`, `sites.technical.edit`,
    /// `invoices.view`, `sites.manage`, `users.manage`.
    pub rights: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub rights: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupMembers {
    pub user_ids: Vec<i64>,
}

/// What the portal shows the one signed in: their rights, and the tabs and actions those
/// rights open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortalView {
    pub username: String,
    /// True for the account's superadmin.
    pub superadmin: bool,
    pub rights: Vec<String>,
    /// `sites`, `operations`, `invoices`, `users`.
    pub tabs: Vec<String>,
    /// `services.switch`, `technical.edit`, `keys.add`, `sites.deactivate`.
    pub actions: Vec<String>,
}
