//! `/healthz` (the process is up), `/readyz` (the database answers), `/metrics`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use tessera_api::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> ApiResult<&'static str> {
    match state.store.ping().await {
        Ok(()) => Ok("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            Err(ApiError::refused(
                ErrorCode::Unavailable,
                "the database does not answer",
            ))
        }
    }
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
