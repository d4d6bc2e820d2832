//! SQLite, the embedded default: one instance, reads through a pool, every write through a
//! single connection so writers queue in the process instead of failing with SQLITE_BUSY on
//! lock upgrades.

use std::path::Path;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::Result;

/// The shared SQL, compiled against the SQLite driver. The other backend module loads the
/// same files: that is the point (one text, type-checked by each driver).
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
pub(crate) mod sql;

pub(crate) type Db = sqlx::Sqlite;
/// What a piece of a transaction runs on (`&mut *tx` derefs to it).
pub(crate) type Conn = <Db as sqlx::Database>::Connection;
pub(crate) type Tx = sqlx::Transaction<'static, Db>;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Debug, Clone)]
pub(crate) struct Pools {
    read: SqlitePool,
    write: SqlitePool,
}

impl Pools {
    /// Opens (creating if needed) the database file and runs its migrations.
    pub(crate) async fn open(path: &Path) -> Result<Pools> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATIONS.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Pools { read, write })
    }

    /// The read-only pool.
    pub(crate) fn read(&self) -> &SqlitePool {
        &self.read
    }

    /// The single write connection (for a write outside a transaction, or a read that must
    /// see the latest commit).
    pub(crate) fn write(&self) -> &SqlitePool {
        &self.write
    }

    /// Nothing to do: SQLite's planner prefers the index that matches the most equality
    /// terms without statistics (the PostgreSQL backend analyzes new sync tables).
    pub(crate) async fn analyzed(&self, _grown: bool) -> Result<()> {
        Ok(())
    }

    /// A write transaction. IMMEDIATE, so a read-then-write never fails to upgrade its lock;
    /// dropping it uncommitted rolls it back.
    ///
    /// Begun in a task of its own, which runs to the end even when the caller is dropped
    /// meanwhile (its client hung up, say). sqlx-sqlite 0.8 checks that a BEGIN of a text of
    /// its own began a transaction at an await of its own, after the BEGIN ran: a caller
    /// dropped there left the transaction open on the single write connection, with nothing
    /// to end it, and every later write failed until the process restarted
    /// (`InvalidSavePointStatement`). In the task, a transaction nobody waits for any more is
    /// dropped, so rolled back. (A caller dropped while it waited for the connection still
    /// costs it a BEGIN and a ROLLBACK when its turn comes.)
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let write = self.write.clone();
        let begun = tokio::spawn(async move { write.begin_with("BEGIN IMMEDIATE").await }).await;
        match begun {
            Ok(tx) => Ok(tx?),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // The runtime is shutting down.
            Err(_) => Err(sqlx::Error::PoolClosed.into()),
        }
    }

    pub(crate) async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// No row locks: BEGIN IMMEDIATE already serializes every write transaction.
pub(crate) fn row_lock(_clause: &'static str) -> &'static str {
    ""
}

/// Nothing to announce: SQLite has one instance, and `Store::changed` covers it.
pub(crate) async fn announce(_conn: &mut Conn, _what: &str) -> Result<()> {
    Ok(())
}
