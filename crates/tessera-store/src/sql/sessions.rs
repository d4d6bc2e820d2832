//! Sessions' SQL (the statements per kind are `SessionKind`'s).

use jiff::Timestamp;

use super::Pools;
use crate::sessions::SessionKind;
use crate::{Result, to_micros};

pub(crate) async fn create_session(
    db: &Pools,
    kind: SessionKind,
    principal_id: i64,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(kind.insert_sql())
        .bind(token_hash)
        .bind(principal_id)
        .bind(to_micros(now))
        .bind(to_micros(expires_at))
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

pub(crate) async fn session_principal(
    db: &Pools,
    kind: SessionKind,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(kind.lookup_sql())
        .bind(token_hash)
        .bind(to_micros(now))
        .fetch_optional(db.read())
        .await?)
}

pub(crate) async fn delete_session(db: &Pools, kind: SessionKind, token_hash: &str) -> Result<()> {
    sqlx::query(kind.delete_sql())
        .bind(token_hash)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

pub(crate) async fn purge_expired_sessions(
    db: &Pools,
    kind: SessionKind,
    now: Timestamp,
) -> Result<u64> {
    Ok(sqlx::query(kind.purge_sql())
        .bind(to_micros(now))
        .execute(&mut *db.write().await?)
        .await?
        .rows_affected())
}
