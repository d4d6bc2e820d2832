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

impl crate::Store {
    /// Records an event that has no other row to commit with (a signing key rotated in the
    /// data directory).
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(action = action, subject_type = subject_type, subject_id = subject_id)
    )]
    pub async fn audit_event(
        &self,
        actor: &tessera_core::Actor,
        action: &str,
        subject_type: &str,
        subject_id: &str,
        detail: Option<String>,
        now: jiff::Timestamp,
    ) -> crate::Result<()> {
        on_backend!(self, |db| sql::audit::audit_event(
            db,
            now,
            actor,
            action,
            subject_type,
            subject_id,
            detail,
        ))
    }
}
