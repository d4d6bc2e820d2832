//! Offline activation by file (X1), for sites without internet access: the request file a
//! site writes, the product's offline policy and the deadlines a licence answered by file
//! carries. No I/O: the client writes and reads the files, the server answers them.
//!
//! The request is not signed (the site has no secret the vendor knows): its digest, a
//! SHA-256 over the canonical body, catches a file edited by hand, truncated or damaged on
//! the way, nothing more. What authorizes an answer is the signed-in superadmin or operator
//! who uploads it and the account's own key and seats, as for an online activation. See
//! docs/offline.md.
//!
//! One request is signed: the **deactivation** a machine licensed by file writes as it
//! removes its licence. Its activation request carried the public half of a key pair only
//! that machine's client can make (`machine_key`); the server kept it with the binding, and
//! releases the installation on a deactivation signed with it.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Fingerprint, Nonce, SignedDocument};

/// The `format` of a request file.
pub const REQUEST_FORMAT: &str = "tessera-offline-request/v1";
/// The `format` of a response file.
pub const RESPONSE_FORMAT: &str = "tessera-offline-response/v1";
/// The `format` of the receipt that answers a deactivation.
pub const RELEASE_FORMAT: &str = "tessera-offline-release/v1";
/// Signed ahead of a deactivation's digest, so the signature is of nothing else.
const SIGNATURE_CONTEXT: &[u8] = b"tessera-offline-deactivation/v1\0";
/// Hashed ahead of the canonical body, so the digest of a request can never be the digest
/// of anything else Tessera hashes.
const DIGEST_CONTEXT: &[u8] = b"tessera-offline-request/v1\0";
/// The fewest hex digits of a request's nonce: 128 random bits.
pub const MIN_NONCE_HEX: usize = 32;
/// The longest interval a periodic offline policy may set.
pub const MAX_CHECK_DAYS: u32 = 3650;

/// The `check_deadline` of a perpetual offline licence: no revalidation ever. A date, not
/// "none", so that clients that predate offline licences (which read `check_deadline` only)
/// keep running too.
pub fn perpetual_deadline() -> Timestamp {
    "9999-01-01T00:00:00Z"
        .parse()
        .expect("a valid constant timestamp")
}

/// How a product's installations may run without internet (X1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OfflinePolicy {
    /// Offline activation is not offered: request files are refused.
    #[default]
    None,
    /// A licence answered by file must be renewed by a revalidation request within
    /// `check_days`; after that the product's grace days run as for a missed online check.
    Periodic { check_days: u32 },
    /// A licence answered by file never needs revalidating (it still ends at its expiry).
    Perpetual,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("offline_policy is none, periodic or perpetual")]
    Kind,
    #[error("a periodic offline policy needs offline_check_days from 1 to 3650, and only it")]
    CheckDays,
}

impl OfflinePolicy {
    /// From the product's stored or requested `offline_policy` and `offline_check_days`.
    pub fn parse(kind: &str, check_days: Option<u32>) -> Result<Self, PolicyError> {
        match (kind.trim(), check_days) {
            ("none", None) => Ok(OfflinePolicy::None),
            ("perpetual", None) => Ok(OfflinePolicy::Perpetual),
            ("periodic", Some(d)) if (1..=MAX_CHECK_DAYS).contains(&d) => {
                Ok(OfflinePolicy::Periodic { check_days: d })
            }
            ("none" | "perpetual" | "periodic", _) => Err(PolicyError::CheckDays),
            _ => Err(PolicyError::Kind),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OfflinePolicy::None => "none",
            OfflinePolicy::Periodic { .. } => "periodic",
            OfflinePolicy::Perpetual => "perpetual",
        }
    }

    pub fn check_days(self) -> Option<u32> {
        match self {
            OfflinePolicy::Periodic { check_days } => Some(check_days),
            _ => None,
        }
    }

    /// The terms of a licence issued by file at `issued_at` under this policy, bound to the
    /// request's `nonce`, and the licence's `check_deadline` (when the client locks without a
    /// newer licence). Periodic: revalidate within `check_days`, lock `grace_days` later.
    /// None for `OfflinePolicy::None`.
    pub fn terms(
        self,
        nonce: &Nonce,
        issued_at: Timestamp,
        grace_days: u32,
    ) -> Option<(OfflineTerms, Timestamp)> {
        let days = |n: u32| SignedDuration::from_hours(24 * i64::from(n));
        match self {
            OfflinePolicy::None => None,
            OfflinePolicy::Perpetual => Some((
                OfflineTerms {
                    policy: OfflineMode::Perpetual,
                    nonce: nonce.as_str().to_owned(),
                    check_days: None,
                    revalidate_by: None,
                    machine_key: None,
                },
                perpetual_deadline(),
            )),
            OfflinePolicy::Periodic { check_days } => {
                let due = issued_at + days(check_days);
                Some((
                    OfflineTerms {
                        policy: OfflineMode::Periodic,
                        nonce: nonce.as_str().to_owned(),
                        check_days: Some(check_days),
                        revalidate_by: Some(due),
                        machine_key: None,
                    },
                    due + days(grace_days),
                ))
            }
        }
    }
}

/// Which offline rule a licence answered by file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OfflineMode {
    Periodic,
    Perpetual,
}

/// What a licence answered by file says about itself (the `offline` field of the signed
/// licence; absent in licences from online activation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineTerms {
    pub policy: OfflineMode,
    /// The nonce of the request this licence answers: the client imports it only while that
    /// request is its pending one.
    pub nonce: String,
    /// The product's interval between revalidations (periodic only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_days: Option<u32>,
    /// Bring a revalidation response by then (periodic only); the grace days run after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revalidate_by: Option<Timestamp>,
    /// The machine key the server keeps for the installation: the client imports the
    /// licence only if it is its own, and signs its deactivation with it. None when the
    /// machine named none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_key: Option<String>,
}

/// What a request file asks for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestKind {
    /// Bind this machine (as an online activation does).
    Activation,
    /// Renew the licence of a machine already bound (a periodic licence's check).
    Revalidation,
    /// Release the installation: the machine removed its licence as it wrote this request,
    /// which is signed with the machine's key.
    Deactivation,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Activation => "activation",
            RequestKind::Revalidation => "revalidation",
            RequestKind::Deactivation => "deactivation",
        }
    }
}

/// The body of a request file: everything the server needs to answer, no secret.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineRequest {
    pub format: String,
    pub kind: RequestKind,
    /// As the customer typed it (the server parses it).
    pub product_key: String,
    /// The account, by exactly one of email or VAT number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
    /// The installation (site id) chosen, when the account has several for the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation: Option<String>,
    pub fingerprint: String,
    /// At least 128 random bits, hex: binds the answer to this one request.
    pub nonce: String,
    /// The program's version, when the host told the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_version: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// The machine's public key (Ed25519, 64 hex digits): an activation names the key its
    /// deactivation will be signed with; a deactivation, the key it is signed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_key: Option<String>,
    /// A deactivation: the nonce of the activation by file whose licence (or its renewal)
    /// it gives up, so that it releases nothing once the machine was activated again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_nonce: Option<String>,
}

/// A request file as written: the body and its digest.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestFile {
    pub request: OfflineRequest,
    /// `sha256:` and 64 hex digits over the context string and the canonical body.
    pub digest: String,
    /// A deactivation only: `ed25519:` and 128 hex digits, the machine key's signature over
    /// a context string and the digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the request file is not a Tessera offline request (damaged or cut short?): {0}")]
    Unreadable(String),
    #[error("the request file is of format {0}, not {REQUEST_FORMAT}")]
    Format(String),
    #[error("the request file was changed after it was written: its digest does not match")]
    Digest,
    #[error("the request's fingerprint is not 64 hex digits")]
    Fingerprint,
    #[error("the request's nonce is not at least 128 random bits in hex")]
    Nonce,
    #[error("the request names its account by exactly one of email or VAT number")]
    AccountRef,
    #[error("a deactivation is signed with the machine key it names; this one is not")]
    Signature,
    #[error("the machine key is not an Ed25519 public key in 64 hex digits")]
    MachineKey,
    #[error("a deactivation names the nonce of the activation whose licence it gives up")]
    ActivationNonce,
}

/// Whether `text` is an Ed25519 public key as a request carries it.
pub fn valid_machine_key(text: &str) -> bool {
    verifying_key(text).is_some()
}

fn verifying_key(text: &str) -> Option<VerifyingKey> {
    if text.len() != 64 || text.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    hex::decode(text)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
}

/// The key pair a machine licensed by file signs its deactivation with, made from 32 bytes
/// only its client can derive (the client library derives them from its state key, so no
/// secret is ever written down and the same machine always has the same key).
pub struct MachineKey(SigningKey);

impl MachineKey {
    pub fn from_seed(seed: [u8; 32]) -> Self {
        MachineKey(SigningKey::from_bytes(&seed))
    }

    /// The public half, as a request carries it: 64 hex digits.
    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().as_bytes())
    }

    fn sign(&self, digest: &str) -> String {
        let signature = self.0.sign(&signed_message(digest));
        format!("ed25519:{}", hex::encode(signature.to_bytes()))
    }
}

fn signed_message(digest: &str) -> Vec<u8> {
    [SIGNATURE_CONTEXT, digest.as_bytes()].concat()
}

/// Whether `file`'s signature is `public_hex`'s over its digest (a deactivation's proof
/// that the machine bound by file wrote it).
pub fn signed_by(file: &RequestFile, public_hex: &str) -> bool {
    let Some(sig) = file
        .signature
        .as_deref()
        .and_then(|s| s.strip_prefix("ed25519:"))
    else {
        return false;
    };
    let key = verifying_key(public_hex);
    let sig = hex::decode(sig)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b));
    match (key, sig) {
        (Some(key), Some(sig)) => key
            .verify_strict(&signed_message(&file.request.digest()), &sig)
            .is_ok(),
        _ => false,
    }
}

impl OfflineRequest {
    /// The canonical body: compact JSON with the fields in their declared order.
    fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a request serializes")
    }

    /// The digest of the canonical body, as the file carries it.
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        h.update(DIGEST_CONTEXT);
        h.update(self.canonical());
        format!("sha256:{}", hex::encode(h.finalize()))
    }

    /// The request file's bytes (pretty JSON, for people who look at it before carrying it).
    pub fn to_file(&self) -> Vec<u8> {
        self.file(None)
    }

    /// A deactivation's file, signed with the machine's key (whose public half the request
    /// names).
    pub fn to_signed_file(&self, key: &MachineKey) -> Vec<u8> {
        self.file(Some(key))
    }

    fn file(&self, key: Option<&MachineKey>) -> Vec<u8> {
        let digest = self.digest();
        let file = RequestFile {
            request: self.clone(),
            signature: key.map(|k| k.sign(&digest)),
            digest,
        };
        let mut out = serde_json::to_vec_pretty(&file).expect("a request file serializes");
        out.push(b'\n');
        out
    }

    /// The checked fingerprint.
    pub fn fingerprint(&self) -> Result<Fingerprint, RequestError> {
        Fingerprint::parse(&self.fingerprint).map_err(|_| RequestError::Fingerprint)
    }

    /// The checked nonce (at least 128 bits).
    pub fn nonce(&self) -> Result<Nonce, RequestError> {
        if self.nonce.len() < MIN_NONCE_HEX {
            return Err(RequestError::Nonce);
        }
        Nonce::parse(&self.nonce).map_err(|_| RequestError::Nonce)
    }
}

/// Reads a request file: its format, its digest, its fingerprint, nonce and account
/// reference. A file edited by hand, cut short or damaged is refused here.
/// A deactivation's signature is not checked here (the client keeps its own deactivation
/// unsigned until the licence is deleted); [`parse_request_file`] checks it.
pub fn parse_request(bytes: &[u8]) -> Result<OfflineRequest, RequestError> {
    read_request_file(bytes, false).map(|f| f.request)
}

/// As [`parse_request`], with the file's signature: a deactivation must carry the machine
/// key it names and be signed with it (whether that key is the one the server kept for the
/// machine is the server's to check, with [`signed_by`]).
pub fn parse_request_file(bytes: &[u8]) -> Result<RequestFile, RequestError> {
    read_request_file(bytes, true)
}

fn read_request_file(bytes: &[u8], signed: bool) -> Result<RequestFile, RequestError> {
    let file: RequestFile =
        serde_json::from_slice(bytes).map_err(|e| RequestError::Unreadable(e.to_string()))?;
    let request = &file.request;
    if request.format != REQUEST_FORMAT {
        return Err(RequestError::Format(request.format.clone()));
    }
    let expected = request.digest();
    let given = file.digest.trim().to_ascii_lowercase();
    if given != expected {
        return Err(RequestError::Digest);
    }
    request.fingerprint()?;
    request.nonce()?;
    if request.email.is_some() == request.vat_number.is_some() {
        return Err(RequestError::AccountRef);
    }
    if request
        .machine_key
        .as_deref()
        .is_some_and(|k| !valid_machine_key(k))
    {
        return Err(RequestError::MachineKey);
    }
    if request.kind == RequestKind::Deactivation {
        if request
            .activation_nonce
            .as_deref()
            .is_none_or(str::is_empty)
        {
            return Err(RequestError::ActivationNonce);
        }
        if !signed {
            return Ok(file);
        }
        let named = request.machine_key.as_deref().unwrap_or_default();
        if !signed_by(&file, named) {
            return Err(RequestError::Signature);
        }
    }
    Ok(file)
}

/// The receipt that answers a deactivation: the installation is released.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseReceipt {
    pub format: String,
    pub site_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub released_at: Timestamp,
}

impl ReleaseReceipt {
    pub fn new(site_id: String, released_at: Timestamp) -> Self {
        ReleaseReceipt {
            format: RELEASE_FORMAT.to_owned(),
            site_id,
            released_at,
        }
    }

    pub fn to_file(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("a receipt serializes");
        out.push(b'\n');
        out
    }
}

/// A response file: the signed licence that answers one request, and which installation it
/// is (for people; the client trusts the signed licence only).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseFile {
    pub format: String,
    pub site_id: String,
    pub license: SignedDocument,
}

impl ResponseFile {
    pub fn new(site_id: String, license: SignedDocument) -> Self {
        ResponseFile {
            format: RESPONSE_FORMAT.to_owned(),
            site_id,
            license,
        }
    }

    pub fn to_file(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("a response file serializes");
        out.push(b'\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> OfflineRequest {
        OfflineRequest {
            format: REQUEST_FORMAT.into(),
            kind: RequestKind::Activation,
            product_key: "U7A3-3D27-H9WC-F484".into(),
            email: Some("jack@example.com".into()),
            vat_number: None,
            installation: None,
            fingerprint: "a".repeat(64),
            nonce: "0123456789abcdef".repeat(2),
            client_version: Some("2.1.0".into()),
            created_at: "2026-12-06T10:00:00Z".parse().unwrap(),
            machine_key: None,
            activation_nonce: None,
        }
    }

    #[test]
    fn a_deactivation_reads_back_only_signed_by_the_key_it_names() {
        let key = MachineKey::from_seed([7; 32]);
        let mut r = request();
        r.kind = RequestKind::Deactivation;
        r.machine_key = Some(key.public_hex());
        r.activation_nonce = Some("ab".repeat(16));
        let bytes = r.to_signed_file(&key);
        let file = parse_request_file(&bytes).unwrap();
        assert_eq!(file.request, r);
        assert!(signed_by(&file, &key.public_hex()));
        // Another machine's key: the signature does not verify against the key kept.
        let other = MachineKey::from_seed([8; 32]);
        assert!(!signed_by(&file, &other.public_hex()));
        // Unsigned, signed by another key than the one named, or the key swapped after
        // signing (and the digest written again): refused.
        assert_eq!(
            parse_request_file(&r.to_file()),
            Err(RequestError::Signature)
        );
        assert_eq!(
            parse_request_file(&r.to_signed_file(&other)),
            Err(RequestError::Signature)
        );
        let mut swapped = r.clone();
        swapped.machine_key = Some(other.public_hex());
        let text = String::from_utf8(bytes.clone())
            .unwrap()
            .replace(&r.digest(), &swapped.digest());
        let text = text.replace(&key.public_hex(), &other.public_hex());
        assert_eq!(
            parse_request_file(text.as_bytes()),
            Err(RequestError::Signature)
        );
        // Other kinds need no signature.
        assert!(
            parse_request_file(&request().to_file())
                .unwrap()
                .signature
                .is_none()
        );
        // A deactivation names the licence it gives up; a key is a key.
        let mut nameless = r.clone();
        nameless.activation_nonce = None;
        assert_eq!(
            parse_request_file(&nameless.to_signed_file(&key)),
            Err(RequestError::ActivationNonce)
        );
        let mut odd = request();
        odd.machine_key = Some("zz".repeat(32));
        assert_eq!(
            parse_request_file(&odd.to_file()),
            Err(RequestError::MachineKey)
        );
        odd.machine_key = Some(key.public_hex().to_uppercase());
        assert_eq!(
            parse_request_file(&odd.to_file()),
            Err(RequestError::MachineKey)
        );
    }

    #[test]
    fn a_written_request_reads_back() {
        let r = request();
        assert_eq!(parse_request(&r.to_file()).unwrap(), r);
        // Layout does not matter, only the values: the digest is over the canonical body.
        let text = String::from_utf8(r.to_file())
            .unwrap()
            .replace("\n  ", "\n\t");
        assert_eq!(parse_request(text.as_bytes()).unwrap(), r);
    }

    #[test]
    fn an_edited_cut_or_foreign_request_is_refused() {
        let text = String::from_utf8(request().to_file()).unwrap();
        let edited = text.replace(&"a".repeat(64), &"b".repeat(64));
        assert_eq!(parse_request(edited.as_bytes()), Err(RequestError::Digest));
        let other_key = text.replace("H9WC", "H9WD");
        assert_eq!(
            parse_request(other_key.as_bytes()),
            Err(RequestError::Digest)
        );
        assert!(matches!(
            parse_request(&text.as_bytes()[..text.len() / 2]),
            Err(RequestError::Unreadable(_))
        ));
        let extra = text.replacen("{", "{\"seats\": 99,", 1);
        assert!(matches!(
            parse_request(extra.as_bytes()),
            Err(RequestError::Unreadable(_))
        ));
        // A consistent file with a short nonce or two account references is refused too.
        let mut weak = request();
        weak.nonce = "ab".repeat(8);
        assert_eq!(parse_request(&weak.to_file()), Err(RequestError::Nonce));
        let mut both = request();
        both.vat_number = Some("IT01234567897".into());
        assert_eq!(
            parse_request(&both.to_file()),
            Err(RequestError::AccountRef)
        );
        let mut foreign = request();
        foreign.format = "tessera-offline-request/v9".into();
        assert!(matches!(
            parse_request(&foreign.to_file()),
            Err(RequestError::Format(_))
        ));
    }

    #[test]
    fn policies_parse_and_set_the_deadlines() {
        assert_eq!(OfflinePolicy::parse("none", None), Ok(OfflinePolicy::None));
        assert_eq!(
            OfflinePolicy::parse("periodic", Some(90)),
            Ok(OfflinePolicy::Periodic { check_days: 90 })
        );
        assert_eq!(
            OfflinePolicy::parse("periodic", None),
            Err(PolicyError::CheckDays)
        );
        assert_eq!(
            OfflinePolicy::parse("perpetual", Some(3)),
            Err(PolicyError::CheckDays)
        );
        assert_eq!(OfflinePolicy::parse("weekly", None), Err(PolicyError::Kind));

        let nonce = Nonce::parse(&"ab".repeat(16)).unwrap();
        let at: Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
        assert!(OfflinePolicy::None.terms(&nonce, at, 10).is_none());
        let (terms, lock) = OfflinePolicy::Periodic { check_days: 90 }
            .terms(&nonce, at, 10)
            .unwrap();
        assert_eq!(terms.policy, OfflineMode::Periodic);
        assert_eq!(
            terms.revalidate_by,
            Some("2027-03-06T10:00:00Z".parse().unwrap())
        );
        assert_eq!(lock, "2027-03-16T10:00:00Z".parse().unwrap());
        let (terms, lock) = OfflinePolicy::Perpetual.terms(&nonce, at, 10).unwrap();
        assert_eq!(
            (terms.policy, terms.revalidate_by),
            (OfflineMode::Perpetual, None)
        );
        assert_eq!(lock, perpetual_deadline());
    }
}
