//! Vendor signing keys kept in the database: the PostgreSQL deployments' key store, so every
//! instance signs with the same keys. (SQLite deployments keep them as files instead.)

use jiff::Timestamp;

use crate::{Backend, Result, Store, StoreError, from_micros, to_micros};

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
struct SigningKeyRow {
    key_id: String,
    public_key: Vec<u8>,
    secret_key: Vec<u8>,
    created_at: i64,
    retired_at: Option<i64>,
}

impl Store {
    fn postgres_only(&self) -> Result<&sqlx::PgPool> {
        match &self.backend {
            Backend::Postgres(pool) => Ok(pool),
            Backend::Sqlite { .. } => Err(StoreError::Config(
                "signing keys live in the data directory on SQLite".into(),
            )),
        }
    }

    /// All signing keys, oldest first.
    pub async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>> {
        let pool = self.postgres_only()?;
        let rows = sqlx::query_as::<_, SigningKeyRow>(
            "SELECT key_id, public_key, secret_key, created_at, retired_at FROM signing_keys \
             ORDER BY created_at, key_id",
        )
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(SigningKeyRecord {
                    key_id: r.key_id,
                    public_key: r.public_key,
                    secret_key: r.secret_key,
                    created_at: from_micros(r.created_at)?,
                    retired_at: r.retired_at.map(from_micros).transpose()?,
                })
            })
            .collect()
    }

    /// Stores `make()`'s key unless an unretired key exists; returns all keys afterwards.
    /// A transaction-scoped advisory lock makes instances that start together create one key.
    pub async fn ensure_active_signing_key(
        &self,
        make: impl FnOnce() -> SigningKeyRecord,
    ) -> Result<Vec<SigningKeyRecord>> {
        let pool = self.postgres_only()?;
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(7365190001)")
            .execute(&mut *tx)
            .await?;
        let active: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM signing_keys WHERE retired_at IS NULL")
                .fetch_one(&mut *tx)
                .await?;
        if active == 0 {
            let key = make();
            insert_key(&mut tx, &key, &tessera_core::Actor::System, None).await?;
        }
        tx.commit().await?;
        self.signing_keys().await
    }

    /// Adds a new key (a rotation); every instance reloads its keyring.
    pub async fn add_signing_key(
        &self,
        key: &SigningKeyRecord,
        actor: &tessera_core::Actor,
    ) -> Result<()> {
        let pool = self.postgres_only()?;
        let mut tx = pool.begin().await?;
        insert_key(&mut tx, key, actor, Some("rotation".to_owned())).await?;
        crate::sites::announce!(self, tx, SIGNING_KEYS_CHANGED);
        tx.commit().await?;
        Ok(())
    }

    /// Marks a key retired; `SIGNING_KEY_RETIRED` if it already is.
    pub async fn retire_signing_key(
        &self,
        key_id: &str,
        actor: &tessera_core::Actor,
        now: Timestamp,
    ) -> Result<()> {
        let pool = self.postgres_only()?;
        let mut tx = pool.begin().await?;
        let retired: Option<Option<i64>> =
            sqlx::query_scalar("SELECT retired_at FROM signing_keys WHERE key_id = $1 FOR UPDATE")
                .bind(key_id)
                .fetch_optional(&mut *tx)
                .await?;
        match retired {
            None => return Err(StoreError::NotFound("signing key")),
            Some(Some(_)) => return Err(StoreError::Conflict("SIGNING_KEY_RETIRED")),
            Some(None) => {}
        }
        sqlx::query("UPDATE signing_keys SET retired_at = $2 WHERE key_id = $1")
            .bind(key_id)
            .bind(to_micros(now))
            .execute(&mut *tx)
            .await?;
        crate::audit::audit!(
            tx,
            now,
            actor,
            "signing_key.retired",
            "signing_key",
            key_id,
            None::<String>
        );
        crate::sites::announce!(self, tx, SIGNING_KEYS_CHANGED);
        tx.commit().await?;
        Ok(())
    }

    /// Changes to the signing keys seen by this instance (its own and, on PostgreSQL, other
    /// instances' through the change listener): a keyring reloads when it moves.
    pub fn signing_keys_epoch(&self) -> u64 {
        self.keys_epoch.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn signing_keys_changed(&self) {
        self.keys_epoch
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Stores a key and its audit row in the caller's transaction.
async fn insert_key(
    tx: &mut sqlx::PgConnection,
    key: &SigningKeyRecord,
    actor: &tessera_core::Actor,
    detail: Option<String>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO signing_keys (key_id, public_key, secret_key, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(&key.key_id)
    .bind(&key.public_key)
    .bind(&key.secret_key)
    .bind(to_micros(key.created_at))
    .execute(&mut *tx)
    .await?;
    crate::audit::audit!(
        tx,
        key.created_at,
        actor,
        "signing_key.created",
        "signing_key",
        key.key_id,
        detail
    );
    Ok(())
}

/// The change-channel payload that says "reload the signing keys".
pub(crate) const SIGNING_KEYS_CHANGED: &str = "signing_keys";
