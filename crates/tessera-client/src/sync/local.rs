//! What the client remembers about its sync between runs (`sync.json`, written atomically
//! beside the outbox): the cursor the host has applied up to, whether this site finished
//! its first sync, the collections last fetched, and the conflicts its pushes raised that
//! no pull has settled yet.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tessera_api::CollectionDecl;

use crate::errors::{ClientError, Result};
use crate::state_file::write_atomically;

/// A conflict one of this site's changes raised, until a pull brings the record again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictNote {
    pub collection: String,
    pub id: String,
    pub conflict_id: i64,
}

/// The cloud's refusal of a whole batch: kept while that batch is the outbox's open one, so
/// the status says why nothing leaves (G5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedBatch {
    pub batch_id: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SyncMemory {
    /// Every change up to this version has been applied by the host.
    #[serde(default)]
    pub cursor: i64,
    #[serde(default)]
    pub first_synced: bool,
    #[serde(default)]
    pub collections: Vec<CollectionDecl>,
    #[serde(default)]
    pub conflicts: Vec<ConflictNote>,
    /// The last push's refusal of its whole batch, until that batch goes or is taken back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused_batch: Option<RefusedBatch>,
}

#[derive(Debug)]
pub(crate) struct SyncLocal {
    path: PathBuf,
    pub memory: SyncMemory,
}

impl SyncLocal {
    pub(crate) fn open(path: &Path) -> Result<SyncLocal> {
        let memory = match std::fs::read(path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| ClientError::OutboxCorrupt {
                    path: path.to_owned(),
                    detail: e.to_string(),
                })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SyncMemory::default(),
            Err(source) => {
                return Err(ClientError::StateIo {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        Ok(SyncLocal {
            path: path.to_owned(),
            memory,
        })
    }

    /// Saves `memory` in place of what is stored (atomically), then keeps it.
    pub(crate) fn save(&mut self, memory: SyncMemory) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(&memory).expect("the sync state serializes");
        write_atomically(&self.path, &bytes).map_err(|source| ClientError::StateIo {
            path: self.path.clone(),
            source,
        })?;
        self.memory = memory;
        Ok(())
    }
}
