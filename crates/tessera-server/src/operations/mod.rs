//! The machinery as operators watch it, as use cases: the mail outbox (I3), the scheduled
//! job runs, and the operations log (I1) with its CSV export, which accounts also read for
//! their own account (a site user for its own site); and an account's log retention (I2).
//! The JSON routes are routes/operations.rs.

use serde::Deserialize;
use tessera_api::{
    ErrorCode, JobRun, JobRuns, Operation, OperationPage, OutboxCounts, OutboxMessage, OutboxPage,
};
use tessera_store::{OperationFilter, OperationRecord, OutboxFilter, OutboxRecord};
use utoipa::IntoParams;

use crate::actors::{Holds, Operator, PortalUser, right};
use crate::csv_cells::write_row;
use crate::error::{ApiError, ApiResult};
use crate::mail::Templates;
use crate::paging::text_filter;
use crate::paging::{next_after, page_limit};
use crate::state::AppState;

/// A message as operators see it: its subject rendered as it is (or will be) sent; empty
/// when it cannot be rendered (the mail job marks it failed, saying why).
fn message(templates: &Templates, m: OutboxRecord) -> OutboxMessage {
    let state = m.state().to_owned();
    let subject = templates.message(&m).map(|r| r.subject).unwrap_or_default();
    OutboxMessage {
        id: m.id,
        kind: m.kind,
        to: m.to,
        subject,
        next_attempt_at: (state == "queued").then(|| m.next_attempt_at.to_string()),
        state,
        attempts: m.attempts,
        created_at: m.created_at.to_string(),
        sent_at: m.sent_at.map(|t| t.to_string()),
        last_error: m.last_error,
        failed_at: m.failed_at.map(|t| t.to_string()),
    }
}

/// The mail outbox (I3), newest first, in `state` (`queued`, `sent`, `failed`; all when
/// None), before the id `before`, `limit` (1–500) at a time, with counts per state.
pub async fn outbox(
    app: &AppState,
    _op: &Operator,
    state: Option<&str>,
    before: Option<i64>,
    limit: Option<u32>,
) -> ApiResult<OutboxPage> {
    let filter = match state {
        None => OutboxFilter::All,
        Some("queued") => OutboxFilter::Queued,
        Some("sent") => OutboxFilter::Sent,
        Some("failed") => OutboxFilter::Failed,
        Some(_) => {
            return Err(ApiError::invalid(
                ErrorCode::OutboxStateInvalid,
                "state",
                "state must be queued, sent or failed",
            ));
        }
    };
    let limit = page_limit(limit)?;
    let messages = app.store.outbox(filter, before, limit).await?;
    let next_before = next_after(&messages, limit, |m| m.id);
    let (queued, sent, failed) = app.store.outbox_counts().await?;
    Ok(OutboxPage {
        messages: messages
            .into_iter()
            .map(|m| message(&app.mail, m))
            .collect(),
        counts: OutboxCounts {
            queued,
            sent,
            failed,
        },
        smtp_configured: app.smtp.is_some(),
        next_before,
    })
}

/// The recorded runs of the scheduled jobs (`job`'s only when given), newest first.
/// Runs job `name` now, for operator `op` (docs/operations.md, "Scheduled jobs"); the run
/// as recorded, done or failed.
pub async fn run_job(app: &AppState, op: &Operator, name: &str) -> ApiResult<JobRun> {
    let job = known_job(name)?;
    let who = format!("operator:{}", op.username);
    match crate::jobs::Runner::run_now(app, job, &who).await? {
        Some(run) => Ok(job_run(run)),
        None => Err(ErrorCode::JobBusy.into()),
    }
}

/// The job called `name`; `404 JOB_UNKNOWN` for a name no job has.
fn known_job(name: &str) -> ApiResult<crate::jobs::Job> {
    crate::jobs::Job::named(name).ok_or_else(|| {
        ApiError::refused(
            ErrorCode::JobUnknown,
            "the jobs are mail, purge, billing, expiry, stats and webhooks",
        )
    })
}

fn job_run(r: tessera_store::JobRunRecord) -> JobRun {
    JobRun {
        job: r.job,
        period: r.period,
        holder: r.holder,
        attempts: r.attempts,
        outcome: r.outcome,
        detail: r.detail,
        started_at: r.started_at.to_string(),
        finished_at: r.finished_at.map(|t| t.to_string()),
    }
}

pub async fn job_runs(
    app: &AppState,
    _op: &Operator,
    job: Option<&str>,
    limit: Option<u32>,
) -> ApiResult<JobRuns> {
    let limit = page_limit(limit)?;
    if let Some(name) = job {
        known_job(name)?;
    }
    let runs = app.store.job_runs(job, limit).await?;
    Ok(JobRuns {
        runs: runs.into_iter().map(job_run).collect(),
    })
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OperationQuery {
    /// Only operations concerning this account (operators only; the portal is always its own).
    pub account: Option<i64>,
    #[param(max_length = 64)]
    pub site: Option<String>,
    /// `operator:NAME`, `account:NAME`, `user:NAME`, `siteuser:NAME@SITE_ID`, `site:ID`,
    /// `anonymous`.
    #[param(max_length = 200)]
    pub actor: Option<String>,
    /// Only operations whose method and route hold this text, whatever the case
    /// (`services`, `DELETE`, `/groups/`).
    #[param(max_length = 200)]
    pub operation: Option<String>,
    /// `ok`, `refused`, `failed`.
    pub outcome: Option<String>,
    /// From this time (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Before this time (RFC 3339).
    pub until: Option<String>,
    /// Only entries with a smaller id (the previous page's `next_before`).
    pub before: Option<i64>,
    /// 1–500, default 100 (the CSV export: up to 100 000).
    #[param(minimum = 1)]
    pub limit: Option<u32>,
}

fn time(field: &'static str, value: Option<&str>) -> ApiResult<Option<jiff::Timestamp>> {
    value
        .map(tessera_core::clock::parse_instant)
        .transpose()
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidTimestamp, field, e))
}

/// Whose view of the log: an operator sees everything; an account its own entries; a site
/// user its site's entries, without the addresses of the people who acted there.
#[derive(Debug, Clone, Copy)]
enum Reader<'a> {
    Operator,
    Account(i64),
    Site { account: i64, site: &'a str },
}

impl<'a> Reader<'a> {
    fn of(me: &'a PortalUser) -> Reader<'a> {
        match me.site() {
            Some(site) => Reader::Site {
                account: me.id,
                site,
            },
            None => Reader::Account(me.id),
        }
    }
}

impl OperationQuery {
    /// The filter, with the account (and a site user's site) forced.
    fn filter(&self, reader: Reader<'_>) -> ApiResult<OperationFilter> {
        if let Some(outcome) = self.outcome.as_deref()
            && !["ok", "refused", "failed"].contains(&outcome)
        {
            return Err(ApiError::invalid(
                ErrorCode::OutcomeInvalid,
                "outcome",
                "outcome must be ok, refused or failed",
            ));
        }
        let wanted = text_filter("site", self.site.as_deref(), 64)?.map(str::to_owned);
        let actor = text_filter("actor", self.actor.as_deref(), 200)?.map(str::to_owned);
        let operation =
            text_filter("operation", self.operation.as_deref(), 200)?.map(str::to_owned);
        let (account, site) = match reader {
            Reader::Operator => (self.account, wanted),
            Reader::Account(account) => (Some(account), wanted),
            Reader::Site { account, site } => (Some(account), Some(site.to_owned())),
        };
        Ok(OperationFilter {
            account_id: account,
            site_id: site,
            actor,
            operation,
            outcome: self.outcome.clone(),
            from: time("from", self.from.as_deref())?,
            until: time("until", self.until.as_deref())?,
        })
    }
}

fn operation(r: OperationRecord) -> Operation {
    Operation {
        id: r.id,
        at: r.at.to_string(),
        account_id: r.account_id,
        actor: r.actor,
        operation: r.operation,
        site_id: r.site_id,
        status: r.status,
        outcome: r.outcome,
        code: r.code,
        request_id: r.request_id,
        ip: r.ip,
    }
}

/// The entries `reader` may see, newest first.
async fn entries(
    app: &AppState,
    q: &OperationQuery,
    reader: Reader<'_>,
    limit: u32,
) -> ApiResult<Vec<OperationRecord>> {
    let mut found = app
        .store
        .operations(&q.filter(reader)?, q.before, limit)
        .await?;
    if let Reader::Site { .. } = reader {
        for entry in &mut found {
            entry.ip = None;
        }
    }
    Ok(found)
}

async fn page(app: &AppState, q: &OperationQuery, reader: Reader<'_>) -> ApiResult<OperationPage> {
    let limit = page_limit(q.limit)?;
    let found = entries(app, q, reader, limit).await?;
    let next_before = next_after(&found, limit, |o| o.id);
    Ok(OperationPage {
        operations: found.into_iter().map(operation).collect(),
        next_before,
    })
}

/// Most rows one CSV export holds.
const EXPORT_MAX: u32 = 100_000;

async fn export(app: &AppState, q: &OperationQuery, reader: Reader<'_>) -> ApiResult<Vec<u8>> {
    let limit = q.limit.unwrap_or(EXPORT_MAX);
    if !(1..=EXPORT_MAX).contains(&limit) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidLimit,
            "limit",
            "limit must be 1 to 100000",
        ));
    }
    let found = entries(app, q, reader, limit).await?;
    to_csv(found)
}

/// The entries as CSV, a header row first; every cell safe to open in a spreadsheet.
fn to_csv(found: Vec<OperationRecord>) -> ApiResult<Vec<u8>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut csv,
        [
            "id",
            "at",
            "account_id",
            "actor",
            "operation",
            "site_id",
            "status",
            "outcome",
            "code",
            "request_id",
            "ip",
        ],
    )?;
    for o in found {
        write_row(
            &mut csv,
            [
                o.id.to_string(),
                o.at.to_string(),
                o.account_id.map(|a| a.to_string()).unwrap_or_default(),
                o.actor,
                o.operation,
                o.site_id.unwrap_or_default(),
                o.status.to_string(),
                o.outcome,
                o.code.unwrap_or_default(),
                o.request_id,
                o.ip.unwrap_or_default(),
            ],
        )?;
    }
    Ok(csv.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)
}

/// A page of the whole operations log (I1), newest first, filtered by `q`.
pub async fn operators_log(
    app: &AppState,
    _op: &Operator,
    q: &OperationQuery,
) -> ApiResult<OperationPage> {
    page(app, q, Reader::Operator).await
}

/// The whole operations log filtered by `q`, as CSV (I1).
pub async fn operators_log_csv(
    app: &AppState,
    _op: &Operator,
    q: &OperationQuery,
) -> ApiResult<Vec<u8>> {
    export(app, q, Reader::Operator).await
}

/// A page of the account's own operations log (I1): `q.account` is ignored, and a site
/// user sees its own site's entries only, without the people's addresses.
pub async fn own_log(
    app: &AppState,
    who: &Holds<right::ViewOperationsLog, PortalUser>,
    q: &OperationQuery,
) -> ApiResult<OperationPage> {
    page(app, q, Reader::of(who)).await
}

/// How many days the reader's account keeps its operations log (I2): its own retention, or
/// the server's `operations_log_days`.
pub async fn own_log_days(
    app: &AppState,
    who: &Holds<right::ViewOperationsLog, PortalUser>,
) -> ApiResult<u32> {
    let account = app
        .store
        .account(who.id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    Ok(account
        .log_retention_days
        .unwrap_or(app.config.operations_log_days))
}

/// The account's own operations log as CSV (I1), seen as in [`own_log`].
pub async fn own_log_csv(
    app: &AppState,
    who: &Holds<right::ViewOperationsLog, PortalUser>,
    q: &OperationQuery,
) -> ApiResult<Vec<u8>> {
    export(app, q, Reader::of(who)).await
}

/// Gives the account `account` its own retention of the operations log (I2), `days` (1–3650),
/// or the global setting (None).
pub async fn set_log_retention(
    app: &AppState,
    _op: &Operator,
    account: i64,
    days: Option<u32>,
) -> ApiResult<()> {
    if days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(ApiError::invalid(
            ErrorCode::RetentionInvalid,
            "days",
            "days must be 1 to 3650, or null",
        ));
    }
    app.store.set_log_retention(account, days).await?;
    Ok(())
}
