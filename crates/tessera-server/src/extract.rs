//! Extractors: JSON, path and query whose rejections are [`ApiError`]s, and the caller's
//! identity. A route that takes an [`Operator`] cannot be reached without a valid token.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use tessera_core::Actor;
use tessera_core::rights::Right;
use tessera_store::SessionKind;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for ApiJson<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// Tokens are stored and looked up by their SHA-256, never as they are.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// A signed-in operator (vendor staff).
#[derive(Debug, Clone)]
pub struct Operator {
    pub id: i64,
    pub username: String,
    /// The operations-log note of this request, for the account an action concerns.
    pub note: crate::oplog::OpNote,
}

impl Operator {
    pub fn actor(&self) -> Actor {
        Actor::Operator(self.username.clone())
    }
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let id = session(parts, state, SessionKind::Operator).await?;
        let operator = state
            .store
            .operator(id)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let note = crate::oplog::OpNote::of(parts);
        note.actor(format!("operator:{}", operator.username));
        Ok(Operator {
            id: operator.id,
            username: operator.username,
            note,
        })
    }
}

/// The principal of the bearer token's live session of `kind`, or 401.
async fn session(parts: &Parts, state: &AppState, kind: SessionKind) -> Result<i64, ApiError> {
    let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
    state
        .store
        .session_principal(kind, &token_hash(token), state.clock.now())
        .await?
        .ok_or(ApiError::Unauthenticated)
}

/// Someone signed in to an account's portal: its superadmin (every right) or one of its users
/// (the rights of the user's groups, F5).
#[derive(Debug, Clone)]
pub struct AccountUser {
    /// The account.
    pub id: i64,
    /// The name signed in with: the account's username, or the user's.
    pub username: String,
    /// Set when a user (not the superadmin) is signed in.
    pub user_id: Option<i64>,
    pub rights: std::collections::BTreeSet<Right>,
}

impl AccountUser {
    pub fn actor(&self) -> Actor {
        match self.user_id {
            None => Actor::Account(self.username.clone()),
            Some(_) => Actor::User(self.username.clone()),
        }
    }

    /// Refuses with 403 `RIGHT_REQUIRED`, naming the right, without it.
    pub fn require(&self, right: Right) -> Result<(), ApiError> {
        if self.rights.contains(&right) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(right))
        }
    }
}

impl FromRequestParts<AppState> for AccountUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(token);
        let now = state.clock.now();
        let note = crate::oplog::OpNote::of(parts);
        if let Some(id) = state
            .store
            .session_principal(SessionKind::Account, &hash, now)
            .await?
        {
            let account = state
                .store
                .account(id)
                .await?
                .ok_or(ApiError::Unauthenticated)?;
            note.actor(format!("account:{}", account.username));
            note.account(account.id);
            return Ok(AccountUser {
                id: account.id,
                username: account.username,
                user_id: None,
                rights: Right::ALL.into_iter().collect(),
            });
        }
        let user_id = state
            .store
            .session_principal(SessionKind::User, &hash, now)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let user = state
            .store
            .user(user_id)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let rights = state
            .store
            .user_rights(user.id)
            .await?
            .iter()
            .filter_map(|name| Right::parse(name))
            .collect();
        note.actor(format!("user:{}", user.username));
        note.account(user.account_id);
        Ok(AccountUser {
            id: user.account_id,
            username: user.username,
            user_id: Some(user.id),
            rights,
        })
    }
}

/// The client software of an installation, by the site token its activation returned.
#[derive(Debug, Clone)]
pub struct SiteClient {
    pub site_id: String,
    /// SHA-256 of the token, for changes that must still hold it when they commit.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for SiteClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(token);
        let (site_id, account_id) = state
            .store
            .site_for_token(&hash)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let note = crate::oplog::OpNote::of(parts);
        note.actor(format!("site:{site_id}"));
        note.site(&site_id);
        note.account(account_id);
        Ok(SiteClient {
            site_id,
            token_hash: hash,
        })
    }
}

/// The address of the peer that sent the request.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let connect = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        // Served without connect info (an in-process test router): treat as loopback.
        Ok(ClientIp(
            connect.map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip()),
        ))
    }
}
