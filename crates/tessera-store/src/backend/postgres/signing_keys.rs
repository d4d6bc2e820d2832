//! The signing keys' SQL: PostgreSQL deployments keep the vendor keys in the database so
//! every instance signs with the same ones (SQLite deployments keep them as files).

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;

use super::sql::audit::audit;
use super::{Conn, Pools, announce};
use crate::changes::SIGNING_KEYS_CHANGED;
use crate::signing_keys::{SigningKeyRecord, SigningKeyRow};
use crate::{Result, StoreError, to_micros};

/// Serializes the instances that create the first key together (transaction-scoped).
const CREATE_KEY_LOCK: i64 = 7_365_190_001;

/// All signing keys, oldest first.
pub(crate) async fn signing_keys(db: &Pools) -> Result<Vec<SigningKeyRow>> {
    Ok(sqlx::query_as::<_, SigningKeyRow>(
        "SELECT key_id, public_key, secret_key, created_at, retired_at FROM signing_keys \
         ORDER BY created_at, key_id",
    )
    .fetch_all(db.read())
    .await?)
}

/// Stores `make()`'s key unless an unretired key exists, under an advisory lock so instances
/// that start together create one key.
pub(crate) async fn ensure_active_signing_key(
    db: &Pools,
    make: impl FnOnce() -> SigningKeyRecord,
) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(CREATE_KEY_LOCK)
        .execute(&mut *tx)
        .await?;
    let active: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM signing_keys WHERE retired_at IS NULL")
            .fetch_one(&mut *tx)
            .await?;
    if active == 0 {
        let key = make();
        insert_key(&mut tx, &key, &Actor::System, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Adds a key (a rotation) and tells every instance to reload its keyring.
pub(crate) async fn add_signing_key(
    db: &Pools,
    key: &SigningKeyRecord,
    actor: &Actor,
) -> Result<()> {
    let mut tx = db.begin().await?;
    insert_key(&mut tx, key, actor, Some("rotation".to_owned())).await?;
    announce(&mut tx, SIGNING_KEYS_CHANGED).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a key retired; `SIGNING_KEY_RETIRED` if it already is.
pub(crate) async fn retire_signing_key(
    db: &Pools,
    key_id: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let retired: Option<Option<i64>> =
        sqlx::query_scalar("SELECT retired_at FROM signing_keys WHERE key_id = $1 FOR UPDATE")
            .bind(key_id)
            .fetch_optional(&mut *tx)
            .await?;
    match retired {
        None => return Err(StoreError::NotFound("signing key")),
        Some(Some(_)) => return Err(StoreError::Conflict(ErrorCode::SigningKeyRetired)),
        Some(None) => {}
    }
    sqlx::query("UPDATE signing_keys SET retired_at = $2 WHERE key_id = $1")
        .bind(key_id)
        .bind(to_micros(now))
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        now,
        actor,
        "signing_key.retired",
        "signing_key",
        key_id,
        None,
    )
    .await?;
    announce(&mut tx, SIGNING_KEYS_CHANGED).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a key and its audit row in the caller's transaction.
async fn insert_key(
    conn: &mut Conn,
    key: &SigningKeyRecord,
    actor: &Actor,
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
    .execute(&mut *conn)
    .await?;
    audit(
        conn,
        key.created_at,
        actor,
        "signing_key.created",
        "signing_key",
        &key.key_id,
        detail,
    )
    .await
}
