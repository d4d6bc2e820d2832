//! What keeps the pages safe, in one middleware around every page:
//!
//! - The session is the server's ordinary session token, carried in an `HttpOnly`,
//!   `SameSite=Lax` cookie (`Secure` when the public URL is https). For the page routes it
//!   is handed on as the bearer token, so pages meet the very same extractors, sessions and
//!   rights as the JSON API; the API itself never reads the cookie.
//! - Cross-site requests cannot change anything: every state-changing request must come
//!   from our own origin (`Sec-Fetch-Site`, else `Origin`), and when a session is present it
//!   must carry the session's CSRF token (the form field `csrf` or the `X-CSRF-Token` header
//!   htmx sends), compared in constant time.
//! - Every answer carries a Content-Security-Policy without inline scripts or styles,
//!   `nosniff`, `Referrer-Policy: same-origin` and `frame-ancestors 'none'`.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tessera_server::AppState;

use crate::error::PageError;
use crate::i18n::Tr;

/// The cookie that holds a customer's session token.
pub const SESSION_COOKIE: &str = "tessera_session";

/// The cookie that holds an operator's session token, sent to the console's paths only.
pub const OPERATOR_COOKIE: &str = "tessera_operator";

/// Whether `path` is the operator console's (`/operator…`).
pub fn is_operator_path(path: &str) -> bool {
    path == "/operator" || path.starts_with("/operator/")
}

/// Which session a request to `path` uses: the operator's cookie in the console, the
/// customer's everywhere else. A customer's cookie never reaches the console's extractors
/// and an operator's never the customers' pages (its cookie's path keeps it there too).
pub fn session_cookie_name(path: &str) -> &'static str {
    if is_operator_path(path) {
        OPERATOR_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token a request to `path` carries, if any.
pub fn session_token(headers: &HeaderMap, path: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(session_cookie_name(path))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
                   img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; \
                   base-uri 'none'";

/// The CSRF token of the session `token`: derived from it (so it needs no storage and ends
/// with the session), and not the token itself (which stays in the HttpOnly cookie).
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"tessera csrf\0")
        .chain_update(session_token.as_bytes())
        .finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..24])
}

/// The customer's session cookie carrying `token`, for `hours`.
pub fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    cookie_for(state, SESSION_COOKIE, "/", token)
}

/// The operator's session cookie carrying `token`, sent to `/operator` paths only.
pub fn operator_cookie(state: &AppState, token: String) -> Cookie<'static> {
    cookie_for(state, OPERATOR_COOKIE, "/operator", token)
}

fn cookie_for(
    state: &AppState,
    name: &'static str,
    path: &'static str,
    token: String,
) -> Cookie<'static> {
    let hours = i64::from(state.config.session_hours);
    Cookie::build((name, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.web.secure_cookies())
        .path(path)
        .max_age(cookie::time::Duration::hours(hours))
        .build()
}

/// The cookie that removes the customer's session cookie.
pub fn session_removal() -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, "")).path("/").build()
}

/// The cookie that removes the operator's session cookie.
pub fn operator_removal() -> Cookie<'static> {
    Cookie::build((OPERATOR_COOKIE, ""))
        .path("/operator")
        .build()
}

/// The middleware: origin and CSRF checks before; after, refusals made pages
/// ([`crate::error::as_page`]) and the security headers.
pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let tr = Tr::of(
        request.headers(),
        &CookieJar::from_headers(request.headers()),
    );
    let htmx = request.headers().contains_key("hx-request");
    // A form sent and refused before any page could show it again: the error page offers
    // the way back to the form, as the browser kept it.
    let posted = request.method() == axum::http::Method::POST && !htmx;
    let path = match request.uri().query() {
        Some(q) => format!("{}?{q}", request.uri().path()),
        None => request.uri().path().to_owned(),
    };
    let response = match checked(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(refused) => refused.into_response(),
    };
    let mut response = crate::error::as_page(tr, htmx, posted, &path, response).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The request with the session handed on as its bearer token, or why it is refused.
async fn checked(state: &AppState, request: Request) -> Result<Request, PageError> {
    let (mut parts, body) = request.into_parts();
    let session = session_token(&parts.headers, parts.uri.path());
    let changes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    if changes {
        if !same_origin(&parts.headers) {
            tracing::info!(path = %parts.uri.path(), "cross-site page request refused");
            return Err(PageError::CrossSite);
        }
        if let Some(token) = &session {
            let (sent, rebuilt) = sent_csrf(&parts.headers, body, state).await?;
            body = rebuilt;
            let expected = csrf_token(token);
            if !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
                return Err(PageError::CrossSite);
            }
        }
    }
    if let Some(token) = session
        && let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}"))
    {
        parts.headers.insert(header::AUTHORIZATION, value);
    }
    Ok(Request::from_parts(parts, body))
}

/// Whether a state-changing request comes from our own pages: a browser says where it
/// comes from (`Sec-Fetch-Site`, or `Origin` on older ones); a request that says neither
/// is not a browser's, and a cross-site forgery needs a browser.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

/// The CSRF token the request carries (the header, else the form field `csrf`), and the
/// body to hand on (read whole when it is a form; forms are small).
async fn sent_csrf(
    headers: &HeaderMap,
    body: Body,
    state: &AppState,
) -> Result<(String, Body), PageError> {
    if let Some(sent) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Ok((sent.to_owned(), body));
    }
    let bytes = to_bytes(body, state.config.max_body_bytes)
        .await
        .map_err(|_| PageError::CrossSite)?;
    let sent = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "csrf")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    Ok((sent, Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    axum::http::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn only_our_own_origin_may_change_things() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_origin(&headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:8080")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:8080")
        ])));
        assert!(same_origin(&headers(&[])), "curl is no browser");
    }

    #[test]
    fn the_csrf_token_is_the_sessions_own() {
        let a = csrf_token("session-a");
        assert_eq!(a, csrf_token("session-a"));
        assert_ne!(a, csrf_token("session-b"));
        assert!(!a.contains("session"));
    }
}
