//! The operators' fleet dashboard as JSON (the console's `/operator/fleet` shows the same).

use axum::extract::State;
use serde::Deserialize;
use tessera_api::Fleet;
use utoipa::IntoParams;

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery};
use crate::fleet;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FleetQuery {
    /// An active site counts as overdue after this many days without a successful check
    /// (1–365, default 7).
    #[param(minimum = 1, maximum = 365)]
    pub overdue_days: Option<u16>,
    /// Validations per day over this many days, today last (1–366, default 30).
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<u16>,
}

/// The fleet at a glance: active sites by product and edition, validations per day, overdue
/// and locked sites, trials and their conversion and revenue per month, subscriptions ending
/// within 30 days, the mail outbox and the scheduled jobs. Read from the database, so every
/// instance answers the same.
#[utoipa::path(get, path = "/api/v1/fleet", tag = "operations", params(FleetQuery),
    security(("operator_token" = [])),
    responses(
        (status = 200, body = Fleet),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 422, description = "FIELD_INVALID (overdue_days, days)", body = tessera_api::ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<FleetQuery>,
) -> ApiResult<ApiJson<Fleet>> {
    Ok(ApiJson(
        fleet::fleet(&state, &op, q.overdue_days, q.days).await?,
    ))
}
