use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A signed document (a license or a validation response). Verify `signature` over the
/// context string of `type`, a NUL byte and the base64-decoded `payload` bytes, with the
/// public key `key_id` names; then parse those same bytes as JSON. See docs/license-format.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignedDocument {
    /// `tessera-license/v1` or `tessera-validation/v1`.
    #[serde(rename = "type")]
    #[schema(example = "tessera-license/v1")]
    pub kind: String,
    pub key_id: String,
    /// The signed JSON payload, standard base64.
    pub payload: String,
    /// The 64-byte Ed25519 signature, standard base64.
    pub signature: String,
}
