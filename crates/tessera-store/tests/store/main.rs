//! Storage behaviour that HTTP cannot reach directly: rollbacks after a failure in the middle
//! of a transaction, and concurrent writers. Each test runs on SQLite and PostgreSQL.

use jiff::Timestamp;
use tessera_core::catalog::Entry;
use tessera_core::{Actor, Code, NewProduct, ProductKey};
use tessera_store::{Store, StoreError};
use tessera_testkit::PgCluster;

pub(crate) fn now() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

pub(crate) fn entry(code: &str) -> Entry {
    Entry {
        code: Code::parse(code).unwrap(),
        name: code.to_uppercase(),
    }
}

pub(crate) fn product(code: &str, editions: &[&str]) -> NewProduct {
    NewProduct {
        code: Code::parse(code).unwrap(),
        name: code.into(),
        editions: editions.iter().map(|e| entry(e)).collect(),
        sizes: vec![(entry("s5"), [(Code::parse("drivers").unwrap(), 5)].into())],
        modules: vec![],
        policy: Default::default(),
    }
}

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (
        Store::open_sqlite(&dir.path().join("t.db")).await.unwrap(),
        dir,
    )
}

async fn postgres() -> Option<Store> {
    let url = PgCluster::shared()?.create_database();
    Some(Store::open_postgres(&url).await.unwrap())
}

/// Defines `$name::sqlite` and `$name::postgres`, each calling `async fn $name(store: Store)`
/// of the enclosing module with a fresh store.
macro_rules! both_backends {
    ($($name:ident),*) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (store, _dir) = crate::sqlite().await;
                super::$name(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(store) = crate::postgres().await else { return };
                super::$name(store).await;
            }
        }
    )*};
}

// The behaviours, one file per idea.
mod groups;
mod jobs;
mod key_batches;
mod mail;
mod operations_log;
mod rights_migration;
mod transactions;
