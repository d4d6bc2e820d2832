//! What the scheduled job does for subscriptions (E3–E4): starts the renewals paid early,
//! writes down expiries, and queues the reminders before and at expiry.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use tessera_core::subscription::Reminder;

use super::{SubscriptionRecord, SubscriptionRow};
use crate::{Result, Store, mails};

/// A reminder the job found due, with whom to tell.
#[derive(Debug, Clone)]
pub struct ReminderDue {
    pub subscription: SubscriptionRecord,
    pub kind: Reminder,
    /// The name people know the service by (its plan's).
    pub service_name: String,
    pub username: String,
    pub email: String,
    pub language: String,
}

/// A subscription expiring soon, with whom to tell.
#[derive(sqlx::FromRow)]
pub(crate) struct DueRow {
    service_name: String,
    username: String,
    email: String,
    language: String,
    #[sqlx(flatten)]
    sub: SubscriptionRow,
}

impl Store {
    /// Starts the renewals paid early whose term has begun: their plan and seats take over
    /// and the sites they do not keep are dropped (E3). Gives the subscriptions renewed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn apply_renewals(&self, now: Timestamp) -> Result<Vec<i64>> {
        on_backend!(self, |db| sql::subscriptions::expiry::apply_renewals(
            db, now
        ))
    }

    /// Writes down the expiry of every trial and term that ran out by `now`; their ids.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn expire_subscriptions(&self, now: Timestamp) -> Result<Vec<i64>> {
        on_backend!(self, |db| sql::subscriptions::expiry::expire_subscriptions(
            db, now
        ))
    }

    /// Queues each reminder due at `now` (30, 7, 1 days before expiry and on it) that was not
    /// sent for this expiry yet; the primary key on (subscription, expiry, kind) makes it
    /// once however many instances run this. The mails give dates as days in `zone`. The
    /// number queued.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send_reminders(&self, now: Timestamp, zone: &TimeZone) -> Result<u32> {
        let horizon = now + (30 * 24).hours();
        let oldest = now - (30 * 24).hours();
        let rows = on_backend!(self, |db| sql::subscriptions::expiry::expiring(
            db, horizon, oldest,
        ))?;
        let mut sent = 0;
        for row in rows {
            let subscription = SubscriptionRecord::try_from(row.sub)?;
            let Some(kind) = Reminder::due(subscription.expires_at, now) else {
                continue;
            };
            let due = ReminderDue {
                subscription,
                kind,
                service_name: row.service_name,
                username: row.username,
                email: row.email,
                language: row.language,
            };
            let message = mails::reminder(&due, zone);
            let queued = on_backend!(self, |db| sql::subscriptions::expiry::queue_reminder(
                db, &due, kind, &message, now,
            ))?;
            sent += u32::from(queued);
        }
        Ok(sent)
    }
}
