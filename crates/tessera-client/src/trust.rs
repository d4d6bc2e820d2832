//! The vendor public keys the client trusts. Several at once, so a key rotation on the server
//! does not break licenses issued before it.
//!
//! Ship the keys with the product (the JSON `GET /api/v1/public-keys` returns, or the base64
//! keys alone). The client never adds keys it hears about at run time: whoever controls the
//! network could otherwise make it trust their own key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};
use tessera_api::PublicKeys;

use crate::errors::{ClientError, Result};

#[derive(Clone, Default)]
pub struct TrustStore {
    keys: Vec<(String, VerifyingKey)>,
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.keys.iter().map(|(id, _)| id))
            .finish()
    }
}

/// The id documents name a key by: the first 8 bytes of the SHA-256 of the 32-byte public
/// key, as 16 lower-case hex digits (docs/license-format.md).
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

impl TrustStore {
    pub fn new() -> Self {
        TrustStore::default()
    }

    /// Trusts one key, given as the server publishes it (32 bytes, standard base64). Returns
    /// its key id.
    pub fn add_base64(&mut self, public_key: &str) -> Result<String> {
        let raw: [u8; 32] = B64
            .decode(public_key.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| ClientError::Config("a public key is 32 bytes in base64".into()))?;
        let key = VerifyingKey::from_bytes(&raw)
            .map_err(|_| ClientError::Config("not an Ed25519 public key".into()))?;
        Ok(self.add(key))
    }

    /// Trusts `key`; returns its key id.
    pub fn add(&mut self, key: VerifyingKey) -> String {
        let id = key_id(&key);
        if self.get(&id).is_none() {
            self.keys.push((id.clone(), key));
        }
        id
    }

    /// The unretired keys of a `GET /api/v1/public-keys` answer. A published key id that
    /// does not match its key is refused rather than silently trusted under another name.
    pub fn from_published(published: &PublicKeys) -> Result<Self> {
        let mut store = TrustStore::new();
        for info in published.keys.iter().filter(|k| k.retired_at.is_none()) {
            if info.algorithm != "Ed25519" {
                return Err(ClientError::Config(format!(
                    "key {} uses {}, not Ed25519",
                    info.key_id, info.algorithm
                )));
            }
            let id = store.add_base64(&info.public_key)?;
            if id != info.key_id {
                return Err(ClientError::Config(format!(
                    "published key id {} does not match its key ({id})",
                    info.key_id
                )));
            }
        }
        Ok(store)
    }

    /// [`TrustStore::from_published`] from the JSON text itself.
    pub fn from_published_json(json: &str) -> Result<Self> {
        let published: PublicKeys = serde_json::from_str(json)
            .map_err(|e| ClientError::Config(format!("public keys JSON: {e}")))?;
        TrustStore::from_published(&published)
    }

    pub fn get(&self, key_id: &str) -> Option<VerifyingKey> {
        self.keys
            .iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, k)| *k)
    }

    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(id, _)| id.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::SigningKey;
    use tessera_api::PublicKeyInfo;

    use super::*;

    fn info(seed: u8, retired: bool) -> PublicKeyInfo {
        let vk = SigningKey::from_bytes(&[seed; 32]).verifying_key();
        PublicKeyInfo {
            key_id: key_id(&vk),
            algorithm: "Ed25519".into(),
            public_key: B64.encode(vk.as_bytes()),
            active: !retired,
            created_at: "2026-01-01T00:00:00Z".into(),
            retired_at: retired.then(|| "2026-02-01T00:00:00Z".into()),
        }
    }

    #[test]
    fn published_keys_are_trusted_except_retired_ones() {
        let published = PublicKeys {
            keys: vec![info(1, false), info(2, false), info(3, true)],
        };
        let store = TrustStore::from_published(&published).unwrap();
        assert!(store.get(&published.keys[0].key_id).is_some());
        assert!(store.get(&published.keys[1].key_id).is_some());
        assert!(store.get(&published.keys[2].key_id).is_none());
        assert_eq!(store.key_ids().count(), 2);
    }

    #[test]
    fn a_key_published_under_another_id_is_refused() {
        let mut lying = info(1, false);
        lying.key_id = "0000000000000000".into();
        let published = PublicKeys { keys: vec![lying] };
        assert!(matches!(
            TrustStore::from_published(&published),
            Err(ClientError::Config(_))
        ));
        assert!(TrustStore::new().add_base64("c2hvcnQ=").is_err());
    }
}
