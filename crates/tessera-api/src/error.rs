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
