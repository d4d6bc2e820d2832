//! Rights (F5): granted to an account's user groups. The account's superadmin holds them all;
//! a user holds those of its groups. A route that needs a right refuses without it, naming it.
//!
//! Seed 001's two rights are [`Right::OperationsTab`] ("activates the tab 'Betriebsführung'
//! on the station data sheet": the tab where a station's services are switched) and
//! [`Right::ApproveCosts`]; switching a service needs both. The operations log has its own
//! right, [`Right::ViewOperationsLog`].

use std::fmt;

/// One right, by its stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Right {
    /// Show the operations-management tab of the station data sheet (seed 001's
    /// "Betriebsführung"): the site's services, where they are switched.
    OperationsTab,
    /// Read the operations log (I1) and its export.
    ViewOperationsLog,
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
    /// Settle the cloud sync's conflicts (G3): keep the cloud's side, the site's, or edit.
    ResolveSyncConflicts,
}

impl Right {
    pub const ALL: [Right; 8] = [
        Right::OperationsTab,
        Right::ViewOperationsLog,
        Right::ApproveCosts,
        Right::EditTechnical,
        Right::ViewInvoices,
        Right::ManageSites,
        Right::ManageUsers,
        Right::ResolveSyncConflicts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            // The wire name of the tab's right from before the log had its own: groups that
            // held it were given `operations.view` too (migration 0013), so they kept the log.
            Right::OperationsTab => "sites.operations.view",
            Right::ViewOperationsLog => "operations.view",
            Right::ApproveCosts => "actions.costly.approve",
            Right::EditTechnical => "sites.technical.edit",
            Right::ViewInvoices => "invoices.view",
            Right::ManageSites => "sites.manage",
            Right::ManageUsers => "users.manage",
            Right::ResolveSyncConflicts => "sync.conflicts.resolve",
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
        assert_eq!(Right::OperationsTab.name(), "sites.operations.view");
        assert_eq!(Right::ViewOperationsLog.name(), "operations.view");
        assert_eq!(Right::parse("sites.delete"), None);
    }
}
