//! Daily figures per account for the overview's charts (H3): validations per day, counted
//! as the validation times are written, and sites per licence state, snapshot by the
//! hourly `stats` job. Days are calendar days (`YYYY-MM-DD`) in the jobs' time zone.

use crate::{Result, Store};

/// One figure of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyCount {
    pub day: String,
    pub metric: String,
    pub value: i64,
}

/// The metric of validations per day.
pub const VALIDATIONS: &str = "validations";

/// The metric of sites in `state` (`sites.active`, …).
pub fn sites_in(state: &str) -> String {
    format!("sites.{state}")
}

impl Store {
    /// Writes each account's sites per licence state as the figures of `day` (replacing
    /// what an earlier run of the same day wrote). Gives how many rows were written.
    #[tracing::instrument(level = "debug", skip_all, fields(day = day))]
    pub async fn snapshot_site_states(&self, day: &str) -> Result<u64> {
        on_backend!(self, |db| sql::stats::snapshot_site_states(db, day))
    }

    /// The account's daily figures from `from_day` on, by metric and day.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn daily_counts(&self, account_id: i64, from_day: &str) -> Result<Vec<DailyCount>> {
        on_backend!(self, |db| sql::stats::daily_counts(
            db, account_id, from_day
        ))
    }
}
