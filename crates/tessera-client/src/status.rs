//! The answer to the host's one question: may I run, and with which edition, modules and
//! limits? Computed from memory in well under a microsecond.

use std::sync::Arc;

use jiff::Timestamp;

use crate::entitlement::Entitlement;
use crate::grace::Standing;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub standing: Standing,
    /// Lock after this instant without a successful validation; none when not activated.
    pub deadline: Option<Timestamp>,
    /// What the license grants; none when not activated.
    pub entitlement: Option<Arc<Entitlement>>,
    /// The local clock is behind a time already seen (set back): the rules use the later
    /// time; tell the user to fix the clock (D4).
    pub clock_set_back: bool,
    /// `UPDATE_REQUIRED` (X6): this program (`ClientConfig::product_version`) is below the
    /// product's minimum version, which it names; the host tells the user to update.
    pub update_required: Option<String>,
    /// A newer stable release for the edition than this program, which it names.
    pub update_available: Option<String>,
    /// This program is below the version the product needs to connect to the cloud, which
    /// it names: `activate_cloud` would be refused (`UPDATE_REQUIRED`) while the program
    /// runs on. None when not compared (no `ClientConfig::product_version`).
    pub cloud_update_required: Option<String>,
}

impl Status {
    pub(crate) fn not_activated() -> Self {
        Status {
            standing: Standing::NotActivated,
            deadline: None,
            entitlement: None,
            clock_set_back: false,
            update_required: None,
            update_available: None,
            cloud_update_required: None,
        }
    }

    /// May the product run now?
    pub fn may_run(&self) -> bool {
        self.standing.may_run()
    }

    /// Whole days until the lock, while the product may run.
    pub fn days_left(&self) -> Option<u32> {
        self.standing.days_left()
    }

    /// Whether the product may run with module `code`.
    pub fn has_module(&self, code: &str) -> bool {
        self.may_run()
            && self
                .entitlement
                .as_ref()
                .is_some_and(|e| e.modules.iter().any(|m| m == code))
    }

    /// The named limit of the size tier (`users`, `drivers`, …), while the product may run.
    pub fn limit(&self, name: &str) -> Option<u32> {
        self.entitlement
            .as_ref()
            .filter(|_| self.may_run())
            .and_then(|e| e.limits.get(name).copied())
    }

    /// The edition code, while the product may run.
    pub fn edition(&self) -> Option<&str> {
        self.entitlement
            .as_deref()
            .filter(|_| self.may_run())
            .map(|e| e.edition.as_str())
    }
}
