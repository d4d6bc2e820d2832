//! The free trial (E1): once per account and service, never after a purchase.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tessera_core::Actor;
use tessera_core::subscription::term;

use super::SubscriptionRecord;
use crate::{Result, Store, StoreError};

impl Store {
    /// Starts the free trial of `plan_code` (E1): once per account and service, never after
    /// a purchase. `TRIAL_USED`, `TRIAL_AFTER_PURCHASE`; the unique key on (account,
    /// service) keeps two simultaneous requests from both succeeding. The trial's mail (what,
    /// until which day in `zone`, how many sites) is queued with it.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, plan = plan_code)
    )]
    pub async fn start_trial(
        &self,
        account_id: i64,
        plan_code: &str,
        zone: &TimeZone,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SubscriptionRecord> {
        let plan = self.plan(plan_code).await?;
        let months = i32::try_from(plan.trial_months).unwrap_or(i32::MAX);
        let period = term(None, now, months, zone);
        on_backend!(self, |db| sql::subscriptions::trial::start_trial(
            db, account_id, &plan, period, zone, actor, now,
        ))?;
        self.subscription(account_id, &plan.service)
            .await?
            .ok_or(StoreError::NotFound("subscription"))
    }
}
