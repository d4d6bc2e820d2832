//! Cloud-service subscriptions (E1, E3–E6), by idea: the record and its reading here; the
//! trial (`trial`); the sites enabled in a subscription with their codes (`enablement`); the
//! cloud access a site's client gets for them (`access`); the states operators set
//! (`state`); and what the scheduled job does at expiry (`expiry`). Their SQL is in
//! `src/sql/subscriptions/`.

pub(crate) mod access;
pub(crate) mod enablement;
pub(crate) mod expiry;
pub(crate) mod state;
pub(crate) mod trial;

use jiff::Timestamp;
use tessera_core::cloud::Bundle;
use tessera_core::subscription::SubscriptionState;

pub use access::CloudAccess;
pub use enablement::{CloudSiteRecord, IssuedCodes};
pub use expiry::ReminderDue;
pub use state::StateChange;

use crate::{Result, Store, StoreError, from_micros};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRecord {
    pub id: i64,
    pub account_id: i64,
    pub service: String,
    pub plan: String,
    /// As stored; see [`SubscriptionRecord::state_at`].
    pub state: SubscriptionState,
    pub seats: u32,
    /// Fixed by the first site enabled.
    pub bundle: Option<Bundle>,
    pub trial_started_at: Option<Timestamp>,
    /// The first purchase; None while only the trial ran.
    pub purchased_at: Option<Timestamp>,
    pub starts_at: Timestamp,
    pub expires_at: Timestamp,
    /// When a renewal paid early starts (its seats, plan and kept sites wait until then).
    pub pending_renewal: Option<Timestamp>,
    /// Why an operator last set the state, as they wrote it (shown to the customer).
    pub state_note: Option<String>,
}

impl SubscriptionRecord {
    pub fn state_at(&self, now: Timestamp) -> SubscriptionState {
        self.state.effective(self.expires_at, now)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SubscriptionRow {
    id: i64,
    account_id: i64,
    service: String,
    plan: String,
    state: String,
    seats: i64,
    edition: Option<String>,
    size: Option<String>,
    trial_started_at: Option<i64>,
    purchased_at: Option<i64>,
    starts_at: i64,
    expires_at: i64,
    next_starts_at: Option<i64>,
    state_note: Option<String>,
}

/// The columns of a [`SubscriptionRow`], of `s` (the subscription) and the tables
/// [`subscription_joins!`] joins to it.
macro_rules! subscription_columns {
    () => {
        "s.id, s.account_id, s.service, l.code AS plan, s.state, s.seats, e.code AS edition, \
         z.code AS size, s.trial_started_at, s.purchased_at, s.starts_at, s.expires_at, \
         s.next_starts_at, s.state_note"
    };
}
/// The plan, edition and size of the subscription `s`.
macro_rules! subscription_joins {
    () => {
        "JOIN plans l ON l.id = s.plan_id \
         LEFT JOIN editions e ON e.id = s.edition_id LEFT JOIN sizes z ON z.id = s.size_id"
    };
}
pub(crate) use {subscription_columns, subscription_joins};

pub(crate) const SUBSCRIPTION_SELECT: &str = concat!(
    "SELECT ",
    subscription_columns!(),
    " FROM subscriptions s ",
    subscription_joins!()
);

impl TryFrom<SubscriptionRow> for SubscriptionRecord {
    type Error = StoreError;
    fn try_from(r: SubscriptionRow) -> Result<Self> {
        Ok(SubscriptionRecord {
            id: r.id,
            account_id: r.account_id,
            service: r.service,
            plan: r.plan,
            state: r.state.parse().map_err(StoreError::Corrupt)?,
            seats: u32::try_from(r.seats)
                .map_err(|_| StoreError::Corrupt(format!("seats {}", r.seats)))?,
            bundle: match (r.edition, r.size) {
                (Some(edition), Some(size)) => Some(Bundle { edition, size }),
                _ => None,
            },
            trial_started_at: r.trial_started_at.map(from_micros).transpose()?,
            purchased_at: r.purchased_at.map(from_micros).transpose()?,
            starts_at: from_micros(r.starts_at)?,
            expires_at: from_micros(r.expires_at)?,
            pending_renewal: r.next_starts_at.map(from_micros).transpose()?,
            state_note: r.state_note,
        })
    }
}

impl Store {
    /// The account's subscription to `service`, if it ever had one.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, service = service)
    )]
    pub async fn subscription(
        &self,
        account_id: i64,
        service: &str,
    ) -> Result<Option<SubscriptionRecord>> {
        let row = on_backend!(self, |db| sql::subscriptions::subscription(
            db, account_id, service
        ))?;
        row.map(TryFrom::try_from).transpose()
    }

    /// Subscriptions for operators, by id; one account's when given.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn subscriptions(&self, account_id: Option<i64>) -> Result<Vec<SubscriptionRecord>> {
        let rows = on_backend!(self, |db| sql::subscriptions::subscriptions(db, account_id))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }
}
