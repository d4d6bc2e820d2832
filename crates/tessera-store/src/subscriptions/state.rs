//! The states operators set on a subscription (E4).

use jiff::Timestamp;
use tessera_core::Actor;

use super::SubscriptionRecord;
use crate::{Result, Store};

/// What an operator may set a subscription to (decided by
/// `tessera_core::subscription::change_state`).
pub use tessera_core::subscription::StateChange;

impl Store {
    /// An operator's change of a subscription's state (E4), with why (`note`, shown to the
    /// customer; None clears the last one). `SUBSCRIPTION_DELETED` once deleted; deleting
    /// releases its sites and their tokens.
    #[tracing::instrument(level = "debug", skip_all, fields(id = id, ?change))]
    pub async fn set_subscription_state(
        &self,
        id: i64,
        change: StateChange,
        note: Option<&str>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SubscriptionRecord> {
        let row = on_backend!(self, |db| {
            sql::subscriptions::state::set_subscription_state(db, id, change, note, actor, now)
        })?;
        row.try_into()
    }
}
