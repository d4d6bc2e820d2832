//! Operator accounts' SQL.

use jiff::Timestamp;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use crate::operators::OperatorRecord;
use crate::{Result, to_micros};

/// True if this call created the operator.
pub(crate) async fn create_operator_if_absent(
    db: &Pools,
    username: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO operators (username, password_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (username) DO NOTHING",
    )
    .bind(username)
    .bind(password_hash)
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        let action = "operator.created";
        audit(
            &mut tx,
            now,
            Actor::System,
            action,
            "operator",
            username,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(inserted)
}

pub(crate) async fn operator_by_username(
    db: &Pools,
    username: &str,
) -> Result<Option<OperatorRecord>> {
    Ok(sqlx::query_as::<_, OperatorRecord>(
        "SELECT id, username, password_hash FROM operators WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(db.read())
    .await?)
}

pub(crate) async fn operator(db: &Pools, id: i64) -> Result<Option<OperatorRecord>> {
    Ok(sqlx::query_as::<_, OperatorRecord>(
        "SELECT id, username, password_hash FROM operators WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.read())
    .await?)
}
