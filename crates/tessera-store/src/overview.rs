//! What the overview of all sites (H3) shows besides the sites themselves, read in a few
//! queries for the whole account (an account may have a thousand sites): the monthly
//! services on at each site, the subscription each cloud-enabled site is in, and payments
//! the provider took that could not be applied.

use jiff::Timestamp;

use crate::{Result, Store, to_micros};

/// The account's sites' extras, by site public id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountExtras {
    /// (site, service code) for every service on now.
    pub services_on: Vec<(String, String)>,
    /// (site, subscription id) for every cloud-enabled site.
    pub enabled: Vec<(String, i64)>,
    /// Payments for the account's orders kept unapplied since the given instant.
    pub refused_payments: i64,
}

impl Store {
    /// The extras of the account's sites; refused payments counted from `since`.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn account_extras(&self, account_id: i64, since: Timestamp) -> Result<AccountExtras> {
        on_backend!(self, |db| sql::overview::account_extras(
            db,
            account_id,
            to_micros(since)
        ))
    }
}
