//! The audit log's SQL.

use std::fmt::Display;

use jiff::Timestamp;

use super::{Conn, Pools};
use crate::{Result, to_micros};

/// Appends an audit row inside the caller's transaction, so the record and the change commit
/// or roll back together; an action webhooks carry (X7) is also written as a webhook event,
/// in the same transaction.
pub(crate) async fn audit(
    conn: &mut Conn,
    now: Timestamp,
    actor: impl Display,
    action: &str,
    subject_type: &str,
    subject_id: impl Display,
    detail: Option<String>,
) -> Result<()> {
    let (actor, subject_id) = (actor.to_string(), subject_id.to_string());
    if tessera_core::webhook::is_event(action) {
        let payload = serde_json::json!({
            "subject": {"type": subject_type, "id": subject_id},
            "actor": actor,
            "detail": detail,
        });
        sqlx::query(
            "INSERT INTO webhook_events (kind, subject, payload, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(action)
        .bind(format!("{subject_type}:{subject_id}"))
        .bind(payload.to_string())
        .bind(to_micros(now))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject_type, subject_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(to_micros(now))
    .bind(actor)
    .bind(action)
    .bind(subject_type)
    .bind(subject_id)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// An event with no other row to commit with, in a transaction of its own.
pub(crate) async fn audit_event(
    db: &Pools,
    now: Timestamp,
    actor: impl Display,
    action: &str,
    subject_type: &str,
    subject_id: &str,
    detail: Option<String>,
) -> Result<()> {
    let mut tx = db.begin().await?;
    audit(
        &mut tx,
        now,
        actor,
        action,
        subject_type,
        subject_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
