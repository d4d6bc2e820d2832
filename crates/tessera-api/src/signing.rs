use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A public key the vendor signs licenses with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicKeyInfo {
    /// Named in every signed document so the verifier picks the right key.
    pub key_id: String,
    #[schema(example = "Ed25519")]
    pub algorithm: String,
    /// The 32-byte public key, standard base64.
    pub public_key: String,
    /// The key new documents are signed with. Older unretired keys still verify.
    pub active: bool,
    pub created_at: String,
    /// Set once the key is retired: verifiers no longer trust what it signed.
    pub retired_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicKeys {
    pub keys: Vec<PublicKeyInfo>,
}
