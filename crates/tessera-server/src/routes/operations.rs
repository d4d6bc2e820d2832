//! Operators' view of the machinery: the mail outbox (I3) and the scheduled job runs.

use axum::extract::State;
use serde::Deserialize;
use tessera_api::{JobRun, JobRuns, OutboxCounts, OutboxMessage, OutboxPage};
use tessera_store::{OutboxFilter, OutboxRecord};
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Operator};
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

fn limit(limit: Option<u32>) -> ApiResult<u32> {
    let limit = limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid(
            "INVALID_LIMIT",
            "limit",
            "limit must be 1 to 500",
        ));
    }
    Ok(limit)
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
                "OUTBOX_STATE_INVALID",
                "state",
                "state must be queued, sent or failed",
            ));
        }
    };
    let limit = limit(q.limit)?;
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
    let limit = limit(q.limit)?;
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
