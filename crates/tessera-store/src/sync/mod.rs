//! Cloud data sync (G1–G6, docs/sync.md): the collections a product declares, push and
//! pull, the first-sync lease, the site's standing, conflicts. Every change is one
//! transaction that first locks the account's sync row (`sync_accounts`), so versions are
//! given one after another and commit in that order on every backend and instance, and a
//! pull by cursor never skips a change committed later with a smaller version.

mod collections;
mod conflicts;
mod exchange;
pub(crate) mod pull_log;

use jiff::Timestamp;
use serde_json::{Map, Value};
use tessera_core::sync::{Change, Collection, Lease, RecordId};

pub use conflicts::ConflictRecord;

use crate::StoreError;

/// A product's declared collection, with its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionRecord {
    pub id: i64,
    pub collection: Collection,
}

/// One change of a push, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct PushChangeIn {
    pub collection: String,
    pub id: RecordId,
    pub base_version: i64,
    pub change: Change,
}

/// A push batch as the store takes it.
#[derive(Debug, Clone)]
pub struct PushIn<'a> {
    pub account_id: i64,
    pub site_id: &'a str,
    pub batch_id: &'a str,
    /// A hash of the changes: the same batch id with other changes is refused.
    pub request_hash: &'a str,
    pub changes: &'a [PushChangeIn],
}

/// What became of a push as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum PushResult {
    /// Applied (or replayed: `replayed` is set), one outcome per change.
    Done(tessera_api::PushAnswer),
    /// Another site runs its first sync and this one has not finished its own.
    Busy(tessera_core::sync::AnotherSiteSyncing),
    FirstSyncRequired,
    BatchIdReused,
}

/// One record as a pull returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct PulledRow {
    pub collection: String,
    pub record_id: String,
    pub version: i64,
    /// None: deleted.
    pub data: Option<Map<String, Value>>,
    pub origin_site: String,
}

/// A page of a pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PulledPage {
    pub records: Vec<PulledRow>,
    pub next_cursor: i64,
    pub more: bool,
}

/// Where a site's sync stands in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSyncState {
    pub first_synced_at: Option<Timestamp>,
    pub pulled_to: i64,
    pub latest_version: i64,
    pub lease: Option<Lease>,
    pub open_conflicts: u64,
}

/// Where every site of an account stands in the sync, for the overview: the account's
/// newest version and lease, and each connected site's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountSyncState {
    pub latest_version: i64,
    pub lease: Option<Lease>,
    /// Sites holding a cloud token (they exchanged their codes), by public id.
    pub connected: std::collections::BTreeSet<String>,
    /// By public id: (first synced at, pulled to).
    pub progress: std::collections::BTreeMap<String, (Option<Timestamp>, i64)>,
    /// Open conflicts by the public id of the site whose change conflicted.
    pub open_conflicts: std::collections::BTreeMap<String, u64>,
}

/// A record's data as stored (JSON text) back into an object.
pub(crate) fn parse_data(text: Option<String>) -> Result<Option<Map<String, Value>>, StoreError> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("record data: {e}")))
    })
    .transpose()
}

/// A record's data as stored.
pub(crate) fn data_text(data: Option<&Map<String, Value>>) -> Option<String> {
    data.map(|d| Value::Object(d.clone()).to_string())
}
