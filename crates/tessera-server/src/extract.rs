//! Extractors: JSON, path and query whose rejections are [`ApiError`]s, the bearer token and
//! the peer's address. Who the caller is, and what it may do, is [`crate::actors`].

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, Path, Query, RawPathParams, Request,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use tessera_api::ErrorCode;

use crate::control_chars;
use crate::error::ApiError;

/// A JSON body (`Content-Type: application/json`); a control character in any of its
/// strings is refused with the field's path.
pub struct ApiJson<T>(pub T);

/// Path parameters; a control character in one is refused with its name.
pub struct ApiPath<T>(pub T);

/// Query parameters; a control character in one is refused with its name.
pub struct ApiQuery<T>(pub T);

/// A CSV file as the body (`Content-Type: text/csv`), its bytes as sent.
pub struct CsvBody(pub Bytes);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !json_content_type(request.headers()) {
            return Err(ErrorCode::UnsupportedMediaType.into());
        }
        let body = body_bytes(request, state, ErrorCode::MalformedJson).await?;
        if control_chars::might_hold(&body) {
            match control_chars::read_checked(&body) {
                Ok(Some(value)) => return Ok(ApiJson(value)),
                Ok(None) => {} // refused below with the reason it does not parse
                Err(field) => return Err(control_character(&field)),
            }
        }
        let axum::Json(value) = axum::Json::<T>::from_bytes(&body)?;
        Ok(ApiJson(value))
    }
}

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if content_type(request.headers()).as_deref() != Some("text/csv") {
            return Err(ApiError::refused(
                ErrorCode::UnsupportedMediaType,
                "send the file as the body with Content-Type: text/csv",
            ));
        }
        Ok(CsvBody(
            body_bytes(request, state, ErrorCode::CsvInvalid).await?,
        ))
    }
}

/// The body, within the route's size limit; a failure to read it otherwise is `unreadable`.
async fn body_bytes<S: Send + Sync>(
    request: Request,
    state: &S,
    unreadable: ErrorCode,
) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::BodyTooLarge.into(),
            _ if timed_out(&e) => ErrorCode::RequestTimeout.into(),
            _ => ApiError::refused(unreadable, e.body_text()),
        })
}

/// Whether reading the body failed because the client sent it too slowly.
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.is::<crate::connections::BodyTimeout>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// `application/json` or a `+json` type, parameters (`; charset=utf-8`) aside.
fn json_content_type(headers: &HeaderMap) -> bool {
    content_type(headers).is_some_and(|essence| {
        essence == "application/json"
            || essence.starts_with("application/") && essence.ends_with("+json")
    })
}

/// The media type the body is sent as, lower case, parameters (`; charset=utf-8`) aside.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next().unwrap_or("").trim();
    Some(essence.to_ascii_lowercase())
}

/// 422 `CONTROL_CHARACTER` naming `field` (a JSON path, a parameter's name).
pub fn control_character(field: &str) -> ApiError {
    let code = ErrorCode::ControlCharacter;
    // A map's key may be the culprit: shown with its controls replaced.
    let field: String = field
        .chars()
        .map(|c| {
            if control_chars::refused(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    let field = field.as_str();
    if field.is_empty() {
        return code.into();
    }
    ApiError::invalid(code, field, format!("{field}: {}", code.message()))
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let raw = RawPathParams::from_request_parts(parts, state).await?;
        if let Some((name, _)) = raw.iter().find(|(_, v)| control_chars::in_text(v)) {
            return Err(control_character(name));
        }
        let Path(value) = Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(value))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)?;
        let refused = pairs
            .iter()
            .find(|(k, v)| control_chars::in_text(k) || control_chars::in_text(v));
        if let Some((name, _)) = refused {
            return Err(control_character(name));
        }
        let Query(value) = Query::<T>::try_from_uri(&parts.uri)?;
        Ok(ApiQuery(value))
    }
}

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
