//! Operators' view of the machinery: the mail outbox (I3), the scheduled job runs, and the
//! operations log (I1, I2), which account superadmins also read for their own account.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tessera_api::{JobRun, JobRuns, OperationPage, OutboxPage, SetLogRetention};
use utoipa::IntoParams;

use crate::actors::{Holds, Operator, PortalUser, right};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::operations::{self, OperationQuery};
use crate::state::AppState;

/// The operations log's CSV export as a download.
fn csv(body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"operations.csv\"",
            ),
        ],
        body,
    )
        .into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// `queued`, `sent`, `failed`; all when absent.
    pub state: Option<String>,
    /// Only messages with a smaller id (the previous page's `next_before`).
    pub before: Option<i64>,
    /// 1–500, default 100.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
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
    op: Operator,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<ApiJson<OutboxPage>> {
    let page = operations::outbox(&state, &op, q.state.as_deref(), q.before, q.limit).await?;
    Ok(ApiJson(page))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// Only this job's runs (`mail`, `purge`).
    pub job: Option<String>,
    /// 1–500, default 100.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// Runs a scheduled job now (`mail`, `purge`, `billing`, `expiry`): the current period's work
/// once more, which every job may repeat safely; answers when it has finished, with the run
/// as recorded in the history (its outcome `done` or `failed`).
#[utoipa::path(post, path = "/api/v1/jobs/{name}/run", tag = "operations",
    params(("name" = String, Path, description = "mail, purge, billing, expiry or stats")),
    security(("operator_token" = [])),
    responses(
        (status = 200, body = JobRun),
        (status = 404, description = "JOB_UNKNOWN", body = tessera_api::ErrorBody),
        (status = 409, description = "JOB_BUSY", body = tessera_api::ErrorBody),
    ))]
pub async fn run_job(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<ApiJson<JobRun>> {
    Ok(ApiJson(operations::run_job(&state, &op, &name).await?))
}

/// The recorded runs of the scheduled jobs, newest first. Frequent jobs (mail) keep only
/// their latest run; daily and monthly ones keep 90 days.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "operations", params(JobsQuery),
    security(("operator_token" = [])),
    responses(
        (status = 200, body = JobRuns),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 404, description = "JOB_UNKNOWN", body = tessera_api::ErrorBody),
        (status = 422, description = "INVALID_LIMIT", body = tessera_api::ErrorBody),
    ))]
pub async fn jobs(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<JobsQuery>,
) -> ApiResult<ApiJson<JobRuns>> {
    Ok(ApiJson(
        operations::job_runs(&state, &op, q.job.as_deref(), q.limit).await?,
    ))
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
    op: Operator,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<ApiJson<OperationPage>> {
    Ok(ApiJson(operations::operators_log(&state, &op, &q).await?))
}

/// The operations log as CSV, with the same filters.
#[utoipa::path(get, path = "/api/v1/operations/export", tag = "operations", params(OperationQuery),
    security(("operator_token" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list_csv(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<Response> {
    Ok(csv(operations::operators_log_csv(&state, &op, &q).await?))
}

/// The account's own operations log; `account` is ignored, and a site user sees its own
/// site's entries only. Needs `operations.view`.
#[utoipa::path(get, path = "/api/v1/account/operations", tag = "portal", params(OperationQuery),
    security(("account_token" = [])),
    responses(
        (status = 200, body = OperationPage),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (operations.view)", body = tessera_api::ErrorBody),
    ))]
pub async fn own(
    State(state): State<AppState>,
    me: Holds<right::ViewOperationsLog, PortalUser>,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<ApiJson<OperationPage>> {
    Ok(ApiJson(operations::own_log(&state, &me, &q).await?))
}

/// The account's own operations log as CSV. Needs `operations.view`.
#[utoipa::path(get, path = "/api/v1/account/operations/export", tag = "portal", params(OperationQuery),
    security(("account_token" = [])),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (operations.view)", body = tessera_api::ErrorBody),
    ))]
pub async fn own_csv(
    State(state): State<AppState>,
    me: Holds<right::ViewOperationsLog, PortalUser>,
    ApiQuery(q): ApiQuery<OperationQuery>,
) -> ApiResult<Response> {
    Ok(csv(operations::own_log_csv(&state, &me, &q).await?))
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
    operations::set_log_retention(&state, &op, id, req.days).await?;
    op.note.account(id);
    Ok(axum::http::StatusCode::NO_CONTENT)
}
