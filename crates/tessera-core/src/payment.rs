//! The payment provider's confirmation callback (E2) and the numbers of invoices.
//!
//! The provider signs each callback with a secret both sides share: the header
//! `Tessera-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The
//! timestamp is inside the MAC, so an old callback cannot be made fresh, and one older (or
//! further in the future) than the tolerance is refused even with a good MAC. Replays within
//! the tolerance are the store's business: a payment id is recorded once.

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

/// An invoice's number: the year and its gap-free sequence, `2026-000042`.
pub fn invoice_number(year: i16, seq: i64) -> String {
    format!("{year}-{seq:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"shared-with-the-provider";

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).unwrap()
    }

    #[test]
    fn a_fresh_signature_over_the_body_passes() {
        let body = br#"{"payment_id":"P1"}"#;
        let header = sign(SECRET, 1_800_000_000, body);
        assert_eq!(verify(SECRET, &header, body, at(1_800_000_100)), Ok(()));
    }

    #[test]
    fn another_body_secret_or_timestamp_fails() {
        let body = br#"{"payment_id":"P1","amount":36600}"#;
        let header = sign(SECRET, 1_800_000_000, body);
        let now = at(1_800_000_000);
        let other = br#"{"payment_id":"P1","amount":1}"#;
        assert_eq!(
            verify(SECRET, &header, other, now),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify(b"guess", &header, body, now),
            Err(SignatureError::Invalid)
        );
        // The timestamp is signed: moving it breaks the MAC.
        let moved = header.replace("t=1800000000", "t=1800000001");
        assert_eq!(
            verify(SECRET, &moved, body, now),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn an_old_or_future_callback_is_stale() {
        let body = b"{}";
        let header = sign(SECRET, 1_800_000_000, body);
        assert_eq!(
            verify(SECRET, &header, body, at(1_800_000_301)),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(SECRET, &header, body, at(1_799_999_699)),
            Err(SignatureError::Stale)
        );
        assert_eq!(verify(SECRET, &header, body, at(1_800_000_300)), Ok(()));
        for t in [i64::MIN, i64::MAX] {
            let absurd = format!("t={t},v1=00");
            assert_eq!(
                verify(SECRET, &absurd, body, at(1_800_000_000)),
                Err(SignatureError::Stale)
            );
        }
    }

    #[test]
    fn malformed_headers_are_named() {
        for header in ["", "v1=00", "t=1", "t=x,v1=00", "t=1,v1=zz"] {
            assert_eq!(
                verify(SECRET, header, b"", at(1)),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn invoice_numbers_sort_by_year_then_sequence() {
        assert_eq!(invoice_number(2026, 42), "2026-000042");
        assert!(invoice_number(2026, 999) < invoice_number(2026, 1000));
    }
}
