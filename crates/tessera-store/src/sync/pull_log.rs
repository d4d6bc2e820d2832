//! How far each site pulled, and when (G5's status), written in batches: a pull only notes it
//! in memory, and [`Store::flush_pulls`] commits what gathered in one statement — every
//! [`PULL_FLUSH_EVERY`] from a background task, and before this instance reads a sync status,
//! so its own answers never lag behind its own pulls. A pull is a read: committing a write for
//! each one (500 sites pulling each second are 500 commits a second) cost more than the
//! pulls. A crash loses at most that much of these figures; the next pull notes them again.
//! Another instance's status may be that much behind.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;

use crate::{Result, Store};

/// How often the pulls noted are committed.
pub(crate) const PULL_FLUSH_EVERY: Duration = Duration::from_millis(250);

/// One site's latest pull: its account, the cursor it reached, when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pulled {
    pub account_id: i64,
    pub cursor: i64,
    pub at: Timestamp,
}

#[derive(Debug, Default)]
pub(crate) struct PullLog {
    pending: Mutex<HashMap<String, Pulled>>,
    /// Held by a flush from taking the pulls until they are committed, so a status read's
    /// flush waits for the background one in flight instead of finding nothing to commit
    /// and reading the figures from before it.
    flushing: tokio::sync::Mutex<()>,
}

impl PullLog {
    /// Notes a pull; of two pulls of one site the later one counts.
    pub(crate) fn record(&self, site_id: &str, pulled: Pulled) {
        let mut pending = self.pending.lock().expect("pull log lock");
        match pending.get_mut(site_id) {
            Some(earlier) if earlier.at > pulled.at => {}
            Some(earlier) => *earlier = pulled,
            None => {
                pending.insert(site_id.to_owned(), pulled);
            }
        }
    }

    fn take(&self) -> Vec<(String, Pulled)> {
        let mut pending = self.pending.lock().expect("pull log lock");
        pending.drain().collect()
    }
}

impl Store {
    /// Commits the pulls noted since the last flush (one statement); how many sites. On
    /// failure they are dropped, not retried: each site's next pull notes its place again.
    pub async fn flush_pulls(&self) -> Result<usize> {
        let _flushing = self.pulls.flushing.lock().await;
        let pulls = self.pulls.take();
        if pulls.is_empty() {
            return Ok(0);
        }
        let count = pulls.len();
        on_backend!(self, |db| db.isolated(|db| async move {
            sql::sync::read::record_pulls(&db, &pulls).await
        }))?;
        Ok(count)
    }

    /// Flushes the pulls every [`PULL_FLUSH_EVERY`] until the process ends.
    pub fn spawn_pull_flusher(&self) {
        let store = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(PULL_FLUSH_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = store.flush_pulls().await {
                    tracing::warn!(error = %e, "recording how far sites pulled failed");
                }
            }
        });
    }
}
