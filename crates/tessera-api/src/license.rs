use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A signed document (a license or a validation response), verified with the public key
/// `key_id` names; then the base64-decoded `payload` bytes are parsed as JSON. A license's
/// `signature` is over the context string of `type`, a NUL byte and the payload bytes; a
/// validation response is signed in a batch (`batch`): the signature is over the root of a
/// Merkle tree one of whose leaves is the payload. See docs/license-format.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignedDocument {
    /// `tessera-license/v1` or `tessera-validation/v2`.
    #[serde(rename = "type")]
    #[schema(example = "tessera-license/v1")]
    pub kind: String,
    pub key_id: String,
    /// The signed JSON payload, standard base64.
    pub payload: String,
    /// The 64-byte Ed25519 signature, standard base64.
    pub signature: String,
    /// Where the payload sits in the batch the signature covers: validation responses only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchProof>,
}

/// The place of one document in a signed batch: the audit path from its leaf to the signed
/// root of a Merkle tree of `size` leaves (RFC 9162 shape, SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BatchProof {
    /// 16 random bytes the server hashed into this document's leaf (standard base64), so the
    /// hashes other documents' paths show of this one reveal nothing about it.
    pub salt: String,
    /// How many documents the batch holds (signed with the root).
    pub size: u32,
    /// This document's leaf, from 0.
    pub index: u32,
    /// The sibling hashes from the leaf up, each 32 bytes in standard base64.
    pub path: Vec<String>,
}
