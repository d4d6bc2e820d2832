//! Extractors: JSON, path and query whose rejections are [`ApiError`]s, the bearer token and
//! the peer's address. Who the caller is, and what it may do, is [`crate::actors`].

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Room a JSON response starts with: a signed validation (about 1.5 KiB) is written without
/// growing its buffer. axum's `Json` starts at 128 bytes and reallocates four times on the way
/// there; under validation load those reallocations were about a tenth of the server's CPU,
/// most of it waiting on the allocator's arena locks (docs/benchmarks.md).
const RESPONSE_CAPACITY: usize = 2048;

impl<T: serde::Serialize> axum::response::IntoResponse for ApiJson<T> {
    fn into_response(self) -> axum::response::Response {
        let mut body = Vec::with_capacity(RESPONSE_CAPACITY);
        if let Err(e) = serde_json::to_writer(&mut body, &self.0) {
            return ApiError::Internal(e.into()).into_response();
        }
        let json = HeaderValue::from_static("application/json");
        ([(header::CONTENT_TYPE, json)], body).into_response()
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
