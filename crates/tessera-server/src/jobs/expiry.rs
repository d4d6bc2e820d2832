//! The hourly `expiry` job (E3–E4): starts the renewals paid early whose term has begun
//! (their seats and plan take over, the sites they do not keep are dropped), writes down the
//! expiry of trials and terms that ran out
//! (access is refused from the expiry instant on regardless: the state is computed on
//! read), then queues the reminders due, 30, 7 and 1 day before the expiry and on it.
//! Each reminder is queued once per subscription and expiry date, however many instances
//! run the job and however often it is retried.

use crate::state::AppState;

pub async fn run(state: &AppState) -> anyhow::Result<String> {
    let now = state.clock.now();
    let renewed = state.store.apply_renewals(now).await?;
    let expired = state.store.expire_subscriptions(now).await?;
    let reminders = state.store.send_reminders(now, &state.zone).await?;
    if !renewed.is_empty() || !expired.is_empty() || reminders > 0 {
        tracing::info!(
            renewed = renewed.len(),
            expired = expired.len(),
            reminders,
            "subscriptions renewed, expired or reminded"
        );
    }
    Ok(format!(
        "{} renewals started, {} subscriptions expired, {reminders} reminders queued",
        renewed.len(),
        expired.len()
    ))
}
