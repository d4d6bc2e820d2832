//! Vendor signing keys kept in the database: the PostgreSQL deployments' key store, so every
//! instance signs with the same keys. (SQLite deployments keep them as files instead.)

use jiff::Timestamp;

use crate::backend::Backend;
use crate::backend::postgres::signing_keys;
use crate::{Result, Store, StoreError, from_micros};

#[derive(Clone, PartialEq, Eq)]
pub struct SigningKeyRecord {
    pub key_id: String,
    pub public_key: Vec<u8>,
    pub secret_key: Vec<u8>,
    pub created_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

impl std::fmt::Debug for SigningKeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyRecord")
            .field("key_id", &self.key_id)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SigningKeyRow {
    key_id: String,
    public_key: Vec<u8>,
    secret_key: Vec<u8>,
    created_at: i64,
    retired_at: Option<i64>,
}

impl TryFrom<SigningKeyRow> for SigningKeyRecord {
    type Error = StoreError;
    fn try_from(r: SigningKeyRow) -> Result<Self> {
        Ok(SigningKeyRecord {
            key_id: r.key_id,
            public_key: r.public_key,
            secret_key: r.secret_key,
            created_at: from_micros(r.created_at)?,
            retired_at: r.retired_at.map(from_micros).transpose()?,
        })
    }
}

impl Store {
    fn postgres_only(&self) -> Result<&crate::backend::postgres::Pools> {
        match &self.backend {
            Backend::Postgres(pools) => Ok(pools),
            Backend::Sqlite(_) => Err(StoreError::Config(
                "signing keys live in the data directory on SQLite".into(),
            )),
        }
    }

    /// All signing keys, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>> {
        let db = self.postgres_only()?;
        let rows = signing_keys::signing_keys(db).await?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Stores `make()`'s key unless an unretired key exists; returns all keys afterwards.
    /// A transaction-scoped advisory lock makes instances that start together create one key.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ensure_active_signing_key(
        &self,
        make: impl FnOnce() -> SigningKeyRecord,
    ) -> Result<Vec<SigningKeyRecord>> {
        let db = self.postgres_only()?;
        signing_keys::ensure_active_signing_key(db, make).await?;
        self.signing_keys().await
    }

    /// Adds a new key (a rotation); every instance reloads its keyring.
    #[tracing::instrument(level = "debug", skip_all, fields(key_id = %key.key_id))]
    pub async fn add_signing_key(
        &self,
        key: &SigningKeyRecord,
        actor: &tessera_core::Actor,
    ) -> Result<()> {
        let db = self.postgres_only()?;
        signing_keys::add_signing_key(db, key, actor).await
    }

    /// Marks a key retired; `SIGNING_KEY_RETIRED` if it already is.
    #[tracing::instrument(level = "debug", skip_all, fields(key_id = key_id))]
    pub async fn retire_signing_key(
        &self,
        key_id: &str,
        actor: &tessera_core::Actor,
        now: Timestamp,
    ) -> Result<()> {
        let db = self.postgres_only()?;
        signing_keys::retire_signing_key(db, key_id, actor, now).await
    }
}
