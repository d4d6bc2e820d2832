//! The time of each site's last successful validation, written in batches: validations only
//! touch memory, and a background task commits what gathered every
//! [`FLUSH_EVERY`] in one transaction. A crash loses at most that much of these timestamps
//! (never an activation or any other change, which commit before they are answered).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;
use tessera_store::Store;

pub const FLUSH_EVERY: Duration = Duration::from_millis(250);

#[derive(Default)]
pub struct ValidationLog {
    pending: Mutex<HashMap<i64, Timestamp>>,
}

impl ValidationLog {
    pub fn record(&self, site_id: i64, at: Timestamp) {
        let mut pending = self.pending.lock().expect("validation log lock");
        let entry = pending.entry(site_id).or_insert(at);
        if *entry < at {
            *entry = at;
        }
    }

    /// Commits what gathered. On failure the entries go back, unless newer ones arrived.
    pub async fn flush(&self, store: &Store) -> tessera_store::Result<usize> {
        let batch: Vec<(i64, Timestamp)> = {
            let mut pending = self.pending.lock().expect("validation log lock");
            if pending.is_empty() {
                return Ok(0);
            }
            pending.drain().collect()
        };
        match store.record_validations(&batch).await {
            Ok(()) => Ok(batch.len()),
            Err(e) => {
                for (site, at) in batch {
                    self.record(site, at);
                }
                Err(e)
            }
        }
    }
}

/// Flushes every [`FLUSH_EVERY`] until the process ends.
pub fn spawn_flusher(log: std::sync::Arc<ValidationLog>, store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = log.flush(&store).await {
                tracing::warn!(error = %e, "recording validation times failed; will retry");
            }
        }
    });
}
