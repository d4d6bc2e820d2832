//! Refusals on the pages. Page handlers return the server's own `ApiError`, as the JSON
//! routes do; on the way out [`as_page`] turns the JSON refusal into what a browser needs:
//! a sign-in redirect for 401, else an error page in the reader's language with the code's
//! text (the server's English message where the catalog has none).

use askama::Template;
use axum::body::to_bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use tessera_api::{ErrorBody, ErrorCode};
use tessera_server::error::ApiError;

use crate::i18n::Tr;
use crate::view::Chrome;

/// A refusal that is not the API's: a state-changing request from another site, or
/// without the session's CSRF token.
#[derive(Debug)]
pub enum PageError {
    CrossSite,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::CrossSite => ApiError::from(ErrorCode::CrossSiteRequest).into_response(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    code: String,
    message: String,
    /// The refused request was a form sent: a button goes back to it (script only).
    back: bool,
}

/// The reader's text for a refusal: the catalog's `error-CODE`, else the server's message.
pub fn message(tr: &Tr, body: &ErrorBody) -> String {
    let key = format!("error-{}", body.code);
    if tr.has(&key) {
        tr.t(&key)
    } else {
        body.message.clone()
    }
}

/// A refusal a form shows beside its fields rather than as an error page: a field that is
/// wrong (422) or a conflict (409), as the use case said it.
#[derive(Debug, Clone)]
pub struct FormRefusal {
    pub code: ErrorCode,
    pub status: StatusCode,
    /// The request field it names, as the use case names it (`representative_email`,
    /// `technician.phone`, `evse_ids[2]`), when it names one.
    pub field: Option<String>,
    /// The reader's text.
    pub message: String,
}

impl FormRefusal {
    /// `e` as a form shows it; None for every other answer (not found, no right, throttled,
    /// internal), which stays an error page.
    pub fn of(tr: &Tr, e: &ApiError) -> Option<FormRefusal> {
        let ApiError::Refused { code, field, .. } = e else {
            return None;
        };
        let status = e.status();
        if status != StatusCode::UNPROCESSABLE_ENTITY && status != StatusCode::CONFLICT {
            return None;
        }
        let body = ErrorBody::new(*code, e.to_string());
        Some(FormRefusal {
            code: *code,
            status,
            field: field.clone(),
            message: message(tr, &body),
        })
    }

    /// The form shown again, `html`, with this refusal's status; the operations log reads
    /// the code.
    pub fn respond(&self, html: String) -> Response {
        let mut response = (self.status, Html(html)).into_response();
        response.extensions_mut().insert(self.code);
        response
    }
}

/// A JSON refusal made into a page (other answers pass unchanged). `htmx` is whether the
/// request came from htmx, which follows a redirect only when told in `HX-Redirect`;
/// `posted` whether it was a form sent (the page then offers the way back to it).
pub async fn as_page(tr: Tr, htmx: bool, posted: bool, path: &str, response: Response) -> Response {
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let Some(code) = response
        .extensions()
        .get::<ErrorCode>()
        .copied()
        .filter(|_| json)
    else {
        return response;
    };
    let status = response.status();
    if status == StatusCode::UNAUTHORIZED && code == ErrorCode::Unauthenticated {
        let sign_in = if crate::security::is_operator_path(path) {
            "/operator/sign-in"
        } else {
            "/sign-in"
        };
        let to = format!("{sign_in}?next={}", next_param(path));
        if htmx {
            let mut r = StatusCode::NO_CONTENT.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert("hx-redirect", v);
            }
            return r;
        }
        return Redirect::to(&to).into_response();
    }
    let (parts, body) = response.into_parts();
    let body: ErrorBody = match to_bytes(body, 64 * 1024).await {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|_| ErrorBody::new(code, "")),
        Err(_) => ErrorBody::new(code, ""),
    };
    let page = ErrorPage {
        chrome: Chrome::anonymous(tr),
        status: status.as_u16(),
        message: message(&tr, &body),
        code: body.code,
        back: posted,
    };
    let mut out = match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page");
            status.into_response()
        }
    };
    // The operations log reads the code; Retry-After and the like stay.
    out.extensions_mut().insert(code);
    for name in [header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// Where to come back to after signing in: a local path only (never another site).
pub fn next_param(path: &str) -> String {
    let local = path.starts_with('/') && !path.starts_with("//");
    let path = if local { path } else { "/" };
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A `next` parameter read back: a local path, else the dashboard.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/sites".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_next_path_never_leads_to_another_site() {
        assert_eq!(safe_next(Some("/sites/x")), "/sites/x");
        assert_eq!(safe_next(Some("//evil.example")), "/sites");
        assert_eq!(safe_next(Some("https://evil.example")), "/sites");
        assert_eq!(safe_next(Some("/\\evil.example")), "/sites");
        assert_eq!(safe_next(None), "/sites");
        assert_eq!(next_param("/sites?q=a b"), "/sites%3Fq%3Da%20b");
        assert_eq!(next_param("//evil"), "/");
    }
}
