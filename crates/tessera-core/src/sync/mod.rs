//! Cloud data sync (G1–G6, E7, H2): the rules, with no I/O. docs/sync.md tells the model.
//!
//! - [`collection`]: what a product syncs, declared in the catalog, and the records' shape.
//! - [`push`]: what a pushed change does (`decide_change`) and how a conflict is settled
//!   (`decide_settlement`).
//! - [`lease`]: the exclusive first sync (`decide_start`, `decide_renew`, `decide_finish`,
//!   `push_mode`).
//! - [`check`]: the data check before activation, as a dry run (`check_data`).
//! - [`status`]: a site's sync status (G5) and the client's clock (`clock_skew`).

pub mod check;
pub mod collection;
pub mod lease;
pub mod push;
pub mod status;

pub use check::{Candidate, CloudKeys, Finding, Problem, check_data};
pub use collection::{
    Collection, CollectionError, FieldName, NewCollection, RecordId, Scope, WebUser,
};
pub use lease::{AnotherSiteSyncing, LEASE_TTL, Lease, LeaseLost, PushMode, PushRefused};
pub use push::{
    Change, ChangeRefused, ConflictKind, Current, Decision, Holder, Keep, Settlement,
    decide_change, decide_settlement,
};
pub use status::{CLOCK_TOLERANCE, ClockMismatch, StatusFacts, SyncState, clock_skew, sync_state};
