//! The time of each site's last successful validation, and how many validations each account
//! had (the overview's chart of validations per day), written in batches: validations only
//! touch memory, and a background task commits what gathered every [`FLUSH_EVERY`] in one
//! transaction, the counts to the day of the flush. A crash loses at most that much of these
//! figures (never an activation or any other change, which commit before they are answered).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;
use tessera_store::Store;

pub const FLUSH_EVERY: Duration = Duration::from_millis(250);

#[derive(Default)]
pub struct ValidationLog {
    pending: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    /// The latest validation of each site.
    latest: HashMap<i64, Timestamp>,
    /// Validations per account.
    counts: HashMap<i64, u64>,
}

impl ValidationLog {
    /// A successful validation of site `site_id` of account `account_id` at `at`.
    pub fn record(&self, site_id: i64, account_id: i64, at: Timestamp) {
        let mut pending = self.pending.lock().expect("validation log lock");
        let entry = pending.latest.entry(site_id).or_insert(at);
        if *entry < at {
            *entry = at;
        }
        *pending.counts.entry(account_id).or_default() += 1;
    }

    /// Commits what gathered, the counts to the day `now` is in `zone`. On failure the
    /// entries go back (newer times win; counts add up).
    pub async fn flush(
        &self,
        store: &Store,
        now: Timestamp,
        zone: &jiff::tz::TimeZone,
    ) -> tessera_store::Result<usize> {
        let Pending { latest, counts } = {
            let mut pending = self.pending.lock().expect("validation log lock");
            if pending.latest.is_empty() && pending.counts.is_empty() {
                return Ok(0);
            }
            std::mem::take(&mut *pending)
        };
        let latest: Vec<(i64, Timestamp)> = latest.into_iter().collect();
        let counts: Vec<(i64, u64)> = counts.into_iter().collect();
        let day = now.to_zoned(zone.clone()).date().to_string();
        match store.record_validations(&latest, &counts, &day).await {
            Ok(()) => Ok(latest.len()),
            Err(e) => {
                let mut pending = self.pending.lock().expect("validation log lock");
                for (site, at) in latest {
                    let entry = pending.latest.entry(site).or_insert(at);
                    if *entry < at {
                        *entry = at;
                    }
                }
                for (account, n) in counts {
                    *pending.counts.entry(account).or_default() += n;
                }
                Err(e)
            }
        }
    }
}

/// Flushes every [`FLUSH_EVERY`] until the process ends.
pub fn spawn_flusher(
    log: std::sync::Arc<ValidationLog>,
    store: Store,
    clock: std::sync::Arc<dyn tessera_core::Clock>,
    zone: jiff::tz::TimeZone,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = log.flush(&store, clock.now(), &zone).await {
                tracing::warn!(error = %e, "recording validation times failed; will retry");
            }
        }
    });
}
