//! Claims on scheduled job runs: each (job, period) runs once across every instance sharing
//! the database. A claim is a lease: if the holder dies, or the run failed and its retry is
//! due, another instance (or the same one) takes it over.

use jiff::Timestamp;

use crate::{Result, Store, from_micros, to_micros};

/// One run of a job as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunRecord {
    pub job: String,
    pub period: String,
    pub holder: String,
    pub attempts: u32,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub lease_until: Timestamp,
    /// `running`, `done` or `failed` (the last attempt's).
    pub outcome: String,
    pub detail: Option<String>,
}

#[derive(sqlx::FromRow)]
struct JobRunRow {
    job: String,
    period: String,
    holder: String,
    attempts: i64,
    started_at: i64,
    finished_at: Option<i64>,
    lease_until: i64,
    outcome: String,
    detail: Option<String>,
}

impl TryFrom<JobRunRow> for JobRunRecord {
    type Error = crate::StoreError;
    fn try_from(r: JobRunRow) -> Result<Self> {
        Ok(JobRunRecord {
            job: r.job,
            period: r.period,
            holder: r.holder,
            attempts: u32::try_from(r.attempts).unwrap_or(u32::MAX),
            started_at: from_micros(r.started_at)?,
            finished_at: r.finished_at.map(from_micros).transpose()?,
            lease_until: from_micros(r.lease_until)?,
            outcome: r.outcome,
            detail: r.detail,
        })
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    Done {
        detail: String,
    },
    /// Failed; may be retried in the same period from `retry_at`.
    Failed {
        error: String,
        retry_at: Timestamp,
    },
}

impl Store {
    /// Claims the run of `job` in `period` for `holder` until `lease_until`. Returns the
    /// attempt number (1 for the first) when the caller may run it; None when the run is done
    /// or another holder's lease is still good. One statement, so two instances asking at
    /// once get one claim.
    pub async fn claim_job_run(
        &self,
        job: &str,
        period: &str,
        holder: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<u32>> {
        let attempt: Option<i64> = on_db!(self, write, db => {
            sqlx::query_scalar(
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
            .fetch_optional(db)
            .await?
        });
        Ok(attempt.map(|a| u32::try_from(a).unwrap_or(u32::MAX)))
    }

    /// Records how `holder`'s run ended. False when the claim was lost meanwhile (the lease
    /// ran out and another instance took the run over): nothing is recorded then.
    /// `prune_before` deletes this job's finished runs of periods that started earlier (for
    /// jobs that run every few seconds, whose history would only grow).
    pub async fn finish_job_run(
        &self,
        job: &str,
        period: &str,
        holder: &str,
        now: Timestamp,
        end: &RunEnd,
        prune_before: Option<Timestamp>,
    ) -> Result<bool> {
        let (outcome, detail, finished, lease) = match end {
            RunEnd::Done { detail } => ("done", detail, Some(to_micros(now)), to_micros(now)),
            RunEnd::Failed { error, retry_at } => ("failed", error, None, to_micros(*retry_at)),
        };
        let recorded = in_tx!(self, tx => {
            let updated = sqlx::query(
                "UPDATE job_runs SET outcome = $1, detail = $2, finished_at = $3, \
                   lease_until = $4 \
                 WHERE job = $5 AND period = $6 AND holder = $7 AND finished_at IS NULL",
            )
            .bind(outcome)
            .bind(detail)
            .bind(finished)
            .bind(lease)
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
            updated == 1
        });
        Ok(recorded)
    }

    /// Recorded runs, newest first, optionally of one job.
    pub async fn job_runs(&self, job: Option<&str>, limit: u32) -> Result<Vec<JobRunRecord>> {
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, JobRunRow>(
                "SELECT job, period, holder, attempts, started_at, finished_at, lease_until, \
                   outcome, detail \
                 FROM job_runs WHERE ($1 IS NULL OR job = $1) \
                 ORDER BY started_at DESC, job LIMIT $2",
            )
            .bind(job)
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }
}

impl Store {
    /// Forgets finished runs of periods that started before `before`. Returns how many.
    pub async fn purge_job_runs(&self, before: Timestamp) -> Result<u64> {
        let n = on_db!(self, write, db => {
            sqlx::query("DELETE FROM job_runs WHERE finished_at IS NOT NULL AND started_at < $1")
                .bind(to_micros(before))
                .execute(db)
                .await?
                .rows_affected()
        });
        Ok(n)
    }

    /// Forgets password-reset codes that expired before `before`. Returns how many.
    pub async fn purge_password_resets(&self, before: Timestamp) -> Result<u64> {
        let n = on_db!(self, write, db => {
            sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
                .bind(to_micros(before))
                .execute(db)
                .await?
                .rows_affected()
        });
        Ok(n)
    }
}
