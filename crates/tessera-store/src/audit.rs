//! The record of every change: who, what, when, about which subject (A3, I1).

use jiff::Timestamp;

/// One audit row as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: Option<String>,
}

impl TryFrom<AuditRow> for AuditRecord {
    type Error = crate::StoreError;
    fn try_from(r: AuditRow) -> Result<Self, Self::Error> {
        Ok(AuditRecord {
            at: crate::from_micros(r.at)?,
            actor: r.actor,
            action: r.action,
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            detail: r.detail,
        })
    }
}

/// Appends an audit row inside the caller's transaction, so the record and the change commit
/// or roll back together. `audit!(tx, now, actor, "key.revoked", "key", id, Some(detail))`.
macro_rules! audit {
    ($tx:expr, $now:expr, $actor:expr, $action:expr, $subject_type:expr, $subject_id:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject_type, subject_id, detail) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(crate::to_micros($now))
        .bind($actor.to_string())
        .bind($action)
        .bind($subject_type)
        .bind($subject_id.to_string())
        .bind($detail)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use audit;

impl crate::Store {
    /// Records an event that has no other row to commit with (a signing key rotated in the
    /// data directory).
    pub async fn audit_event(
        &self,
        actor: &tessera_core::Actor,
        action: &str,
        subject_type: &str,
        subject_id: &str,
        detail: Option<String>,
        now: jiff::Timestamp,
    ) -> crate::Result<()> {
        in_tx!(self, tx => {
            audit!(tx, now, actor, action, subject_type, subject_id, detail);
        });
        Ok(())
    }
}
