//! Operators' view of the machinery: the mail outbox (I3), the scheduled job runs, and the
//! operations log (I1, I2), which account superadmins also read for their own account.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tessera_api::ErrorCode;
use tessera_api::{
    JobRun, JobRuns, Operation, OperationPage, OutboxCounts, OutboxMessage, OutboxPage,
    SetLogRetention,
};
use tessera_store::{OperationFilter, OperationRecord, OutboxFilter, OutboxRecord};
use utoipa::IntoParams;

use crate::actors::{Holds, Operator, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct OutboxQuery {
    /// `queued`, `sent`, `failed`; all when absent.
    pub state: Option<String>,
    /// Only messages with a smaller id (the previous page's `next_before`).
    pub before: Option<i64>,
    /// 1–500, default 100.
    pub limit: Option<u32>,
}

fn message(m: OutboxRecord) -> OutboxMessage {
    let state = m.state().to_owned();
    OutboxMessage {
        id: m.id,
        kind: m.kind,
        to: m.to,
        subject: m.subject,
        next_attempt_at: (state == "queued").then(|| m.next_attempt_at.to_string()),
        state,
        attempts: m.attempts,
        created_at: m.created_at.to_string(),
        sent_at: m.sent_at.map(|t| t.to_string()),
        last_error: m.last_error,
        failed_at: m.failed_at.map(|t| t.to_string()),
    }
}

/// The mail outbox, newest first, with counts per state.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "operations", params(OutboxQuery),
    security(("operator_token" = [])),
    responses(
        (status = 200, body = OutboxPage),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 422, description = "OUTBOX_STATE_INVALID, INVALID_LIMIT", body = tessera_api::ErrorBody),
    ))]
pub async fn outbox(
    State(state): State<AppState>,
    _op: Operator,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<ApiJson<OutboxPage>> {
    let filter = match q.state.as_deref() {
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
    let limit = super::page_limit(q.limit)?;
    let messages = state.store.outbox(filter, q.before, limit).await?;
    let next_before = super::next_after(&messages, limit, |m| m.id);
    let (queued, sent, failed) = state.store.outbox_counts().await?;
    Ok(ApiJson(OutboxPage {
        messages: messages.into_iter().map(message).collect(),
        counts: OutboxCounts {
            queued,
            sent,
            failed,
        },
        smtp_configured: state.smtp.is_some(),
        next_before,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct JobsQuery {
    /// Only this job's runs (`mail`, `purge`).
    pub job: Option<String>,
    /// 1–500, default 100.
    pub limit: Option<u32>,
}

/// The recorded runs of the scheduled jobs, newest first. Frequent jobs (mail) keep only
/// their latest run; daily and monthly ones keep 90 days.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "operations", params(JobsQuery),
    security(("operator_token" = [])),
    responses((status = 200, body = JobRuns), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn jobs(
    State(state): State<AppState>,
    _op: Operator,
    ApiQuery(q): ApiQuery<JobsQuery>,
) -> ApiResult<ApiJson<JobRuns>> {
    let limit = super::page_limit(q.limit)?;
    let runs = state.store.job_runs(q.job.as_deref(), limit).await?;
    Ok(ApiJson(JobRuns {
        runs: runs
            .into_iter()
            .map(|r| JobRun {
                job: r.job,
                period: r.period,
                holder: r.holder,
                attempts: r.attempts,
                outcome: r.outcome,
                detail: r.detail,
                started_at: r.started_at.to_string(),
                finished_at: r.finished_at.map(|t| t.to_string()),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OperationQuery {
    /// Only operations concerning this account (operators only; the portal is always its own).
    pub account: Option<i64>,
    pub site: Option<String>,
    /// `operator:NAME`, `account:NAME`, `user:NAME`, `siteuser:NAME@SITE_ID`, `site:ID`,
    /// `anonymous`.
    pub actor: Option<String>,
    /// `ok`, `refused`, `failed`.
    pub outcome: Option<String>,
    /// From this time (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Before this time (RFC 3339).
    pub until: Option<String>,
    /// Only entries with a smaller id (the previous page's `next_before`).
    pub before: Option<i64>,
    /// 1–500, default 100 (the CSV export: up to 100 000).
    pub limit: Option<u32>,
}

fn time(field: &'static str, value: Option<&str>) -> ApiResult<Option<jiff::Timestamp>> {
    value
        .map(|v| v.parse())
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
        let (account, site) = match reader {
            Reader::Operator => (self.account, self.site.clone()),
            Reader::Account(account) => (Some(account), self.site.clone()),
            Reader::Site { account, site } => (Some(account), Some(site.to_owned())),
        };
        Ok(OperationFilter {
            account_id: account,
            site_id: site,
            actor: self.actor.clone(),
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
    state: &AppState,
    q: &OperationQuery,
    reader: Reader<'_>,
    limit: u32,
) -> ApiResult<Vec<OperationRecord>> {
    let mut found = state
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

async fn page(
    state: &AppState,
    q: &OperationQuery,
    reader: Reader<'_>,
) -> ApiResult<OperationPage> {
    let limit = super::page_limit(q.limit)?;
    let found = entries(state, q, reader, limit).await?;
    let next_before = super::next_after(&found, limit, |o| o.id);
    Ok(OperationPage {
        operations: found.into_iter().map(operation).collect(),
        next_before,
    })
}

/// Most rows one CSV export holds.
const EXPORT_MAX: u32 = 100_000;

async fn export(state: &AppState, q: &OperationQuery, reader: Reader<'_>) -> ApiResult<Response> {
    let limit = q.limit.unwrap_or(EXPORT_MAX);
    if !(1..=EXPORT_MAX).contains(&limit) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidLimit,
            "limit",
            "limit must be 1 to 100000",
        ));
    }
    let found = entries(state, q, reader, limit).await?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    let row = |csv: &mut csv::Writer<Vec<u8>>, fields: [&str; 11]| csv.write_record(fields);
    row(
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
    )
    .map_err(anyhow::Error::from)?;
    for o in found {
        row(
            &mut csv,
            [
                &o.id.to_string(),
                &o.at.to_string(),
                &o.account_id.map(|a| a.to_string()).unwrap_or_default(),
                &o.actor,
                &o.operation,
                o.site_id.as_deref().unwrap_or(""),
                &o.status.to_string(),
                &o.outcome,
                o.code.as_deref().unwrap_or(""),
                &o.request_id,
                o.ip.as_deref().unwrap_or(""),
            ],
        )
        .map_err(anyhow::Error::from)?;
    }
    let body = csv.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"operations.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The operations log, newest first, filtered (I1).
#[utoipa::path(get, path = "/api/v1/operations", tag = "operations", params(OperationQuery),
    security(("operator_token" = [])),
    responses(
        (status = 200, body = OperationPage),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 422, description = "OUTCOME_INVALID, INVALID_TIMESTAMP, INVALID_LIMIT", body = tessera_api::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _op: Operator,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<ApiJson<OperationPage>> {
    Ok(ApiJson(page(&state, &q, Reader::Operator).await?))
}

/// The operations log as CSV, with the same filters.
#[utoipa::path(get, path = "/api/v1/operations/export", tag = "operations", params(OperationQuery),
    security(("operator_token" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list_csv(
    State(state): State<AppState>,
    _op: Operator,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<Response> {
    export(&state, &q, Reader::Operator).await
}

/// The account's own operations log; `account` is ignored, and a site user sees its own
/// site's entries only.
#[utoipa::path(get, path = "/api/v1/account/operations", tag = "portal", params(OperationQuery),
    security(("account_token" = [])),
    responses((status = 200, body = OperationPage), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn own(
    State(state): State<AppState>,
    me: Holds<right::ShowOperations, PortalUser>,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<ApiJson<OperationPage>> {
    Ok(ApiJson(page(&state, &q, Reader::of(&me)).await?))
}

/// The account's own operations log as CSV.
#[utoipa::path(get, path = "/api/v1/account/operations/export", tag = "portal", params(OperationQuery),
    security(("account_token" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn own_csv(
    State(state): State<AppState>,
    me: Holds<right::ShowOperations, PortalUser>,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<Response> {
    export(&state, &q, Reader::of(&me)).await
}

/// Give an account its own retention of the operations log (days), or null for the global
/// setting.
#[utoipa::path(put, path = "/api/v1/accounts/{id}/log-retention", tag = "accounts",
    params(("id" = i64, Path)), request_body = SetLogRetention, security(("operator_token" = [])),
    responses(
        (status = 204),
        (status = 404, body = tessera_api::ErrorBody),
        (status = 422, description = "RETENTION_INVALID", body = tessera_api::ErrorBody),
    ))]
pub async fn set_retention(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SetLogRetention>,
) -> ApiResult<axum::http::StatusCode> {
    if req.days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(ApiError::invalid(
            ErrorCode::RetentionInvalid,
            "days",
            "days must be 1 to 3650, or null",
        ));
    }
    state.store.set_log_retention(id, req.days).await?;
    op.note.account(id);
    Ok(axum::http::StatusCode::NO_CONTENT)
}
