//! Rights (F5): granted to an account's user groups. The account's superadmin holds them all;
//! a user holds those of its groups. A route that needs a right refuses without it, naming it.

use std::fmt;

/// One right, by its stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Right {
    /// Show the operations tab of the site sheet (the operations log).
    ShowOperations,
    /// Approve actions with follow-up costs (switching a paid service on or off).
    ApproveCosts,
    /// Edit a site's technician and equipment.
    EditTechnical,
    /// See the invoice lines.
    ViewInvoices,
    /// Add keys to the account and release installations from their machines.
    ManageSites,
    /// Create users and groups, and grant rights.
    ManageUsers,
}

impl Right {
    pub const ALL: [Right; 6] = [
        Right::ShowOperations,
        Right::ApproveCosts,
        Right::EditTechnical,
        Right::ViewInvoices,
        Right::ManageSites,
        Right::ManageUsers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Right::ShowOperations => "sites.operations.view",
            Right::ApproveCosts => "actions.costly.approve",
            Right::EditTechnical => "sites.technical.edit",
            Right::ViewInvoices => "invoices.view",
            Right::ManageSites => "sites.manage",
            Right::ManageUsers => "users.manage",
        }
    }

    pub fn parse(name: &str) -> Option<Right> {
        Right::ALL.into_iter().find(|r| r.name() == name.trim())
    }
}

impl fmt::Display for Right {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stable_and_parse_back() {
        for r in Right::ALL {
            assert_eq!(Right::parse(r.name()), Some(r));
        }
        assert_eq!(Right::ApproveCosts.name(), "actions.costly.approve");
        assert_eq!(Right::parse("sites.delete"), None);
    }
}
