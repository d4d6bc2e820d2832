//! Operator sign-in: a password checked with argon2 gives a bearer token; failures are
//! throttled per account and per client IP.

use std::sync::LazyLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::SignedDuration;
use rand::RngCore;
use rand::rngs::OsRng;
use tessera_api::{LoginRequest, LoginResponse, WhoAmI};
use tessera_core::Password;
use tessera_store::SessionKind;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ClientIp, bearer_token, token_hash};
use crate::state::AppState;

pub async fn hash_password(password: Password) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// A hash no password matches, verified when the username is unknown so that an unknown
/// user takes as long to refuse as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no password matches this", &salt)
        .expect("hash")
        .to_string()
});

async fn verify_password(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .context("password verification task")?
}

/// Sign in as an operator.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "wrong username or password", body = tessera_api::ErrorBody),
        (status = 429, description = "too many failed attempts", body = tessera_api::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<ApiJson<LoginResponse>> {
    let username = req.username.trim().to_owned();
    let lookup = username.clone();
    let response = sign_in(
        &state,
        SessionKind::Operator,
        ip,
        &username,
        req.password,
        &note,
        |s| async move {
            Ok(s.store
                .operator_by_username(&lookup)
                .await?
                .map(|o| Principal {
                    id: o.id,
                    password_hash: o.password_hash,
                    actor: format!("operator:{}", o.username),
                    account_id: None,
                }))
        },
    )
    .await?;
    tracing::info!(username = %req.username.trim(), %ip, "operator signed in");
    Ok(ApiJson(response))
}

/// A new bearer token: 32 random bytes, base64url.
pub fn new_token() -> String {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    URL_SAFE_NO_PAD.encode(raw)
}

/// Who a login name found: the session's principal, its password hash, and how the
/// operations log names it.
pub struct Principal {
    pub id: i64,
    pub password_hash: String,
    /// `operator:NAME`, `account:NAME`, `user:NAME`.
    pub actor: String,
    pub account_id: Option<i64>,
}

/// Password sign-in shared by operators, accounts and their users: throttled per login name
/// and client IP, the password checked with argon2 (against a dummy hash when the name is
/// unknown, so both take as long), then a session of `kind` with a fresh token; the
/// operation goes on record as the one who signed in.
pub async fn sign_in<F, Fut>(
    state: &AppState,
    kind: SessionKind,
    ip: std::net::IpAddr,
    login: &str,
    password: String,
    note: &crate::oplog::OpNote,
    find: F,
) -> ApiResult<LoginResponse>
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = ApiResult<Option<Principal>>>,
{
    let now = state.clock.now();
    let found = find(state.clone()).await?;
    // Failures count against the account whatever name it was reached by (username or
    // email); an unknown name counts on its own.
    let throttle_key = match &found {
        Some(p) => format!("{kind:?}#{}", p.id),
        None => format!("{kind:?}:{}", login.to_lowercase()),
    };
    state
        .login_throttle
        .begin_attempt(&throttle_key, ip, now)
        .map_err(|t| ApiError::Throttled {
            retry_after_secs: t.retry_after_secs,
        })?;
    let ok = verify_password(password, found.as_ref().map(|p| p.password_hash.clone())).await?;
    let Some(principal) = found.filter(|_| ok) else {
        // No login name in the log: people type their password into that field.
        tracing::info!(%ip, ?kind, "login refused");
        return Err(ApiError::Unauthenticated);
    };
    state.login_throttle.succeeded(&throttle_key, ip);
    note.actor(principal.actor);
    if let Some(account) = principal.account_id {
        note.account(account);
    }
    let id = principal.id;
    state.store.purge_expired_sessions(kind, now).await?;
    let token = new_token();
    let expires_at = now + SignedDuration::from_hours(i64::from(state.config.session_hours));
    state
        .store
        .create_session(kind, id, &token_hash(&token), now, expires_at)
        .await?;
    Ok(LoginResponse {
        token,
        token_type: "Bearer".into(),
        expires_at: expires_at.to_string(),
    })
}

/// End the session of the token in use.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    security(("operator_token" = [])),
    responses((status = 204), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    _op: Operator,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    end_session(&state, SessionKind::Operator, &headers).await
}

/// Ends the session of `kind` whose bearer token `headers` carry: every logout route.
pub async fn end_session(
    state: &AppState,
    kind: SessionKind,
    headers: &HeaderMap,
) -> ApiResult<StatusCode> {
    if let Some(token) = bearer_token(headers) {
        state.store.delete_session(kind, &token_hash(token)).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    security(("operator_token" = [])),
    responses((status = 200, body = WhoAmI), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn me(op: Operator) -> ApiJson<WhoAmI> {
    ApiJson(WhoAmI {
        username: op.username,
        kind: "operator".into(),
    })
}
