//! The job runner: one mechanism for every scheduled job (mail delivery, purges, billing,
//! subscription expiry and reminders).
//!
//! Every instance ticks (`jobs.tick_ms`); on each tick it works out each job's current period
//! from the clock (settable in tests) and claims that run in the database. Only one claim per
//! (job, period) succeeds across all instances sharing the database, so a job runs once per
//! period however many instances there are. A claim is a lease: a run that fails is retried
//! in the same period after a backoff, and a run whose instance died is taken over when its
//! lease runs out. A run may take at most its lease; past it, it is abandoned as failed.

mod billing;
mod expiry;
mod mail;
mod purge;
mod stats;
mod webhooks;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use tessera_core::schedule::backoff;
use tessera_core::{Cadence, Period};
use tessera_store::RunEnd;

use crate::state::AppState;

/// The scheduled jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Delivers the outbox.
    Mail,
    /// Removes expired sessions, reset codes and old job history.
    Purge,
    /// Writes last month's invoice lines of the monthly services.
    Billing,
    /// Expires subscriptions and unpaid orders, and queues the reminders before and at
    /// expiry.
    Expiry,
    /// Writes today's figures of sites per licence state (the overview's chart).
    Stats,
    /// Fans events out to webhook endpoints and sends the deliveries due (X7).
    Webhooks,
}

/// When and how a job runs.
pub struct Spec {
    pub name: &'static str,
    pub cadence: Cadence,
    /// The longest a run may take before another instance may take it over.
    pub lease: SignedDuration,
    /// Runs so frequent that only the latest is worth keeping in the history.
    pub keep_latest_only: bool,
}

impl Job {
    pub const ALL: [Job; 6] = [
        Job::Mail,
        Job::Purge,
        Job::Billing,
        Job::Expiry,
        Job::Stats,
        Job::Webhooks,
    ];

    /// The job called `name` (`mail`, `purge`, `billing`, `expiry`, `stats`, `webhooks`).
    pub fn named(name: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|j| j.spec().name == name)
    }

    pub fn spec(self) -> Spec {
        match self {
            Job::Mail => Spec {
                name: "mail",
                cadence: Cadence::Every(SignedDuration::from_secs(10)),
                lease: SignedDuration::from_mins(5),
                keep_latest_only: true,
            },
            Job::Purge => Spec {
                name: "purge",
                cadence: Cadence::Daily(jiff::civil::time(3, 0, 0, 0)),
                lease: SignedDuration::from_mins(30),
                keep_latest_only: false,
            },
            Job::Billing => Spec {
                name: "billing",
                cadence: Cadence::Monthly {
                    day: 1,
                    at: jiff::civil::time(2, 0, 0, 0),
                },
                lease: SignedDuration::from_mins(30),
                keep_latest_only: false,
            },
            Job::Expiry => Spec {
                name: "expiry",
                cadence: Cadence::Every(SignedDuration::from_hours(1)),
                lease: SignedDuration::from_mins(15),
                keep_latest_only: true,
            },
            Job::Stats => Spec {
                name: "stats",
                cadence: Cadence::Every(SignedDuration::from_hours(1)),
                lease: SignedDuration::from_mins(15),
                keep_latest_only: true,
            },
            Job::Webhooks => Spec {
                name: "webhooks",
                cadence: Cadence::Every(SignedDuration::from_secs(5)),
                lease: SignedDuration::from_mins(10),
                keep_latest_only: true,
            },
        }
    }

    /// Does the work of one period; the text says what was done, for the history.
    async fn run(self, state: &AppState, period: &Period) -> anyhow::Result<String> {
        match self {
            Job::Mail => mail::deliver(state).await,
            Job::Purge => purge::run(state, period).await,
            Job::Billing => billing::run(state, period).await,
            Job::Expiry => expiry::run(state).await,
            Job::Stats => stats::run(state).await,
            Job::Webhooks => webhooks::run(state).await,
        }
    }
}

/// One instance's runner.
pub struct Runner {
    /// Names this instance in the claims.
    holder: String,
    zone: TimeZone,
    /// The period each job was last seen finished in, so a finished period costs no query.
    finished: Mutex<HashMap<&'static str, String>>,
}

impl Runner {
    pub fn new(zone: TimeZone) -> Runner {
        use rand::RngCore;
        Runner {
            holder: format!(
                "{}-{:08x}",
                std::process::id(),
                rand::rngs::OsRng.next_u32()
            ),
            zone,
            finished: Mutex::default(),
        }
    }

    fn seen_finished(&self, job: &'static str, period: &str) -> bool {
        self.finished
            .lock()
            .expect("not poisoned")
            .get(job)
            .is_some_and(|p| p == period)
    }

    fn mark_finished(&self, job: &'static str, period: &str) {
        self.finished
            .lock()
            .expect("not poisoned")
            .insert(job, period.to_owned());
    }

    /// Runs every job whose current period this instance can claim. Errors of the database
    /// are logged and retried on the next tick.
    pub async fn tick(&self, state: &AppState) {
        for job in Job::ALL {
            if let Err(e) = self.run_if_due(state, job).await {
                tracing::warn!(job = job.spec().name, error = %e, "job runner");
            }
        }
    }

    async fn run_if_due(&self, state: &AppState, job: Job) -> anyhow::Result<()> {
        let spec = job.spec();
        let now = state.clock.now();
        let period = spec.cadence.current(now, &self.zone);
        if self.seen_finished(spec.name, &period.key) {
            return Ok(());
        }
        let store = &state.store;
        let Some(attempt) = store
            .claim_job_run(spec.name, &period.key, &self.holder, now, now + spec.lease)
            .await?
        else {
            // Finished, or another holder's lease is good: remember only the first.
            let runs = store.job_runs(Some(spec.name), 1).await?;
            if runs
                .first()
                .is_some_and(|r| r.period == period.key && r.finished_at.is_some())
            {
                self.mark_finished(spec.name, &period.key);
            }
            return Ok(());
        };
        if self
            .execute(state, job, &period, &period.key, attempt)
            .await?
        {
            self.mark_finished(spec.name, &period.key);
        }
        Ok(())
    }

    /// Runs `job` now, outside its schedule, for an operator (after fixing the mail server,
    /// say): the work of the current period once more — every job's work may be repeated
    /// (mail not sent is sent, lines and reminders already written are not written twice;
    /// for mail, messages waiting for a retry are tried at once) —
    /// on record in the history as the period `<current>+now-<unix seconds>`, held by `who`.
    /// The run as recorded (done or failed); None when another run-now of this job took the
    /// same second.
    pub async fn run_now(
        state: &AppState,
        job: Job,
        who: &str,
    ) -> anyhow::Result<Option<tessera_store::JobRunRecord>> {
        let runner = Runner {
            holder: who.to_owned(),
            ..Runner::new(state.zone.clone())
        };
        let spec = job.spec();
        let now = state.clock.now();
        let period = spec.cadence.current(now, &runner.zone);
        let key = format!("{}+now-{}", period.key, now.as_second());
        let claimed = state
            .store
            .claim_job_run(spec.name, &key, &runner.holder, now, now + spec.lease)
            .await?;
        let Some(attempt) = claimed else {
            return Ok(None);
        };
        if job == Job::Mail {
            // Run now after fixing the mail server: what waits for a retry goes now.
            state.store.retry_mail_now(now).await?;
        }
        runner.execute(state, job, &period, &key, attempt).await?;
        let runs = state.store.job_runs(Some(spec.name), 10).await?;
        Ok(runs.into_iter().find(|r| r.period == key))
    }

    /// Does one claimed run of `job` for `period`, recorded under `key`; true when it
    /// succeeded and was recorded.
    async fn execute(
        &self,
        state: &AppState,
        job: Job,
        period: &Period,
        key: &str,
        attempt: u32,
    ) -> anyhow::Result<bool> {
        let spec = job.spec();
        let store = &state.store;
        let started = Instant::now();
        let lease = std::time::Duration::try_from(spec.lease).unwrap_or_default();
        let result = match tokio::time::timeout(lease, job.run(state, period)).await {
            Ok(result) => result,
            Err(_) => Err(anyhow::anyhow!("the run took longer than its lease")),
        };
        let elapsed = started.elapsed().as_secs_f64();
        let end_time = state.clock.now();
        let end = match &result {
            Ok(detail) => RunEnd::Done {
                detail: detail.clone(),
            },
            Err(e) => RunEnd::Failed {
                error: format!("{e:#}"),
                retry_at: end_time
                    + backoff(
                        attempt,
                        SignedDuration::from_mins(1),
                        SignedDuration::from_hours(1),
                    ),
            },
        };
        let outcome = if result.is_ok() { "done" } else { "failed" };
        metrics::counter!("tessera_job_runs_total", "job" => spec.name, "outcome" => outcome)
            .increment(1);
        metrics::histogram!("tessera_job_duration_seconds", "job" => spec.name).record(elapsed);
        match &result {
            // The frequent ones (mail every few seconds) would drown the log at info; they
            // say themselves when they did something.
            Ok(detail) if spec.keep_latest_only => {
                tracing::debug!(job = spec.name, period = %period, attempt, detail, "job done")
            }
            Ok(detail) => {
                tracing::info!(job = spec.name, period = %period, attempt, detail, "job done")
            }
            Err(e) => {
                metrics::counter!("tessera_job_failures_total", "job" => spec.name).increment(1);
                tracing::warn!(job = spec.name, period = %period, attempt, error = %e, "job failed");
            }
        }
        let prune = spec.keep_latest_only.then_some(period.starts);
        let recorded = store
            .finish_job_run(spec.name, key, &self.holder, end_time, &end, prune)
            .await?;
        if !recorded {
            tracing::warn!(job = spec.name, period = %period, "the run outlived its claim");
        }
        Ok(recorded && result.is_ok())
    }
}

/// Starts the runner: a tick every `jobs.tick_ms`, until the process ends.
pub fn spawn(state: AppState, runner: std::sync::Arc<Runner>) {
    let every = std::time::Duration::from_millis(state.config.jobs.tick_ms.max(10));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            runner.tick(&state).await;
        }
    });
}
