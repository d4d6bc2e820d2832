//! A body signed with a secret both sides share (payment callbacks to Tessera, Tessera's
//! webhooks to receivers): the header `Tessera-Signature: t=<unix seconds>,v1=<hex
//! HMAC-SHA256 of "<t>.<body>">`. The timestamp is inside the MAC, so an old body cannot be
//! made fresh, and one older (or further in the future) than the tolerance is refused even
//! with a good MAC.

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The name of the header.
pub const SIGNATURE_HEADER: &str = "tessera-signature";

/// How far a callback's timestamp may be from our clock, in seconds.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is missing or not of the form t=<seconds>,v1=<hex>")]
    Malformed,
    #[error("the signature's timestamp is more than {TOLERANCE_SECS} s from the server's clock")]
    Stale,
    #[error("the signature does not match the body")]
    Invalid,
}

fn mac(secret: &[u8], t: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value for `body` sent at `t` (what the provider computes; tests use it too).
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    format!(
        "t={t},v1={}",
        hex::encode(mac(secret, t, body).finalize().into_bytes())
    )
}

/// Checks a callback's header against its body at `now`. The comparison of MACs takes the
/// same time wherever they differ.
pub fn verify(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: Timestamp,
) -> Result<(), SignatureError> {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.parse::<i64>().ok(),
            Some(("v1", value)) => v1 = hex::decode(value).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(SignatureError::Malformed);
    };
    // Any i64 parses: an absurd time is as stale as an old one, never an overflow.
    if now.as_second().abs_diff(t) > TOLERANCE_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    mac(secret, t, body)
        .verify_slice(&v1)
        .map_err(|_| SignatureError::Invalid)
}
