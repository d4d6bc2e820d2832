//! Conflicts (G3): listed with both sides, settled by a person; the decision is written as
//! a new version every site pulls.

use jiff::Timestamp;
use serde_json::{Map, Value};
use tessera_core::Actor;
use tessera_core::sync::Keep;

use crate::{Result, Store};

/// A conflict with both sides: the cloud's record as it is now (while open) or was when
/// the conflict was found (once settled), and the site's.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRecord {
    pub id: i64,
    pub collection: String,
    /// `version` or `identifier`.
    pub kind: String,
    pub field: Option<String>,
    pub value: Option<String>,
    pub site_id: String,
    pub record_id: String,
    pub site_record_id: String,
    pub base_version: i64,
    /// None: the cloud does not hold the record (any more).
    pub cloud_version: Option<i64>,
    pub cloud_data: Option<Map<String, Value>>,
    /// None: the site deleted it.
    pub site_data: Option<Map<String, Value>>,
    pub created_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_version: Option<i64>,
}

impl Store {
    /// The account's conflicts, oldest first (only `site`'s when given; only open ones when
    /// `open_only`), at most 500.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn sync_conflicts(
        &self,
        account_id: i64,
        site: Option<&str>,
        open_only: bool,
    ) -> Result<Vec<ConflictRecord>> {
        on_backend!(self, |db| sql::sync::conflicts::list(
            db.read(),
            account_id,
            site,
            open_only,
            None
        ))
    }

    /// Settles conflict `id` of the account (of `site`'s, when given): NotFound("conflict")
    /// for another account's or site's, `CONFLICT_RESOLVED` when settled already.
    #[tracing::instrument(level = "debug", skip(self, keep, actor))]
    pub async fn resolve_conflict(
        &self,
        account_id: i64,
        site: Option<&str>,
        id: i64,
        keep: Keep,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ConflictRecord> {
        on_backend!(self, |db| sql::sync::conflicts::resolve(
            db, account_id, site, id, keep, actor, now
        ))
    }
}
