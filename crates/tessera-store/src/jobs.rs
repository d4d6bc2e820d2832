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
pub(crate) struct JobRunRow {
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

/// How a run ended, as stored: outcome, detail, finished at, lease until (microseconds).
pub(crate) struct RunFinish<'a> {
    pub outcome: &'a str,
    pub detail: &'a str,
    pub finished: Option<i64>,
    pub lease: i64,
}

impl Store {
    /// Claims the run of `job` in `period` for `holder` until `lease_until`. Returns the
    /// attempt number (1 for the first) when the caller may run it; None when the run is done
    /// or another holder's lease is still good. One statement, so two instances asking at
    /// once get one claim.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(job = job, period = period, holder = holder)
    )]
    pub async fn claim_job_run(
        &self,
        job: &str,
        period: &str,
        holder: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<u32>> {
        let attempt = on_backend!(self, |db| sql::jobs::claim_job_run(
            db,
            job,
            period,
            holder,
            now,
            lease_until,
        ))?;
        Ok(attempt.map(|a| u32::try_from(a).unwrap_or(u32::MAX)))
    }

    /// Records how `holder`'s run ended. False when the claim was lost meanwhile (the lease
    /// ran out and another instance took the run over): nothing is recorded then.
    /// `prune_before` deletes this job's finished runs of periods that started earlier (for
    /// jobs that run every few seconds, whose history would only grow).
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(job = job, period = period, holder = holder)
    )]
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
        let end = RunFinish {
            outcome,
            detail,
            finished,
            lease,
        };
        on_backend!(self, |db| sql::jobs::finish_job_run(
            db,
            job,
            period,
            holder,
            &end,
            prune_before,
        ))
    }

    /// Recorded runs, newest first, optionally of one job.
    #[tracing::instrument(level = "debug", skip_all, fields(job = job, limit = limit))]
    pub async fn job_runs(&self, job: Option<&str>, limit: u32) -> Result<Vec<JobRunRecord>> {
        let rows = on_backend!(self, |db| sql::jobs::job_runs(db, job, limit))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Forgets finished runs of periods that started before `before`. Returns how many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn purge_job_runs(&self, before: Timestamp) -> Result<u64> {
        on_backend!(self, |db| sql::jobs::purge_job_runs(db, before))
    }

    /// Forgets password-reset codes that expired before `before`. Returns how many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn purge_password_resets(&self, before: Timestamp) -> Result<u64> {
        on_backend!(self, |db| sql::jobs::purge_password_resets(db, before))
    }
}
