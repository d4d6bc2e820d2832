//! The operations log (I1, I2): one row per state-changing request, refused ones included
//! (who, what, when, which site, outcome, request id), kept for a number of days.

pub(crate) mod group_commit;

use jiff::{SignedDuration, Timestamp};

use crate::{Result, Store, from_micros};

/// One operation to record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewOperation {
    pub account_id: Option<i64>,
    pub actor: String,
    pub operation: String,
    pub site_id: Option<String>,
    pub status: u16,
    pub outcome: &'static str,
    pub code: Option<String>,
    pub request_id: String,
    pub ip: Option<String>,
}

/// A recorded operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRecord {
    pub id: i64,
    pub at: Timestamp,
    pub account_id: Option<i64>,
    pub actor: String,
    pub operation: String,
    pub site_id: Option<String>,
    pub status: u16,
    pub outcome: String,
    pub code: Option<String>,
    pub request_id: String,
    pub ip: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OperationRow {
    id: i64,
    at: i64,
    account_id: Option<i64>,
    actor: String,
    operation: String,
    site_id: Option<String>,
    status: i64,
    outcome: String,
    code: Option<String>,
    request_id: String,
    ip: Option<String>,
}

impl TryFrom<OperationRow> for OperationRecord {
    type Error = crate::StoreError;
    fn try_from(r: OperationRow) -> Result<Self> {
        Ok(OperationRecord {
            id: r.id,
            at: from_micros(r.at)?,
            account_id: r.account_id,
            actor: r.actor,
            operation: r.operation,
            site_id: r.site_id,
            status: u16::try_from(r.status).unwrap_or(0),
            outcome: r.outcome,
            code: r.code,
            request_id: r.request_id,
            ip: r.ip,
        })
    }
}

/// Which operations a listing shows; every field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationFilter {
    pub account_id: Option<i64>,
    pub site_id: Option<String>,
    pub actor: Option<String>,
    /// Operations whose method and route hold this text, whatever the case.
    pub operation: Option<String>,
    pub outcome: Option<String>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

/// Rows deleted per statement while purging, so a large purge never holds a long lock.
const PURGE_BATCH: i64 = 5000;

impl Store {
    /// Operations matching `filter`, newest first, with ids below `before`.
    #[tracing::instrument(level = "debug", skip_all, fields(before = before, limit = limit))]
    pub async fn operations(
        &self,
        filter: &OperationFilter,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<OperationRecord>> {
        let rows = on_backend!(self, |db| sql::operations::operations(
            db, filter, before, limit
        ))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Deletes what is older than its retention at `now`: the account's own number of days
    /// where set, else `default_days`. Works in batches. Returns how many rows went.
    #[tracing::instrument(level = "debug", skip_all, fields(default_days = default_days))]
    pub async fn purge_operations(&self, now: Timestamp, default_days: u32) -> Result<u64> {
        let day = SignedDuration::from_hours(24).as_micros() as i64;
        let mut total = 0;
        loop {
            let n = on_backend!(self, |db| sql::operations::purge_operations_batch(
                db,
                now,
                default_days,
                day,
                PURGE_BATCH,
            ))?;
            total += n;
            if n < PURGE_BATCH as u64 {
                return Ok(total);
            }
        }
    }

    /// Sets (or with None clears) an account's own retention of the operations log.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id, days = days))]
    pub async fn set_log_retention(&self, account_id: i64, days: Option<u32>) -> Result<()> {
        let updated = on_backend!(self, |db| sql::operations::set_log_retention(
            db, account_id, days
        ))?;
        if updated == 0 {
            return Err(crate::StoreError::NotFound("account"));
        }
        Ok(())
    }
}
