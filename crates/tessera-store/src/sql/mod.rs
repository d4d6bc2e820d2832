//! The SQL of the store, written once. This folder is compiled twice, as
//! `backend::sqlite::sql` and as `backend::postgres::sql`, so each copy is type-checked
//! against its own driver; what differs between the backends comes from `super::` (the
//! backend module): its pools, `Conn`, `row_lock` and `announce`.
//!
//! Functions that take `&mut Conn` are pieces of a transaction (the caller opens and commits
//! it); functions that take `&Pools` are whole operations and open their own.

pub(crate) mod accounts;
pub(crate) mod activation;
pub(crate) mod audit;
pub(crate) mod bench;
pub(crate) mod catalog;
pub(crate) mod contacts;
pub(crate) mod equipment;
pub(crate) mod fleet;
pub(crate) mod invoices;
pub(crate) mod jobs;
pub(crate) mod key_import;
pub(crate) mod keys;
pub(crate) mod offline;
pub(crate) mod operations;
pub(crate) mod operators;
pub(crate) mod orders;
pub(crate) mod outbox;
pub(crate) mod overview;
pub(crate) mod payments;
pub(crate) mod plans;
pub(crate) mod releases;
pub(crate) mod script;
pub(crate) mod services;
pub(crate) mod sessions;
pub(crate) mod site_users;
pub(crate) mod sites;
pub(crate) mod stats;
pub(crate) mod subscriptions;
pub(crate) mod sync;
pub(crate) mod users;
pub(crate) mod webhooks;

pub(crate) use super::{
    BATCH_KEPT_BEFORE, Conn, Db, KEEP_BUILT, ONE_TEXT, Pools, announce, commit_after, row_lock,
};

/// Does the database answer?
pub(crate) async fn ping(db: &Pools) -> crate::Result<()> {
    sqlx::query("SELECT 1").execute(db.read()).await?;
    Ok(())
}
