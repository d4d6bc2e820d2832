//! Signed documents (C3, D5, D6): the license an activation returns and the response to each
//! validation. The exact format is in `docs/license-format.md`; in short:
//!
//! - the payload is UTF-8 JSON bytes, signed and verified as they are (never re-serialized);
//! - each kind has its own context string, signed ahead of the payload (a license) or of the
//!   batch root (a validation response), so a validation response can never pass as a
//!   license or the other way round;
//! - the envelope names the signing key, so verifiers pick the right public key after a
//!   rotation;
//! - validation responses are signed in batches: one signature over the root of a Merkle
//!   tree ([`crate::merkle`]) whose leaves are the payloads, each response carrying its own
//!   audit path. The server answers many validations at once and makes one signature for all
//!   of them.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::LicenseState;
use crate::merkle::{self, Hash, Tree};

/// The kinds of signed document, each with its own context string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    License,
    Validation,
}

impl DocumentKind {
    /// The `type` field of the envelope.
    pub fn type_name(self) -> &'static str {
        match self {
            DocumentKind::License => "tessera-license/v1",
            DocumentKind::Validation => "tessera-validation/v2",
        }
    }

    /// Whether documents of this kind are signed in batches (see [`sign_batch`]).
    pub fn batched(self) -> bool {
        matches!(self, DocumentKind::Validation)
    }

    /// The bytes signed before the payload: the type name and a NUL.
    pub fn context(self) -> &'static [u8] {
        match self {
            DocumentKind::License => b"tessera-license/v1\0",
            DocumentKind::Validation => b"tessera-validation/v2\0",
        }
    }
}

/// A signed document (a license or a validation response), verified with the public key
/// `key_id` names; then the base64-decoded `payload` bytes are parsed as JSON. A license's
/// `signature` is over the context string of `type`, a NUL byte and the payload bytes; a
/// validation response is signed in a batch (`batch`): the signature is over the root of a
/// Merkle tree one of whose leaves is the payload. See docs/license-format.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedDocument {
    /// `tessera-license/v1` or `tessera-validation/v2`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "tessera-license/v1"))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the document is a {found}, not a {expected}")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    #[error("signed with key {0}, which this verifier does not trust")]
    UnknownKey(String),
    #[error("the payload or signature is not valid base64 of the right length")]
    Encoding,
    #[error("the signature does not match the payload")]
    BadSignature,
    #[error("the signed payload is not the expected JSON: {0}")]
    Payload(String),
}

/// What a batch signature signs before the kind's context, the tree size and the root.
const BATCH_CONTEXT: &[u8] = b"tessera-batch/v1\0";

/// The random bytes hashed into each leaf of a batch.
pub type Salt = [u8; 16];

/// The longest audit path a batch of at most `u32::MAX` documents has.
const MAX_PATH: usize = 32;

/// Signs `payload` as a document of `kind` with the key `key_id` names (a kind signed in
/// batches gets a batch of one).
pub fn sign(kind: DocumentKind, key_id: &str, key: &SigningKey, payload: &[u8]) -> SignedDocument {
    if kind.batched() {
        let salt = rand::random();
        let batch = sign_batch(kind, key, vec![batch_leaf(kind, &salt, payload)]);
        return batch.document(kind, key_id, payload, &salt, 0);
    }
    let context = kind.context();
    let mut message = Vec::with_capacity(context.len() + payload.len());
    message.extend_from_slice(context);
    message.extend_from_slice(payload);
    let signature = key.sign(&message);
    SignedDocument {
        kind: kind.type_name().to_owned(),
        key_id: key_id.to_owned(),
        payload: B64.encode(payload),
        signature: B64.encode(signature.to_bytes()),
        batch: None,
    }
}

/// The leaf of `payload` in a batch of `kind` documents. The salt is fresh random bytes for
/// each document: its neighbours see this leaf's hash in their paths, and without the salt
/// they could test guesses of a payload against it.
pub fn batch_leaf(kind: DocumentKind, salt: &Salt, payload: &[u8]) -> Hash {
    merkle::leaf_hash(&[kind.context(), salt, payload])
}

/// The bytes a batch signature is made over.
fn batch_message(kind: DocumentKind, size: u32, root: &Hash) -> Vec<u8> {
    let mut message = Vec::with_capacity(BATCH_CONTEXT.len() + kind.context().len() + 4 + 32);
    message.extend_from_slice(BATCH_CONTEXT);
    message.extend_from_slice(kind.context());
    message.extend_from_slice(&size.to_be_bytes());
    message.extend_from_slice(root);
    message
}

/// A batch of documents of one kind under one signature.
#[derive(Debug, Clone)]
pub struct SignedBatch {
    tree: Tree,
    /// Standard base64, shared by every document of the batch.
    signature: String,
}

/// Signs the batch of `leaves` (each from [`batch_leaf`], in order). Panics on an empty
/// batch or one of more than `u32::MAX` leaves.
pub fn sign_batch(kind: DocumentKind, key: &SigningKey, leaves: Vec<Hash>) -> SignedBatch {
    let tree = Tree::new(leaves).expect("a batch has at least one document");
    let size = u32::try_from(tree.size()).expect("a batch of at most u32::MAX documents");
    let signature = key.sign(&batch_message(kind, size, &tree.root()));
    SignedBatch {
        tree,
        signature: B64.encode(signature.to_bytes()),
    }
}

impl SignedBatch {
    pub fn size(&self) -> usize {
        self.tree.size()
    }

    /// The envelope of leaf `index`, made by [`batch_leaf`] from `salt` and `payload`.
    pub fn document(
        &self,
        kind: DocumentKind,
        key_id: &str,
        payload: &[u8],
        salt: &Salt,
        index: usize,
    ) -> SignedDocument {
        SignedDocument {
            kind: kind.type_name().to_owned(),
            key_id: key_id.to_owned(),
            payload: B64.encode(payload),
            signature: self.signature.clone(),
            batch: Some(BatchProof {
                salt: B64.encode(salt),
                // Both fit: sign_batch checked the size.
                size: self.tree.size() as u32,
                index: index as u32,
                path: self
                    .tree
                    .path(index)
                    .iter()
                    .map(|h| B64.encode(h))
                    .collect(),
            }),
        }
    }
}

/// Checks `doc` is a `kind` signed by a key `trusted` knows; returns the exact payload bytes.
pub fn verify(
    doc: &SignedDocument,
    kind: DocumentKind,
    trusted: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<Vec<u8>, VerifyError> {
    if doc.kind != kind.type_name() {
        return Err(VerifyError::WrongKind {
            expected: kind.type_name(),
            found: doc.kind.clone(),
        });
    }
    let key = trusted(&doc.key_id).ok_or_else(|| VerifyError::UnknownKey(doc.key_id.clone()))?;
    let payload = B64
        .decode(&doc.payload)
        .map_err(|_| VerifyError::Encoding)?;
    let signature: [u8; 64] = B64
        .decode(&doc.signature)
        .map_err(|_| VerifyError::Encoding)?
        .try_into()
        .map_err(|_| VerifyError::Encoding)?;
    let message = match (kind.batched(), &doc.batch) {
        (false, None) => {
            let mut message = Vec::with_capacity(kind.context().len() + payload.len());
            message.extend_from_slice(kind.context());
            message.extend_from_slice(&payload);
            message
        }
        (true, Some(proof)) => {
            if proof.path.len() > MAX_PATH {
                return Err(VerifyError::Encoding);
            }
            let salt: Salt = B64
                .decode(&proof.salt)
                .ok()
                .and_then(|s| Salt::try_from(s).ok())
                .ok_or(VerifyError::Encoding)?;
            let path = proof
                .path
                .iter()
                .map(|h| {
                    B64.decode(h)
                        .ok()
                        .and_then(|h| Hash::try_from(h).ok())
                        .ok_or(VerifyError::Encoding)
                })
                .collect::<Result<Vec<Hash>, _>>()?;
            let leaf = batch_leaf(kind, &salt, &payload);
            let root =
                merkle::root_from_path(leaf, u64::from(proof.index), u64::from(proof.size), &path)
                    .ok_or(VerifyError::BadSignature)?;
            batch_message(kind, proof.size, &root)
        }
        // A batch proof where none belongs, or none where one must be.
        _ => return Err(VerifyError::BadSignature),
    };
    key.verify(&message, &Signature::from_bytes(&signature))
        .map_err(|_| VerifyError::BadSignature)?;
    Ok(payload)
}

/// [`verify`], check the payload's `key_id` is the envelope's, then parse the verified bytes
/// as `T`.
pub fn open<T: DeserializeOwned>(
    doc: &SignedDocument,
    kind: DocumentKind,
    trusted: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<T, VerifyError> {
    let payload = verify(doc, kind, trusted)?;
    // The key id inside the signed bytes must name the key that signed them.
    #[derive(Deserialize)]
    struct Signer {
        key_id: String,
    }
    let signer: Signer =
        serde_json::from_slice(&payload).map_err(|e| VerifyError::Payload(e.to_string()))?;
    if signer.key_id != doc.key_id {
        return Err(VerifyError::Payload(format!(
            "signed key_id {} differs from the envelope's {}",
            signer.key_id, doc.key_id
        )));
    }
    serde_json::from_slice(&payload).map_err(|e| VerifyError::Payload(e.to_string()))
}

/// What a license grants, as signed (C3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    /// The installation this license belongs to.
    pub site_id: String,
    /// The account's company name.
    pub licensee: String,
    pub product: String,
    pub product_name: String,
    pub edition: String,
    pub edition_name: String,
    pub size: String,
    pub limits: BTreeMap<String, u32>,
    pub modules: Vec<String>,
    /// The size tier's `users` limit, when it has one.
    pub user_count: Option<u32>,
    /// None: does not expire.
    pub expires_at: Option<Timestamp>,
    /// The SHA-256 machine fingerprint the license is bound to.
    pub fingerprint: String,
    pub issued_at: Timestamp,
    /// Without a successful validation by then, the client locks (D2).
    pub check_deadline: Timestamp,
    pub grace_days: u32,
    /// The newest stable release for the edition (X6), when one is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<String>,
    /// The product's minimum supported version (X6): a program below it must be updated
    /// (`UPDATE_REQUIRED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_version: Option<String>,
    /// The version the program needs at least to connect to the cloud (X6, E5): below it
    /// the cloud's code exchange is refused with `UPDATE_REQUIRED`, while the program runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_minimum_version: Option<String>,
    /// Present in a licence answered by file (X1): periodic or perpetual, the request it
    /// answers, and when to revalidate. Absent from online licences, and ignored by clients
    /// that predate it (which follow `check_deadline`, set to match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline: Option<crate::offline::OfflineTerms>,
    /// The signing key, repeated inside the signed bytes.
    pub key_id: String,
}

/// One of the account's installations, as a validation lists them (B4, D5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installation {
    pub site_id: String,
    /// Branch, company or locality: what the customer calls the site.
    pub label: String,
    pub product: String,
    pub edition: String,
    pub status: crate::SiteStatus,
}

/// What a valid license currently grants, as a validation reports it (D5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub product: String,
    pub edition: String,
    pub modules: Vec<String>,
    pub user_count: Option<u32>,
    pub expires_at: Option<Timestamp>,
    /// The client may run without another successful validation until then.
    pub next_check_deadline: Timestamp,
    pub grace_days: u32,
    /// The newest stable release for the edition (X6), when one is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<String>,
    /// The product's minimum supported version (X6): a program below it must be updated
    /// (`UPDATE_REQUIRED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_version: Option<String>,
    /// The version the program needs at least to connect to the cloud (X6, E5): below it
    /// the cloud's code exchange is refused with `UPDATE_REQUIRED`, while the program runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_minimum_version: Option<String>,
}

/// A signed validation response (D5, D6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    pub site_id: String,
    pub state: LicenseState,
    /// The client's nonce, echoed: binds this response to that one request.
    pub nonce: String,
    pub server_time: Timestamp,
    /// Present when the state is `valid`.
    pub grant: Option<Grant>,
    /// The account's installations; empty unless the asking machine is the bound one.
    pub installations: Vec<Installation>,
    pub key_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn signed_payload_verifies_exactly() {
        let k = key(7);
        let payload = br#"{"site_id":"s1"}"#;
        let doc = sign(DocumentKind::License, "k1", &k, payload);
        let trusted = |id: &str| (id == "k1").then(|| k.verifying_key());
        assert_eq!(
            verify(&doc, DocumentKind::License, trusted).unwrap(),
            payload
        );

        let mut flipped = B64.decode(&doc.payload).unwrap();
        flipped[3] ^= 1;
        let tampered = SignedDocument {
            payload: B64.encode(&flipped),
            ..doc.clone()
        };
        assert_eq!(
            verify(&tampered, DocumentKind::License, trusted),
            Err(VerifyError::BadSignature)
        );
        let other_key = SignedDocument {
            key_id: "k2".into(),
            ..doc.clone()
        };
        assert_eq!(
            verify(&other_key, DocumentKind::License, trusted),
            Err(VerifyError::UnknownKey("k2".into()))
        );
    }

    #[test]
    fn every_document_of_a_batch_verifies_alone() {
        let k = key(5);
        let trusted = |id: &str| (id == "k").then(|| k.verifying_key());
        let payloads: Vec<Vec<u8>> = (0..5)
            .map(|i| format!(r#"{{"n":{i}}}"#).into_bytes())
            .collect();
        let salts: Vec<Salt> = (0..5u8).map(|i| [i; 16]).collect();
        let leaves = payloads
            .iter()
            .zip(&salts)
            .map(|(p, salt)| batch_leaf(DocumentKind::Validation, salt, p))
            .collect();
        let batch = sign_batch(DocumentKind::Validation, &k, leaves);
        assert_eq!(batch.size(), 5);
        let docs: Vec<SignedDocument> = payloads
            .iter()
            .zip(&salts)
            .enumerate()
            .map(|(i, (p, salt))| batch.document(DocumentKind::Validation, "k", p, salt, i))
            .collect();
        for (doc, payload) in docs.iter().zip(&payloads) {
            assert_eq!(doc.kind, "tessera-validation/v2");
            assert_eq!(
                verify(doc, DocumentKind::Validation, trusted).as_ref(),
                Ok(payload)
            );
        }
        // One signature for all.
        assert!(docs.iter().all(|d| d.signature == docs[0].signature));

        let doc = &docs[2];
        let proof = doc.batch.clone().unwrap();
        let bad = |changed: SignedDocument| verify(&changed, DocumentKind::Validation, trusted);
        // Another document's payload in this one's place.
        assert_eq!(
            bad(SignedDocument {
                payload: docs[3].payload.clone(),
                ..doc.clone()
            }),
            Err(VerifyError::BadSignature)
        );
        // A flipped byte of the payload or of the path.
        let mut flipped = B64.decode(&doc.payload).unwrap();
        flipped[0] ^= 1;
        assert_eq!(
            bad(SignedDocument {
                payload: B64.encode(&flipped),
                ..doc.clone()
            }),
            Err(VerifyError::BadSignature)
        );
        let mut bent = B64.decode(&proof.path[0]).unwrap();
        bent[7] ^= 1;
        let mut path = proof.path.clone();
        path[0] = B64.encode(&bent);
        let with = |proof: BatchProof| SignedDocument {
            batch: Some(proof),
            ..doc.clone()
        };
        assert_eq!(
            bad(with(BatchProof {
                path,
                ..proof.clone()
            })),
            Err(VerifyError::BadSignature)
        );
        // Another place, another size (signed with the root), a path cut short, another
        // document's salt.
        for wrong in [
            BatchProof {
                index: 3,
                ..proof.clone()
            },
            BatchProof {
                size: 6,
                ..proof.clone()
            },
            BatchProof {
                size: 8,
                ..proof.clone()
            },
            BatchProof {
                path: proof.path[..proof.path.len() - 1].to_vec(),
                ..proof.clone()
            },
            BatchProof {
                path: Vec::new(),
                ..proof.clone()
            },
            BatchProof {
                salt: docs[1].batch.as_ref().unwrap().salt.clone(),
                ..proof.clone()
            },
        ] {
            assert_eq!(
                bad(with(wrong.clone())),
                Err(VerifyError::BadSignature),
                "{wrong:?}"
            );
        }
        // A path element that is not a 32-byte hash, a salt that is not 16 bytes, a path
        // longer than any batch has.
        for malformed in [
            BatchProof {
                path: vec![B64.encode([0u8; 31])],
                ..proof.clone()
            },
            BatchProof {
                salt: B64.encode([0u8; 15]),
                ..proof.clone()
            },
            BatchProof {
                path: vec![B64.encode([0u8; 32]); 33],
                ..proof.clone()
            },
        ] {
            assert_eq!(bad(with(malformed)), Err(VerifyError::Encoding));
        }
        // Without its proof a batched document does not verify.
        assert_eq!(
            bad(SignedDocument {
                batch: None,
                ..doc.clone()
            }),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn a_license_is_never_batched() {
        let k = key(6);
        let trusted = |_: &str| Some(k.verifying_key());
        // A batch signature over a license's leaf, presented as a license, fails: licenses
        // are verified over their payload only.
        let salt = [3; 16];
        let batch = sign_batch(
            DocumentKind::License,
            &k,
            vec![batch_leaf(DocumentKind::License, &salt, b"{}")],
        );
        let doc = batch.document(DocumentKind::License, "k", b"{}", &salt, 0);
        assert_eq!(
            verify(&doc, DocumentKind::License, trusted),
            Err(VerifyError::BadSignature)
        );
        let signed = sign(DocumentKind::License, "k", &k, b"{}");
        assert!(signed.batch.is_none());
        // A validation signed alone is a batch of one.
        let alone = sign(DocumentKind::Validation, "k", &k, b"{}");
        let proof = alone.batch.clone().unwrap();
        assert_eq!((proof.size, proof.index, proof.path.len()), (1, 0, 0));
        assert_eq!(
            verify(&alone, DocumentKind::Validation, trusted).unwrap(),
            b"{}"
        );
        // The signatures themselves keep the kinds apart: a validation without its proof,
        // relabelled as a license, and a license given a proof of one, relabelled as a
        // validation, reach the signature check and fail there.
        let as_license = SignedDocument {
            kind: DocumentKind::License.type_name().into(),
            batch: None,
            ..alone.clone()
        };
        assert_eq!(
            verify(&as_license, DocumentKind::License, trusted),
            Err(VerifyError::BadSignature)
        );
        let as_validation = SignedDocument {
            kind: DocumentKind::Validation.type_name().into(),
            batch: alone.batch.clone(),
            ..signed
        };
        assert_eq!(
            verify(&as_validation, DocumentKind::Validation, trusted),
            Err(VerifyError::BadSignature)
        );
        // Two validations signed alone are salted apart even with the same payload.
        let again = sign(DocumentKind::Validation, "k", &k, b"{}");
        assert_ne!(again.batch, alone.batch);
        assert_ne!(again.signature, alone.signature);
    }

    #[test]
    fn a_validation_never_passes_as_a_license() {
        let k = key(9);
        let doc = sign(DocumentKind::Validation, "k", &k, b"{}");
        let trusted = |_: &str| Some(k.verifying_key());
        assert!(matches!(
            verify(&doc, DocumentKind::License, trusted),
            Err(VerifyError::WrongKind { .. })
        ));
        // Relabelled as a license, the signature no longer matches: the context differs.
        let relabelled = SignedDocument {
            kind: DocumentKind::License.type_name().into(),
            ..doc
        };
        assert_eq!(
            verify(&relabelled, DocumentKind::License, trusted),
            Err(VerifyError::BadSignature)
        );
    }
}
