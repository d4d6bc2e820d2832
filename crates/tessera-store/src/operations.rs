//! The operations log (I1, I2): one row per state-changing request, refused ones included
//! (who, what, when, which site, outcome, request id), kept for a number of days.

use jiff::{SignedDuration, Timestamp};

use crate::{Result, Store, from_micros, to_micros};

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
struct OperationRow {
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
    pub outcome: Option<String>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

/// Rows deleted per statement while purging, so a large purge never holds a long lock.
const PURGE_BATCH: i64 = 5000;

impl Store {
    pub async fn record_operation(&self, op: &NewOperation, now: Timestamp) -> Result<()> {
        on_db!(self, write, db => {
            sqlx::query(
                "INSERT INTO operations_log (at, account_id, actor, operation, site_id, status, \
                   outcome, code, request_id, ip) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(to_micros(now))
            .bind(op.account_id)
            .bind(&op.actor)
            .bind(&op.operation)
            .bind(&op.site_id)
            .bind(i64::from(op.status))
            .bind(op.outcome)
            .bind(&op.code)
            .bind(&op.request_id)
            .bind(&op.ip)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Operations matching `filter`, newest first, with ids below `before`.
    pub async fn operations(
        &self,
        filter: &OperationFilter,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<OperationRecord>> {
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, OperationRow>(
                "SELECT id, at, account_id, actor, operation, site_id, status, outcome, code, \
                   request_id, ip FROM operations_log \
                 WHERE ($1 IS NULL OR account_id = $1) AND ($2 IS NULL OR site_id = $2) \
                   AND ($3 IS NULL OR actor = $3) AND ($4 IS NULL OR outcome = $4) \
                   AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6) \
                   AND ($7 IS NULL OR id < $7) \
                 ORDER BY id DESC LIMIT $8",
            )
            .bind(filter.account_id)
            .bind(&filter.site_id)
            .bind(&filter.actor)
            .bind(&filter.outcome)
            .bind(filter.from.map(to_micros))
            .bind(filter.until.map(to_micros))
            .bind(before)
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Deletes what is older than its retention at `now`: the account's own number of days
    /// where set, else `default_days`. Works in batches. Returns how many rows went.
    pub async fn purge_operations(&self, now: Timestamp, default_days: u32) -> Result<u64> {
        let day = SignedDuration::from_hours(24).as_micros() as i64;
        let mut total = 0;
        loop {
            let n = on_db!(self, write, db => {
                sqlx::query(
                    "DELETE FROM operations_log WHERE id IN ( \
                       SELECT o.id FROM operations_log o \
                       LEFT JOIN accounts a ON a.id = o.account_id \
                       WHERE o.at < $1 - COALESCE(a.log_retention_days, $2) * $3 \
                       LIMIT $4)",
                )
                .bind(to_micros(now))
                .bind(i64::from(default_days))
                .bind(day)
                .bind(PURGE_BATCH)
                .execute(db)
                .await?
                .rows_affected()
            });
            total += n;
            if n < PURGE_BATCH as u64 {
                return Ok(total);
            }
        }
    }

    /// Sets (or with None clears) an account's own retention of the operations log.
    pub async fn set_log_retention(&self, account_id: i64, days: Option<u32>) -> Result<()> {
        let updated = on_db!(self, write, db => {
            sqlx::query("UPDATE accounts SET log_retention_days = $1 WHERE id = $2")
                .bind(days.map(i64::from))
                .bind(account_id)
                .execute(db)
                .await?
                .rows_affected()
        });
        if updated == 0 {
            return Err(crate::StoreError::NotFound("account"));
        }
        Ok(())
    }
}
