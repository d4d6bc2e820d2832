//! The daily `purge` job: the operations log past its retention (I2), expired sessions and
//! reset codes, the job history older than 90 days, the answers kept for sync batches
//! older than `sync_batch_days`, and webhook deliveries done 30 days ago with their events.

use jiff::SignedDuration;
use tessera_core::Period;
use tessera_store::SessionKind;

use crate::state::AppState;

/// How long finished job runs stay in the history.
const JOB_HISTORY: SignedDuration = SignedDuration::from_hours(90 * 24);

/// How long webhook deliveries made or given up (and their events) are kept to be read
/// and sent again by hand.
const WEBHOOK_HISTORY: SignedDuration = SignedDuration::from_hours(30 * 24);

pub async fn run(state: &AppState, _period: &Period) -> anyhow::Result<String> {
    let now = state.clock.now();
    let store = &state.store;
    let mut sessions = 0;
    for kind in SessionKind::ALL {
        sessions += store.purge_expired_sessions(kind, now).await?;
    }
    let resets = store.purge_password_resets(now).await?;
    let runs = store.purge_job_runs(now - JOB_HISTORY).await?;
    let operations = store
        .purge_operations(now, state.config.operations_log_days)
        .await?;
    let kept_for = SignedDuration::from_hours(24 * i64::from(state.config.sync_batch_days));
    let batches = store.purge_sync_batches(now - kept_for).await?;
    let events = store.purge_webhooks(now - WEBHOOK_HISTORY).await?;
    Ok(format!(
        "{operations} operations, {sessions} sessions, {resets} reset codes, {runs} job runs, \
         {batches} sync batch answers, {events} webhook events removed"
    ))
}
