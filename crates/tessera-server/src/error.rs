//! One error type for every route: a status, a stable machine-readable `code` and a readable
//! message in a JSON body. Internal errors are logged with their context and reach the client
//! as a bare 500.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tessera_api::{ErrorBody, ErrorCode};
use tessera_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Refused with a code: the status is the code's, the message says why in words, the
    /// field names the request field it is about, when there is one.
    #[error("{message}")]
    Refused {
        code: ErrorCode,
        message: String,
        field: Option<String>,
    },
    /// 403: cloud access refused for the reason `code` names (the subscription's state, the
    /// site's own license, a license mismatch) — whatever status the code has elsewhere.
    #[error("{message}")]
    Denied { code: ErrorCode, message: String },
    /// Refused for now with `code` (its status), with `Retry-After`: e.g. another site holds
    /// the first-sync lease until then.
    #[error("{message}")]
    Busy {
        code: ErrorCode,
        message: String,
        retry_after_secs: u64,
    },
    /// 401, with `WWW-Authenticate: Bearer`.
    #[error("authentication required")]
    Unauthenticated,
    /// 403: signed in, but without the right the route needs (F5); the field names it.
    #[error("this needs the right {0}")]
    Forbidden(tessera_core::rights::Right),
    /// 429, with `Retry-After`.
    #[error("too many attempts; retry in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A refusal with the code's own message.
impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::refused(code, code.message())
    }
}

impl ApiError {
    /// Refused with `code`, saying why in `message`.
    pub fn refused(code: ErrorCode, message: impl std::fmt::Display) -> Self {
        ApiError::Refused {
            code,
            message: message.to_string(),
            field: None,
        }
    }

    /// A request field is wrong: `code`, the field, and why.
    pub fn invalid(code: ErrorCode, field: &str, message: impl std::fmt::Display) -> Self {
        ApiError::Refused {
            code,
            message: message.to_string(),
            field: Some(field.to_owned()),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Refused { code, .. } | ApiError::Busy { code, .. } => {
                StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ApiError::Denied { .. } | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Refused { code, .. }
            | ApiError::Denied { code, .. }
            | ApiError::Busy { code, .. } => *code,
            ApiError::Unauthenticated => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::RightRequired,
            ApiError::Throttled { .. } => ErrorCode::TooManyRequests,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let field = match &self {
            ApiError::Refused { field, .. } => field.clone(),
            // The right's name, for programs (the message says it for people).
            ApiError::Forbidden(right) => Some(right.name().to_owned()),
            _ => None,
        };
        let body = ErrorBody {
            field,
            ..ErrorBody::new(self.code(), self.to_string())
        };
        let mut response = (self.status(), Json(body)).into_response();
        response.extensions_mut().insert(self.code());
        match self {
            ApiError::Unauthenticated => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::Throttled { retry_after_secs }
            | ApiError::Busy {
                retry_after_secs, ..
            } => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_after_secs.into());
            }
            _ => {}
        }
        response
    }
}

/// What the store's "not found" and conflict codes mean to a caller.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => not_found(what),
            // One answer for unknown, revoked, unregistered and other accounts' keys: a
            // caller learns nothing about which keys exist.
            StoreError::Conflict(code @ ErrorCode::KeyInvalid) => {
                ApiError::invalid(code, "product_key", code.message())
            }
            StoreError::Conflict(code @ ErrorCode::ResetTokenInvalid) => {
                ApiError::invalid(code, "token", code.message())
            }
            StoreError::Refused { code, message } => ApiError::refused(code, message),
            StoreError::Conflict(code) => ApiError::from(code),
            // No database connection came while the request waited for one (all in use, or
            // the database accepted none): it may come again.
            StoreError::NoConnection => {
                tracing::warn!("no database connection within the pool's wait: answered 503");
                ApiError::Busy {
                    code: ErrorCode::Unavailable,
                    message: "the database is not available now; try again shortly".into(),
                    retry_after_secs: 1,
                }
            }
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// The answer for a missing `what` (the store's name for it).
pub fn not_found(what: &str) -> ApiError {
    let code = match what {
        "product" => ErrorCode::ProductNotFound,
        "release" => ErrorCode::ReleaseNotFound,
        "edition" => ErrorCode::EditionNotFound,
        "size" => ErrorCode::SizeNotFound,
        "batch" => ErrorCode::BatchNotFound,
        "key" => ErrorCode::KeyNotFound,
        "site" => ErrorCode::SiteNotFound,
        "installation" => ErrorCode::InstallationNotFound,
        "account" => ErrorCode::AccountNotFound,
        "signing key" => ErrorCode::SigningKeyNotFound,
        "service" => ErrorCode::ServiceNotFound,
        "group" => ErrorCode::GroupNotFound,
        "user" => ErrorCode::UserNotFound,
        "plan" => ErrorCode::PlanNotFound,
        "subscription" => ErrorCode::SubscriptionNotFound,
        "order" => ErrorCode::OrderNotFound,
        "invoice" => ErrorCode::InvoiceNotFound,
        "contact" => ErrorCode::ContactNotFound,
        "conflict" => ErrorCode::ConflictNotFound,
        "collection" => ErrorCode::CollectionNotFound,
        "webhook" => ErrorCode::WebhookNotFound,
        "webhook delivery" => ErrorCode::WebhookDeliveryNotFound,
        _ => ErrorCode::NotFound,
    };
    ApiError::refused(code, format!("no such {what}"))
}

/// `serde_path_to_error` (used by axum) reports "path: message"; take the path as the field.
fn split_serde_error(text: &str) -> (Option<String>, String) {
    let text = text
        .strip_prefix("Failed to deserialize the JSON body into the target type: ")
        .unwrap_or(text);
    let (path, message) = match text.split_once(": ") {
        Some((p, m)) if !p.contains(' ') => (Some(p.to_owned()).filter(|p| p != "."), m.to_owned()),
        _ => (None, text.to_owned()),
    };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned);
    let field = match (path, missing) {
        (Some(p), Some(m)) => Some(format!("{p}.{m}")),
        (None, Some(m)) => Some(m),
        (p, None) => p,
    };
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    (field, message)
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => {
                let (field, message) = split_serde_error(&e.body_text());
                ApiError::Refused {
                    code: ErrorCode::InvalidField,
                    message,
                    field,
                }
            }
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::refused(ErrorCode::MalformedJson, e.body_text())
            }
            JsonRejection::MissingJsonContentType(_) => ErrorCode::UnsupportedMediaType.into(),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ErrorCode::BodyTooLarge.into()
            }
            other => ApiError::refused(ErrorCode::MalformedJson, other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::refused(ErrorCode::InvalidPath, r.body_text())
    }
}

impl From<axum::extract::rejection::RawPathParamsRejection> for ApiError {
    fn from(r: axum::extract::rejection::RawPathParamsRejection) -> Self {
        ApiError::refused(ErrorCode::InvalidPath, r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::refused(ErrorCode::InvalidQuery, r.body_text())
    }
}

/// Refuses (403, with the reason's code) what a site may not do in the cloud at `now`: its
/// subscription expired, blocked, in maintenance or deleted, or its key no longer matching
/// (`CLOUD_LICENSE_MISMATCH`). The cloud client's sync and the site's users both answer to it.
pub fn cloud_standing(access: &tessera_store::CloudAccess, now: jiff::Timestamp) -> ApiResult<()> {
    let Some(code) = access.refusal(now) else {
        return Ok(());
    };
    let message = match code {
        ErrorCode::CloudLicenseMismatch | ErrorCode::CloudNotEnabled => code.message().to_owned(),
        other => format!("cloud access refused: {other}"),
    };
    Err(ApiError::Denied { code, message })
}

#[cfg(test)]
mod tests {
    use axum::response::IntoResponse;

    use super::{ApiError, split_serde_error};

    #[test]
    fn a_request_that_found_no_free_database_connection_may_come_again() {
        let error = ApiError::from(tessera_store::StoreError::NoConnection);
        let response = error.into_response();
        assert_eq!(
            response.status(),
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(response.headers()[axum::http::header::RETRY_AFTER], "1");
        assert_eq!(
            response.extensions().get::<tessera_api::ErrorCode>(),
            Some(&tessera_api::ErrorCode::Unavailable)
        );
    }

    #[test]
    fn field_paths_come_out_of_serde_messages() {
        assert_eq!(
            split_serde_error(
                "Failed to deserialize the JSON body into the target type: missing field `name` at line 1 column 15"
            ),
            (Some("name".into()), "missing field `name`".into())
        );
        assert_eq!(
            split_serde_error(
                "Failed to deserialize the JSON body into the target type: editions[1]: missing field `code` at line 1 column 9"
            ),
            (
                Some("editions[1].code".into()),
                "missing field `code`".into()
            )
        );
        assert_eq!(
            split_serde_error(
                "Failed to deserialize the JSON body into the target type: count: invalid type: string \"x\", expected u32 at line 1 column 9"
            ),
            (
                Some("count".into()),
                "invalid type: string \"x\", expected u32".into()
            )
        );
    }
}
