//! Vendor signing keys (Ed25519). SQLite deployments keep them as owner-only files in the data
//! directory; PostgreSQL deployments keep them in the database so every instance signs with
//! the same key. Each key has an id (the first 8 bytes of the SHA-256 of its public key, hex)
//! that signed documents name, so a verifier picks the right public key after a rotation.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use ed25519_dalek::SigningKey;
use jiff::Timestamp;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tessera_api::PublicKeyInfo;
use tessera_core::{Actor, DocumentKind, SignedDocument};
use tessera_store::{BackendKind, SigningKeyRecord, Store};

#[derive(Clone)]
pub struct VendorKey {
    pub key_id: String,
    pub signing_key: SigningKey,
    pub created_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

/// All vendor keys at one moment, oldest first. The newest unretired key signs; every
/// unretired key verifies.
pub struct KeySet {
    keys: Vec<VendorKey>,
}

impl KeySet {
    /// The key new signatures are made with.
    pub fn active(&self) -> &VendorKey {
        self.keys
            .iter()
            .rev()
            .find(|k| k.retired_at.is_none())
            .expect("a keyring always has an active key")
    }

    pub fn public_keys(&self) -> Vec<PublicKeyInfo> {
        let active = self.active().key_id.clone();
        self.keys
            .iter()
            .map(|k| PublicKeyInfo {
                key_id: k.key_id.clone(),
                algorithm: "Ed25519".into(),
                public_key: B64.encode(k.signing_key.verifying_key().as_bytes()),
                active: k.key_id == active,
                created_at: k.created_at.to_string(),
                retired_at: k.retired_at.map(|t| t.to_string()),
            })
            .collect()
    }

    /// A key set of one new key, for tests.
    #[cfg(test)]
    pub(crate) fn generated() -> Arc<KeySet> {
        Arc::new(KeySet {
            keys: vec![new_key(Timestamp::now())],
        })
    }

    /// Signs `payload` as a `kind` document with the active key.
    pub fn sign(&self, kind: DocumentKind, payload: &[u8]) -> SignedDocument {
        let key = self.active();
        tessera_core::license::sign(kind, &key.key_id, &key.signing_key, payload)
    }
}

/// The vendor keys, swapped whole on rotation. SQLite deployments keep them as files in the
/// data directory; PostgreSQL deployments in the database, where a rotation on one instance
/// reaches the others through the store's change listener.
pub struct Keyring {
    files: Option<KeyFiles>,
    set: RwLock<Arc<KeySet>>,
    loaded_epoch: AtomicU64,
    /// One rotation or retirement at a time within this instance.
    change: tokio::sync::Mutex<()>,
}

/// Why a rotation or retirement was refused.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error("no signing key {0}")]
    NotFound(String),
    #[error("signing key {0} is already retired")]
    AlreadyRetired(String),
    #[error("signing key {0} is the active key; rotate first")]
    Active(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub fn key_id(signing_key: &SigningKey) -> String {
    hex::encode(&Sha256::digest(signing_key.verifying_key().as_bytes())[..8])
}

fn new_key(now: Timestamp) -> VendorKey {
    let signing_key = SigningKey::generate(&mut OsRng);
    VendorKey {
        key_id: key_id(&signing_key),
        signing_key,
        created_at: now,
        retired_at: None,
    }
}

fn to_record(k: &VendorKey) -> SigningKeyRecord {
    SigningKeyRecord {
        key_id: k.key_id.clone(),
        public_key: k.signing_key.verifying_key().to_bytes().to_vec(),
        secret_key: k.signing_key.to_bytes().to_vec(),
        created_at: k.created_at,
        retired_at: k.retired_at,
    }
}

async fn load_from_db(store: &Store) -> anyhow::Result<Vec<VendorKey>> {
    store
        .signing_keys()
        .await?
        .into_iter()
        .map(from_record)
        .collect()
}

impl Keyring {
    /// Loads the keys, creating the first one on first start.
    pub async fn load_or_create(
        store: &Store,
        data_dir: &Path,
        now: Timestamp,
    ) -> anyhow::Result<Keyring> {
        let epoch = store.signing_keys_epoch();
        let (files, keys) = match store.kind() {
            BackendKind::Sqlite => {
                let files = KeyFiles::new(data_dir.join("signing-keys"));
                let keys = files.load_or_create(now)?;
                (Some(files), keys)
            }
            BackendKind::Postgres => {
                let records = store
                    .ensure_active_signing_key(|| to_record(&new_key(now)))
                    .await?;
                let keys = records
                    .into_iter()
                    .map(from_record)
                    .collect::<anyhow::Result<_>>()?;
                (None, keys)
            }
        };
        Ok(Keyring {
            files,
            set: RwLock::new(Arc::new(KeySet { keys })),
            loaded_epoch: AtomicU64::new(epoch),
            change: tokio::sync::Mutex::new(()),
        })
    }

    /// The keys as they are now.
    pub fn current(&self) -> Arc<KeySet> {
        self.set.read().expect("keyring lock").clone()
    }

    /// The keys, reloaded first if another instance changed them (PostgreSQL). The common
    /// case is one atomic load.
    pub async fn fresh(&self, store: &Store) -> anyhow::Result<Arc<KeySet>> {
        let epoch = store.signing_keys_epoch();
        if self.files.is_none() && self.loaded_epoch.load(Ordering::Acquire) != epoch {
            let _guard = self.change.lock().await;
            if self.loaded_epoch.load(Ordering::Acquire) != epoch {
                return self.fresh_locked(store).await;
            }
        }
        Ok(self.current())
    }

    fn replace(&self, keys: Vec<VendorKey>) {
        *self.set.write().expect("keyring lock") = Arc::new(KeySet { keys });
    }

    /// Makes a new key the active one. Older keys keep verifying until retired.
    pub async fn rotate(
        &self,
        store: &Store,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<PublicKeyInfo, KeyringError> {
        let _guard = self.change.lock().await;
        let mut keys = self.fresh_locked(store).await?.keys.clone();
        // Keys are ordered by creation time: a new key must come after every existing one
        // even when the clock has not moved on (or moved back), or an older key would sign.
        let newest = keys.iter().map(|k| k.created_at).max();
        // Whole microseconds: what the database keeps.
        let now = Timestamp::from_microsecond(now.as_microsecond()).expect("in range");
        let created = match newest {
            Some(t) if t >= now => t + jiff::SignedDuration::from_micros(1),
            _ => now,
        };
        let key = new_key(created);
        match &self.files {
            Some(files) => {
                files.write(&key)?;
                store
                    .audit_event(
                        actor,
                        "signing_key.created",
                        "signing_key",
                        &key.key_id,
                        Some("rotation".into()),
                        now,
                    )
                    .await
                    .map_err(anyhow::Error::from)?;
            }
            None => store
                .add_signing_key(&to_record(&key), actor)
                .await
                .map_err(anyhow::Error::from)?,
        }
        let id = key.key_id.clone();
        keys.push(key);
        self.replace(keys);
        let set = self.current();
        Ok(set
            .public_keys()
            .into_iter()
            .find(|k| k.key_id == id)
            .expect("the new key is in the set"))
    }

    /// Stops trusting a key: licenses it signed no longer verify. The active key cannot be
    /// retired (rotate first).
    pub async fn retire(
        &self,
        store: &Store,
        key_id: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<PublicKeyInfo, KeyringError> {
        let _guard = self.change.lock().await;
        let set = self.fresh_locked(store).await?;
        let Some(found) = set.keys.iter().find(|k| k.key_id == key_id) else {
            return Err(KeyringError::NotFound(key_id.to_owned()));
        };
        if found.retired_at.is_some() {
            return Err(KeyringError::AlreadyRetired(key_id.to_owned()));
        }
        if set.active().key_id == key_id {
            return Err(KeyringError::Active(key_id.to_owned()));
        }
        let retired = VendorKey {
            retired_at: Some(now),
            ..found.clone()
        };
        match &self.files {
            Some(files) => {
                files.write(&retired)?;
                store
                    .audit_event(
                        actor,
                        "signing_key.retired",
                        "signing_key",
                        key_id,
                        None,
                        now,
                    )
                    .await
                    .map_err(anyhow::Error::from)?;
            }
            None => store
                .retire_signing_key(key_id, actor, now)
                .await
                .map_err(anyhow::Error::from)?,
        }
        let keys = set
            .keys
            .iter()
            .map(|k| {
                if k.key_id == key_id {
                    retired.clone()
                } else {
                    k.clone()
                }
            })
            .collect();
        self.replace(keys);
        Ok(self
            .current()
            .public_keys()
            .into_iter()
            .find(|k| k.key_id == key_id)
            .expect("the retired key stays listed"))
    }

    /// Reloads from the database (PostgreSQL); a set without an active key is never taken.
    async fn fresh_locked(&self, store: &Store) -> anyhow::Result<Arc<KeySet>> {
        if self.files.is_none() {
            let epoch = store.signing_keys_epoch();
            let keys = load_from_db(store).await?;
            if keys.iter().any(|k| k.retired_at.is_none()) {
                self.replace(keys);
            }
            self.loaded_epoch.store(epoch, Ordering::Release);
        }
        Ok(self.current())
    }
}

fn from_record(r: SigningKeyRecord) -> anyhow::Result<VendorKey> {
    let secret: [u8; 32] = r
        .secret_key
        .as_slice()
        .try_into()
        .context("stored secret key is not 32 bytes")?;
    let signing_key = SigningKey::from_bytes(&secret);
    if key_id(&signing_key) != r.key_id {
        bail!("stored signing key {} does not match its id", r.key_id);
    }
    Ok(VendorKey {
        key_id: r.key_id,
        signing_key,
        created_at: r.created_at,
        retired_at: r.retired_at,
    })
}

/// One JSON file per key in `<data_dir>/signing-keys/`, the directory 0700, the files 0600.
struct KeyFiles {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    key_id: String,
    algorithm: String,
    created_at: Timestamp,
    retired_at: Option<Timestamp>,
    /// The 32-byte Ed25519 secret key, standard base64.
    secret_key: String,
}

impl KeyFiles {
    fn new(dir: PathBuf) -> Self {
        KeyFiles { dir }
    }

    fn load_or_create(&self, now: Timestamp) -> anyhow::Result<Vec<VendorKey>> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let mut keys = self.load()?;
        if keys.iter().all(|k| k.retired_at.is_some()) {
            let key = new_key(now);
            self.write(&key)?;
            keys.push(key);
        }
        Ok(keys)
    }

    fn load(&self) -> anyhow::Result<Vec<VendorKey>> {
        let mut keys = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let path = entry?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let mode = fs::metadata(&path)?.permissions().mode();
            if mode & 0o077 != 0 {
                bail!(
                    "{} is readable by others (mode {:o}); chmod 600 it",
                    path.display(),
                    mode & 0o777
                );
            }
            let file: KeyFile = serde_json::from_slice(&fs::read(&path)?)
                .with_context(|| format!("reading {}", path.display()))?;
            let secret = B64
                .decode(&file.secret_key)
                .context("secret key is not base64")?;
            let key = from_record(SigningKeyRecord {
                key_id: file.key_id,
                public_key: Vec::new(),
                secret_key: secret,
                created_at: file.created_at,
                retired_at: file.retired_at,
            })
            .with_context(|| format!("in {}", path.display()))?;
            keys.push(key);
        }
        keys.sort_by(|a, b| (a.created_at, &a.key_id).cmp(&(b.created_at, &b.key_id)));
        Ok(keys)
    }

    /// Written to a temporary name and renamed, so a crash never leaves half a key.
    fn write(&self, key: &VendorKey) -> anyhow::Result<()> {
        let file = KeyFile {
            key_id: key.key_id.clone(),
            algorithm: "Ed25519".into(),
            created_at: key.created_at,
            retired_at: key.retired_at,
            secret_key: B64.encode(key.signing_key.to_bytes()),
        };
        let path = self.dir.join(format!("{}.json", key.key_id));
        let tmp = self.dir.join(format!(".{}.json.tmp", key.key_id));
        // A crash between create and rename leaves the temporary file behind.
        let _ = fs::remove_file(&tmp);
        let mut out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        out.write_all(&serde_json::to_vec_pretty(&file)?)?;
        out.sync_all()?;
        fs::rename(&tmp, &path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_are_owner_only_and_reload() {
        let dir = tempfile::tempdir().unwrap();
        let files = KeyFiles::new(dir.path().join("signing-keys"));
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let first = files.load_or_create(now).unwrap();
        assert_eq!(first.len(), 1);
        let dir_mode = fs::metadata(dir.path().join("signing-keys"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let file = dir
            .path()
            .join("signing-keys")
            .join(format!("{}.json", first[0].key_id));
        assert_eq!(
            fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let again = files.load_or_create(now).unwrap();
        assert_eq!(again.len(), 1, "an existing active key is reused");
        assert_eq!(
            again[0].signing_key.to_bytes(),
            first[0].signing_key.to_bytes()
        );

        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        let err = files
            .load_or_create(now)
            .err()
            .expect("group-readable key refused");
        assert!(err.to_string().contains("readable by others"), "{err}");
    }
}
