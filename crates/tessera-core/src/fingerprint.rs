//! What the client proves itself with: a machine fingerprint (a hash, never raw hardware ids)
//! and a fresh nonce per validation (D6).

use std::fmt;

/// A machine fingerprint: the SHA-256 of the machine's id and a vendor salt, as 64 hex digits
/// (stored lower case). The server never sees the hardware ids themselves.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint(String);

/// A client nonce: 16 to 64 random bytes as hex digits (stored lower case). Echoed in the
/// signed validation response so a recorded response cannot be replayed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nonce(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("a fingerprint is a SHA-256 hash: exactly 64 hex digits")]
    Fingerprint,
    #[error("a nonce is 16 to 64 random bytes written as 32 to 128 hex digits")]
    Nonce,
}

fn hex_lower(s: &str) -> Option<String> {
    s.bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then(|| s.to_ascii_lowercase())
}

impl Fingerprint {
    pub fn parse(s: &str) -> Result<Self, ProofError> {
        if s.len() != 64 {
            return Err(ProofError::Fingerprint);
        }
        hex_lower(s).map(Fingerprint).ok_or(ProofError::Fingerprint)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Nonce {
    pub fn parse(s: &str) -> Result<Self, ProofError> {
        if !(32..=128).contains(&s.len()) || !s.len().is_multiple_of(2) {
            return Err(ProofError::Nonce);
        }
        hex_lower(s).map(Nonce).ok_or(ProofError::Nonce)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({}…)", &self.0[..8])
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nonce({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_64_hex_digits_folded_to_lower_case() {
        let upper = "AB".repeat(32);
        assert_eq!(
            Fingerprint::parse(&upper).unwrap().as_str(),
            "ab".repeat(32)
        );
        assert_eq!(
            Fingerprint::parse(&"a".repeat(63)),
            Err(ProofError::Fingerprint)
        );
        assert_eq!(
            Fingerprint::parse(&format!("{}g", "a".repeat(63))),
            Err(ProofError::Fingerprint)
        );
        assert_eq!(
            Fingerprint::parse("machine-serial-12345"),
            Err(ProofError::Fingerprint)
        );
    }

    #[test]
    fn nonces_are_16_to_64_bytes_of_hex() {
        assert!(Nonce::parse(&"0f".repeat(16)).is_ok());
        assert!(Nonce::parse(&"0F".repeat(64)).is_ok());
        assert_eq!(Nonce::parse(&"0f".repeat(15)), Err(ProofError::Nonce));
        assert_eq!(Nonce::parse(&"0f".repeat(65)), Err(ProofError::Nonce));
        assert_eq!(
            Nonce::parse(&format!("{}0", "0f".repeat(16))),
            Err(ProofError::Nonce)
        );
        assert_eq!(Nonce::parse(&"zz".repeat(16)), Err(ProofError::Nonce));
    }
}
