//! Cloud data sync on the client (G1–G6, E7; docs/sync.md, "The client").
//!
//! - [`Client::activate_cloud`] exchanges the site's emailed codes for its cloud token,
//!   after the data check ([`Client::check_data`]: the collection rules run here on the
//!   host's records, the vendor's own checks, and the server's dry run); the token is kept
//!   in the state file.
//! - The host records its changes with [`Client::record`]: into a durable outbox
//!   ([`outbox`]), fsynced before the call returns. [`Client::push`] sends them in batches
//!   whose id is on disk before they go, so a resend after a crash or a lost answer is the
//!   same batch and the server changes nothing twice.
//! - [`Client::pull`] pages through the cloud's changes after the saved cursor, handing each
//!   page to the host ([`SyncHost::apply`]) and saving the cursor only after the host took
//!   it; [`Client::restore`] pulls from the beginning.
//! - [`Client::first_sync`] runs the exclusive first sync: start (waiting out another
//!   site's lease), pull, push while renewing the lease, finish.
//! - [`Client::sync_status`] says where the site stands, with the reason of an error.
//!
//! [`Client::activate_cloud`]: crate::Client::activate_cloud
//! [`Client::check_data`]: crate::Client::check_data
//! [`Client::record`]: crate::Client::record
//! [`Client::push`]: crate::Client::push
//! [`Client::pull`]: crate::Client::pull
//! [`Client::restore`]: crate::Client::restore
//! [`Client::first_sync`]: crate::Client::first_sync
//! [`Client::sync_status`]: crate::Client::sync_status

mod check;
mod cloud;
mod local;
pub mod outbox;
mod run;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tessera_api::{CollectionDecl, PushChange};
use tessera_core::sync::RecordId;
use tessera_core::sync::collection::record_data;

pub use check::{Finding, FindingSource, PreCheck, VendorCheck};
pub use cloud::CloudActivated;
pub use local::ConflictNote;
pub use run::{
    FirstSyncReport, OutboxBatch, PullReport, PushReport, RefusedChange, Renamed, SyncStatus,
};
pub use tessera_api::{CheckRecord as LocalRecord, PulledRecord};
pub use tessera_core::sync::SyncState;

use crate::errors::{ClientError, Result};
use local::SyncLocal;
use outbox::Outbox;

/// How the client syncs; the defaults suit the server's defaults.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// Where the outbox and the sync state live; default: beside the state file, named
    /// after it with the extension `sync` (`license.state` → `license.sync/`).
    pub dir: Option<PathBuf>,
    /// The product's collections as declared in the catalog, shipped with the product, so
    /// the data check can run the collection rules locally over all records before the
    /// cloud token exists. Empty: the ones fetched after the code exchange, if any; the
    /// server's dry run checks them in any case.
    pub collections: Vec<CollectionDecl>,
    /// Changes per push (the server takes at most 500).
    pub batch_changes: usize,
    /// About this many bytes of JSON per push or data-check call, under the server's body
    /// limit (`max_body_bytes`, 256 KiB by default) with room for what the estimate leaves
    /// out; a single bigger change still goes alone.
    pub batch_bytes: usize,
    /// Records per pull page (1–500).
    pub page: u32,
    /// Renew the first-sync lease (120 s) when this much time has passed since the last.
    pub renew_every: Duration,
    /// How long a first sync waits for another site's to end (`ANOTHER_SITE_SYNCING`),
    /// retrying after the server's `Retry-After`; longer waits fail at once.
    pub max_wait: Duration,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            dir: None,
            collections: Vec::new(),
            batch_changes: 500,
            batch_bytes: 192 * 1024,
            page: 500,
            renew_every: Duration::from_secs(30),
            max_wait: Duration::from_secs(600),
        }
    }
}

/// One change the host made to its data: the whole record (`data`), or its deletion
/// (`data: None`), based on the version of the record it was made from (0 for a record the
/// cloud never gave it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub collection: String,
    pub id: String,
    pub base_version: i64,
    /// The record, a JSON object; `None` deletes it.
    pub data: Option<Value>,
}

impl Change {
    pub fn upsert(
        collection: impl Into<String>,
        id: impl Into<String>,
        base_version: i64,
        data: Value,
    ) -> Change {
        Change {
            collection: collection.into(),
            id: id.into(),
            base_version,
            data: Some(data),
        }
    }

    pub fn delete(
        collection: impl Into<String>,
        id: impl Into<String>,
        base_version: i64,
    ) -> Change {
        Change {
            collection: collection.into(),
            id: id.into(),
            base_version,
            data: None,
        }
    }

    /// Refuses what the server would refuse for the whole batch (so the outbox never holds
    /// a batch the cloud cannot take): an id of 1–128 characters, data a JSON object of at
    /// most 64 KiB, a version of 0 or more, a collection named.
    pub(crate) fn check(&self) -> Result<()> {
        let invalid = |why: String| {
            ClientError::ChangeInvalid(format!("{} {}: {why}", self.collection, self.id))
        };
        let name = self.collection.trim();
        if name.is_empty() || name.len() > 64 {
            return Err(invalid("a collection name is 1 to 64 characters".into()));
        }
        RecordId::parse(&self.id).map_err(|e| invalid(e.to_string()))?;
        if self.base_version < 0 {
            return Err(invalid("a base version is 0 or more".into()));
        }
        if let Some(data) = &self.data {
            record_data(data.clone()).map_err(|e| invalid(e.to_string()))?;
        }
        Ok(())
    }

    pub(crate) fn approx_json_len(&self) -> usize {
        let data = self
            .data
            .as_ref()
            .map_or(4, |d| serde_json::to_string(d).map_or(0, |s| s.len()));
        data + self.collection.len() + self.id.len() + 64
    }

    pub(crate) fn to_wire(&self) -> PushChange {
        PushChange {
            collection: self.collection.clone(),
            id: self.id.clone(),
            base_version: self.base_version,
            data: self.data.clone(),
            deleted: self.data.is_none(),
        }
    }
}

/// What became of a pushed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The cloud took it as `version`: base the record's next change on it.
    Applied { version: i64 },
    /// The cloud held exactly this already, as `version`.
    Unchanged { version: i64 },
    /// In a first sync, the cloud holds the same record under `cloud_id`: take that id
    /// (point local references at it) and drop this one.
    SameAs { cloud_id: String, version: i64 },
    /// Left for a person to decide in the web application; the decision comes back as a
    /// new version by a pull.
    Conflict { conflict_id: i64 },
    /// Refused (`REQUIRED_FIELD_MISSING`, `UNIQUE_VALUE_TAKEN`, …): fix the record and
    /// record it again.
    Refused { code: String, message: String },
}

/// One change of a batch with what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pushed {
    pub change: Change,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What the host program does with the cloud's data. The library calls it from the
/// thread that called `pull`, `push`, `restore` or `first_sync`.
pub trait SyncHost {
    /// Applies a page of the cloud's records (each record's latest state: its data, or
    /// `deleted`) to the local data, durably, before returning `Ok`: only then does the
    /// cursor move past the page. A page may come again after a crash, so apply by id.
    fn apply(&mut self, records: &[PulledRecord]) -> std::result::Result<(), String>;

    /// Takes what became of each change of a batch (new versions, ids to take, conflicts,
    /// refusals). Called at least once per batch — again after a crash before the batch was
    /// marked done — so take it by id.
    fn pushed(&mut self, results: &[Pushed]) -> std::result::Result<(), String> {
        let _ = results;
        Ok(())
    }
}

/// The sync side of a [`crate::Client`]: the outbox and the sync state, opened on first
/// use (so a client that does not sync never takes the outbox's lock).
#[derive(Debug, Default)]
pub(crate) struct SyncSide {
    outbox: Mutex<Option<Outbox>>,
    local: Mutex<Option<SyncLocal>>,
    /// One push, pull or first sync at a time; recording does not wait for it.
    run: Mutex<()>,
}
