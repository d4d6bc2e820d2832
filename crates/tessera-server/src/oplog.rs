//! Recording the operations log (I1): every request that may change state (any method but
//! GET, HEAD, OPTIONS) on a matched route becomes one row after its answer, refused ones
//! included: who (filled in by the authentication extractors and by handlers that learn it),
//! what (method and route pattern, never the URI, which may carry product keys), when, which
//! site, the status and error code, the request id and the client IP. Request bodies are
//! never recorded (they carry passwords). Validation is not an operation: it is a read, served
//! on the hot path without this layer (see routes::hot_api).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use tessera_store::NewOperation;

use crate::state::AppState;

/// What handlers and extractors learned about the request's operation.
#[derive(Debug, Default, Clone)]
struct Who {
    actor: Option<String>,
    account_id: Option<i64>,
    site_id: Option<String>,
}

/// Where they note it; present in the request's extensions while the operation runs.
#[derive(Debug, Clone, Default)]
pub struct OpNote(Arc<Mutex<Who>>);

impl OpNote {
    /// The note of the request being served (a detached one when the request is not logged).
    pub fn of(parts: &Parts) -> OpNote {
        parts
            .extensions
            .get::<OpNote>()
            .cloned()
            .unwrap_or_default()
    }

    fn with(&self, f: impl FnOnce(&mut Who)) {
        f(&mut self.0.lock().expect("not poisoned"));
    }

    pub fn actor(&self, actor: impl Into<String>) {
        let actor = actor.into();
        self.with(|w| w.actor = Some(actor));
    }

    pub fn account(&self, account_id: i64) {
        self.with(|w| w.account_id = Some(account_id));
    }

    pub fn site(&self, site_id: &str) {
        self.with(|w| w.site_id = Some(site_id.to_owned()));
    }

    fn take(&self) -> Who {
        std::mem::take(&mut self.0.lock().expect("not poisoned"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for OpNote {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(OpNote::of(parts))
    }
}

pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    let operation = format!("{} {route}", parts.method);
    let site_param = RawPathParams::from_request_parts(&mut parts, &state)
        .await
        .ok()
        .and_then(|params| {
            params
                .iter()
                .find(|(name, _)| *name == "site_id")
                .map(|(_, value)| value.to_owned())
        });
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let note = OpNote::default();
    parts.extensions.insert(note.clone());

    let response = next.run(Request::from_parts(parts, body)).await;

    let who = note.take();
    let status = response.status();
    let outcome = if status.is_server_error() {
        "failed"
    } else if status.is_client_error() {
        "refused"
    } else {
        "ok"
    };
    let op = NewOperation {
        account_id: who.account_id,
        actor: who.actor.unwrap_or_else(|| "anonymous".into()),
        operation,
        site_id: who.site_id.or(site_param),
        status: status.as_u16(),
        outcome,
        code: response
            .extensions()
            .get::<tessera_api::ErrorCode>()
            .map(|c| c.as_str().to_owned()),
        request_id,
        ip,
    };
    if let Err(e) = state.store.record_operation(&op, state.clock.now()).await {
        // The operation itself is done (or refused); losing its log row is logged instead.
        tracing::warn!(error = %e, operation = %op.operation, "recording the operation failed");
    }
    response
}
