use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every error response has this body. `code` is stable and meant for programs;
/// `message` is for people and may change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `KEY_CHECKSUM_INVALID`.
    #[schema(example = "KEY_CHECKSUM_INVALID")]
    pub code: String,
    pub message: String,
    /// The request field the error is about, when there is one (`editions[1].code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    /// The body of a refusal with `code` and `message`.
    pub fn new(code: crate::ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code: code.as_str().to_owned(),
            message: message.into(),
            field: None,
        }
    }

    /// The code as a known [`crate::ErrorCode`]; None for one this build does not know.
    pub fn error_code(&self) -> Option<crate::ErrorCode> {
        self.code.parse().ok()
    }
}
