//! Scheduled job runs' SQL, and the housekeeping deletes the jobs run.

use jiff::Timestamp;

use super::Pools;
use crate::jobs::{JobRunRow, RunFinish};
use crate::{Result, to_micros};

/// The attempt number when the claim was taken.
pub(crate) async fn claim_job_run(
    db: &Pools,
    job: &str,
    period: &str,
    holder: &str,
    now: Timestamp,
    lease_until: Timestamp,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO job_runs \
           (job, period, holder, lease_until, attempts, started_at, outcome) \
         VALUES ($1, $2, $3, $4, 1, $5, 'running') \
         ON CONFLICT (job, period) DO UPDATE SET \
           holder = excluded.holder, lease_until = excluded.lease_until, \
           attempts = job_runs.attempts + 1, started_at = excluded.started_at, \
           outcome = 'running' \
         WHERE job_runs.finished_at IS NULL AND job_runs.lease_until <= $5 \
         RETURNING attempts",
    )
    .bind(job)
    .bind(period)
    .bind(holder)
    .bind(to_micros(lease_until))
    .bind(to_micros(now))
    .fetch_optional(&mut *db.write().await?)
    .await?)
}

/// True when `holder` still held the run and its end was recorded.
pub(crate) async fn finish_job_run(
    db: &Pools,
    job: &str,
    period: &str,
    holder: &str,
    end: &RunFinish<'_>,
    prune_before: Option<Timestamp>,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let updated = sqlx::query(
        "UPDATE job_runs SET outcome = $1, detail = $2, finished_at = $3, \
           lease_until = $4 \
         WHERE job = $5 AND period = $6 AND holder = $7 AND finished_at IS NULL",
    )
    .bind(end.outcome)
    .bind(end.detail)
    .bind(end.finished)
    .bind(end.lease)
    .bind(job)
    .bind(period)
    .bind(holder)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if let Some(before) = prune_before {
        sqlx::query(
            "DELETE FROM job_runs WHERE job = $1 AND finished_at IS NOT NULL \
             AND started_at < $2 AND period <> $3",
        )
        .bind(job)
        .bind(to_micros(before))
        .bind(period)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(updated == 1)
}

pub(crate) async fn job_runs(db: &Pools, job: Option<&str>, limit: u32) -> Result<Vec<JobRunRow>> {
    Ok(sqlx::query_as::<_, JobRunRow>(
        "SELECT job, period, holder, attempts, started_at, finished_at, lease_until, \
           outcome, detail \
         FROM job_runs WHERE ($1 IS NULL OR job = $1) \
         ORDER BY started_at DESC, job LIMIT $2",
    )
    .bind(job)
    .bind(i64::from(limit))
    .fetch_all(db.read())
    .await?)
}

pub(crate) async fn purge_job_runs(db: &Pools, before: Timestamp) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM job_runs WHERE finished_at IS NOT NULL AND started_at < $1")
            .bind(to_micros(before))
            .execute(&mut *db.write().await?)
            .await?
            .rows_affected(),
    )
}

pub(crate) async fn purge_password_resets(db: &Pools, before: Timestamp) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
            .bind(to_micros(before))
            .execute(&mut *db.write().await?)
            .await?
            .rows_affected(),
    )
}
