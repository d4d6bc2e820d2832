//! One error type for every route: a status, a stable machine-readable `code` and a readable
//! message in a JSON body. Internal errors are logged with their context and reach the client
//! as a bare 500.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tessera_api::ErrorBody;
use tessera_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON at all.
    #[error("{0}")]
    Malformed(String),
    /// 422: well-formed but a field is wrong or missing.
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    #[error("authentication required")]
    Unauthenticated,
    /// 403: signed in, but without the right the route needs (F5); the field names it.
    #[error("this needs the right {0}")]
    Forbidden(tessera_core::rights::Right),
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("too many attempts; retry in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error("the request body is too large")]
    TooLarge,
    #[error("send the body as JSON with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("{0}")]
    Unavailable(&'static str),
    /// Any other status with its own code (401 for a bad signature, 403 for cloud access a
    /// subscription's state refuses, 503 for selling before billing is configured).
    #[error("{message}")]
    Status {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn invalid(code: &'static str, field: &str, message: impl std::fmt::Display) -> Self {
        ApiError::Invalid {
            code,
            message: message.to_string(),
            field: Some(field.to_owned()),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Status { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Malformed(_) => "MALFORMED_JSON",
            ApiError::Invalid { code, .. }
            | ApiError::NotFound { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Status { code, .. } => code,
            ApiError::Unauthenticated => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "RIGHT_REQUIRED",
            ApiError::Throttled { .. } => "TOO_MANY_REQUESTS",
            ApiError::TooLarge => "BODY_TOO_LARGE",
            ApiError::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ApiError::Unavailable(_) => "UNAVAILABLE",
            ApiError::Internal(_) => "INTERNAL",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let field = match &self {
            ApiError::Invalid { field, .. } => field.clone(),
            // The right's name, for programs (the message says it for people).
            ApiError::Forbidden(right) => Some(right.name().to_owned()),
            _ => None,
        };
        let body = ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
            field,
        };
        let mut response = (self.status(), Json(body)).into_response();
        response
            .extensions_mut()
            .insert(crate::oplog::ErrorCode(self.code()));
        match self {
            ApiError::Unauthenticated => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::Throttled { retry_after_secs } => {
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
            StoreError::Conflict("KEY_INVALID") => ApiError::invalid(
                "KEY_INVALID",
                "product_key",
                "the product key is not valid for this request",
            ),
            StoreError::Conflict("RESET_TOKEN_INVALID") => ApiError::invalid(
                "RESET_TOKEN_INVALID",
                "token",
                "the reset token is unknown, used or expired",
            ),
            StoreError::Refused { code, message } => ApiError::Conflict { code, message },
            StoreError::Conflict(code) => ApiError::Conflict {
                code,
                message: conflict_message(code),
            },
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

pub fn not_found(what: &str) -> ApiError {
    let code = match what {
        "product" => "PRODUCT_NOT_FOUND",
        "edition" => "EDITION_NOT_FOUND",
        "size" => "SIZE_NOT_FOUND",
        "batch" => "BATCH_NOT_FOUND",
        "key" => "KEY_NOT_FOUND",
        "site" => "SITE_NOT_FOUND",
        "installation" => "INSTALLATION_NOT_FOUND",
        "account" => "ACCOUNT_NOT_FOUND",
        "signing key" => "SIGNING_KEY_NOT_FOUND",
        "service" => "SERVICE_NOT_FOUND",
        "group" => "GROUP_NOT_FOUND",
        "user" => "USER_NOT_FOUND",
        "plan" => "PLAN_NOT_FOUND",
        "subscription" => "SUBSCRIPTION_NOT_FOUND",
        "order" => "ORDER_NOT_FOUND",
        "invoice" => "INVOICE_NOT_FOUND",
        _ => "NOT_FOUND",
    };
    ApiError::NotFound {
        code,
        message: format!("no such {what}"),
    }
}

fn conflict_message(code: &str) -> String {
    match code {
        "PRODUCT_EXISTS" => "a product with this code exists",
        "EDITION_EXISTS" => "the product has an edition with this code",
        "SIZE_EXISTS" => "the product has a size tier with this code",
        "MODULE_EXISTS" => "the product has a module with this code",
        "BATCH_FULL" => "the batch already holds the keys it was ordered with",
        "KEY_ALREADY_REVOKED" => "the key is already revoked",
        "USERNAME_TAKEN" => "this username is taken",
        "EMAIL_TAKEN" => "an account with this email exists",
        "VAT_NUMBER_TAKEN" => "an account with this VAT number exists",
        "KEY_ALREADY_ACTIVATED" => {
            "the key is activated on another machine; deactivate it there first"
        }
        "TRANSFER_LIMIT_REACHED" => "the key has used all the machine transfers its product allows",
        "SITE_SUSPENDED" => "the installation is suspended; contact the vendor",
        "SITE_NOT_ACTIVE" => "the installation is not bound to a machine",
        "SITE_ALREADY_SUSPENDED" => "the installation is already suspended",
        "SITE_NOT_SUSPENDED" => "the installation is not suspended",
        "SIGNING_KEY_RETIRED" => "the signing key is already retired",
        "SERVICE_EXISTS" => "a service with this code exists",
        "GROUP_EXISTS" => "the account has a group with this name",
        "SERVICE_ALREADY_ON" => "the service is already on at this installation",
        "SERVICE_NOT_ON" => "the service is not on at this installation",
        "EVSE_ID_TAKEN" => "another installation lists one of these charging points",
        "PLAN_EXISTS" => "a plan with this code exists",
        "PLAN_COVERS_NOTHING" => "a plan covers at least one edition and size",
        "PLAN_HAS_NO_TRIAL" => "this plan has no free trial",
        "TRIAL_USED" => "the account has used its free trial; it is given once",
        "TRIAL_AFTER_PURCHASE" => "the account has bought the service; the free trial is over",
        "SUBSCRIPTION_EXPIRED" => "the subscription has expired; renew it to go on",
        "SUBSCRIPTION_MAINTENANCE" => "the subscription is under maintenance",
        "SUBSCRIPTION_BLOCKED" => "the subscription is blocked; contact the vendor",
        "SUBSCRIPTION_DELETED" => "the subscription was deleted",
        "SITE_ALREADY_ENABLED" => "the site is already enabled",
        "SITE_LOCKED_UNTIL_RENEWAL" => {
            "an enabled site stays enabled until the renewal; drop it when you renew"
        }
        "ORDER_ALREADY_PAID" => "the order is already paid",
        "PAYMENT_ID_REUSED" => "this payment id was recorded for another order",
        "EDITION_UNCHANGED" => "the key already has this edition",
        _ => "the change conflicts with the current state",
    }
    .to_owned()
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
                ApiError::Invalid {
                    code: "INVALID_FIELD",
                    message,
                    field,
                }
            }
            JsonRejection::JsonSyntaxError(e) => ApiError::Malformed(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::TooLarge
            }
            other => ApiError::Malformed(other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::Invalid {
            code: "INVALID_PATH",
            message: r.body_text(),
            field: None,
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::Invalid {
            code: "INVALID_QUERY",
            message: r.body_text(),
            field: None,
        }
    }
}

/// Refuses (403, with the reason's code) what a site may not do in the cloud at `now`: its
/// subscription expired, blocked or in maintenance, or its key no longer matching
/// (`CLOUD_LICENSE_MISMATCH`). The cloud client's sync and the site's users both answer to it.
pub fn cloud_standing(access: &tessera_store::CloudAccess, now: jiff::Timestamp) -> ApiResult<()> {
    let Some(code) = access.refusal(now) else {
        return Ok(());
    };
    let message = match code {
        "CLOUD_LICENSE_MISMATCH" => {
            "cloud disabled: license mismatch (the key now has another edition or size than the subscription)".to_owned()
        }
        "CLOUD_NOT_ENABLED" => "the site is not enabled for the cloud".to_owned(),
        other => format!("cloud access refused: {other}"),
    };
    Err(ApiError::Status {
        status: StatusCode::FORBIDDEN,
        code,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::split_serde_error;

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
