//! Who did something: recorded with every change (A3, I1).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Vendor staff, by operator username.
    Operator(String),
    /// A customer's portal account (superadmin), by username.
    Account(String),
    /// One of an account's users (F5), by username.
    User(String),
    /// A user of one site (H1): names are unique per site only, so both are kept.
    SiteUser { site: String, username: String },
    /// The client software of an installation, by site id.
    Site(String),
    /// Tessera itself: start-up bootstrap, scheduled jobs.
    System,
}

impl fmt::Display for Actor {
    /// The form stored in the `actor` columns: `operator:admin`, `account:jack`,
    /// `siteuser:admin@<site id>`, `site:<id>`, `system`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Operator(name) => write!(f, "operator:{name}"),
            Actor::Account(name) => write!(f, "account:{name}"),
            Actor::User(name) => write!(f, "user:{name}"),
            Actor::SiteUser { site, username } => write!(f, "siteuser:{username}@{site}"),
            Actor::Site(id) => write!(f, "site:{id}"),
            Actor::System => f.write_str("system"),
        }
    }
}
