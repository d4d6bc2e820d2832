//! The hourly `expiry` job (E2–E4): starts the renewals paid early whose term has begun
//! (their seats and plan take over, the sites they do not keep are dropped), writes down the
//! expiry of trials and terms that ran out and of orders left unpaid past their deadline
//! (access is refused, and a late payment kept for a refund, from the deadline on
//! regardless: both are computed on read), then queues the reminders due, 30, 7 and 1 day
//! before the expiry and on it; and writes down each licence that ran out by its date (the
//! `site.expired` webhook event).
//! Each reminder is queued once per subscription and expiry date, however many instances
//! run the job and however often it is retried.

use crate::state::AppState;

pub async fn run(state: &AppState) -> anyhow::Result<String> {
    let now = state.clock.now();
    let renewed = state.store.apply_renewals(now).await?;
    let expired = state.store.expire_subscriptions(now).await?;
    let orders = state.store.expire_orders(now).await?;
    let reminders = state.store.send_reminders(now, &state.zone).await?;
    let licences = state.store.note_site_expiries(now).await?;
    if !licences.is_empty() {
        tracing::info!(licences = licences.len(), "licences ran out by their date");
    }
    if !renewed.is_empty() || !expired.is_empty() || !orders.is_empty() || reminders > 0 {
        tracing::info!(
            renewed = renewed.len(),
            expired = expired.len(),
            orders = orders.len(),
            reminders,
            "subscriptions renewed, expired or reminded; unpaid orders expired"
        );
    }
    Ok(format!(
        "{} renewals started, {} subscriptions expired, {} unpaid orders expired, \
         {reminders} reminders queued, {} licences ran out",
        renewed.len(),
        expired.len(),
        orders.len(),
        licences.len()
    ))
}
