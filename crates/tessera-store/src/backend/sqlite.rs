//! SQLite, the embedded default: one instance, reads through a pool, every write through a
//! single connection so writers queue in the process instead of failing with SQLITE_BUSY on
//! lock upgrades.

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteRow;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, QueryBuilder, SqlitePool};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{Result, StoreError};
use sql::script::Script;

/// The shared SQL, compiled against the SQLite driver. The other backend module loads the
/// same files: that is the point (one text, type-checked by each driver).
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
pub(crate) mod sql;

pub(crate) type Db = sqlx::Sqlite;
/// What a piece of a transaction runs on (`&mut *tx` derefs to it).
pub(crate) type Conn = <Db as sqlx::Database>::Connection;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a writer waits for the write connection (sqlx's pools wait as long).
const WRITE_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub(crate) struct Pools {
    read: SqlitePool,
    /// The single write connection, held by one writer at a time (None once closed).
    write: Arc<Mutex<Option<Writer>>>,
    /// The thread the busiest writers run on ([`Pools::isolated`]).
    writes: Arc<WriterThread>,
}

/// A thread with a runtime of its own for the busiest writers; it ends when the last clone
/// of the pools is dropped (a task on it holds a clone only while it runs).
#[derive(Debug)]
struct WriterThread {
    handle: tokio::runtime::Handle,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl WriterThread {
    fn start() -> std::io::Result<WriterThread> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("tessera-sqlite-writes".into())
            .spawn(move || {
                let _ = runtime.block_on(stopped);
            })?;
        Ok(WriterThread {
            handle,
            _stop: stop,
        })
    }
}

/// A task on the writers' thread that is stopped when its caller stops waiting for it.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        // Nothing happens to a task that has ended.
        self.0.abort();
    }
}

/// The write connection, and whether a transaction may be open on it that nobody will end.
#[derive(Debug)]
struct Writer {
    conn: SqliteConnection,
    /// Set from before a BEGIN until its COMMIT is answered. Still set when the
    /// connection is taken again, its last transaction's owner was dropped before the end
    /// (its client hung up, an error returned early, a COMMIT was not answered): the next
    /// writer rolls it back first ([`Pools::write`]).
    maybe_open: bool,
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
        let mut write = SqliteConnection::connect_with(&options).await?;
        MIGRATIONS.run(&mut write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        let writer = Writer {
            conn: write,
            maybe_open: false,
        };
        Ok(Pools {
            read,
            write: Arc::new(Mutex::new(Some(writer))),
            writes: Arc::new(WriterThread::start().map_err(sqlx::Error::Io)?),
        })
    }

    /// The read-only pool.
    pub(crate) fn read(&self) -> &SqlitePool {
        &self.read
    }

    /// The single write connection, once the writers before have let it go (for a write
    /// outside a transaction, or a read that must see the latest commit). A caller dropped
    /// while it waits takes nothing.
    ///
    /// Held here rather than in a pool of one: handing a pool's connection over cost a
    /// check sent to the connection when it was taken and another, in a task of its own,
    /// when it was given back, and every write of the server queues for this connection
    /// (docs/benchmarks.md, "Cloud sync"). After [`WRITE_WAIT`] the caller gets
    /// `StoreError::NoConnection`, as it did from the pool.
    ///
    /// A transaction its owner left open is rolled back here before anything else runs on
    /// the connection; where none was open after all (its BEGIN failed, or its COMMIT ran)
    /// the ROLLBACK fails harmlessly. A caller dropped meanwhile leaves the mark, and the
    /// next one rolls back again.
    pub(crate) async fn write(&self) -> Result<Write> {
        let asked = Instant::now();
        let taken = tokio::time::timeout(WRITE_WAIT, self.write.clone().lock_owned()).await;
        metrics::histogram!("tessera_sqlite_write_wait_seconds").record(asked.elapsed());
        let Ok(writer) = taken else {
            return Err(StoreError::NoConnection);
        };
        if writer.is_none() {
            return Err(sqlx::Error::PoolClosed.into());
        }
        let mut write = Write {
            writer,
            taken: Instant::now(),
        };
        if write.writer().maybe_open {
            if let Err(e) = sqlx::query("ROLLBACK").execute(&mut *write).await {
                tracing::debug!(error = %e, "rolling back a transaction left open");
            }
            write.writer_mut().maybe_open = false;
        }
        Ok(write)
    }

    /// Runs `work` on a thread of its own, with the other writers that do, instead of among
    /// the server's requests.
    ///
    /// A writer holds the write connection across each of its statements' round trips to
    /// the connection's thread; on the server's runtime, each time the answer came, the
    /// writer's task waited behind the requests already queued (hundreds under load) before
    /// it sent the next statement, and the next writer waited for all of it. Here the task
    /// is taken up as soon as its thread gets a core. Pushes with 2 000 validations a second
    /// beside them: the write connection held about 1 ms a push instead of 2, and 500 pushes
    /// a second kept up with their schedule (docs/benchmarks.md, "Cloud sync").
    ///
    /// A caller dropped meanwhile (a client that hung up) stops `work` at its next await, as
    /// it would on the caller's own task: a push then rolls back, as on PostgreSQL, and
    /// nothing commits that the operations log (written after the answer) misses.
    pub(crate) async fn isolated<F, W, T>(&self, work: W) -> Result<T>
    where
        W: FnOnce(Pools) -> F,
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let work = tracing::Instrument::in_current_span(work(self.clone()));
        let mut task = AbortOnDrop(self.writes.handle.spawn(work));
        match (&mut task.0).await {
            Ok(done) => done,
            Err(e) => match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(_) => Err(sqlx::Error::PoolClosed.into()),
            },
        }
    }

    /// Nothing to do: SQLite's planner prefers the index that matches the most equality
    /// terms without statistics (the PostgreSQL backend analyzes new sync tables).
    pub(crate) async fn analyzed(&self, _grown: bool) -> Result<()> {
        Ok(())
    }

    /// A write transaction on the write connection. IMMEDIATE, so a read-then-write never
    /// fails to upgrade its lock; dropping it uncommitted, at any await, rolls it back
    /// ([`Tx`]).
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let mut write = self.write().await?;
        write.writer_mut().maybe_open = true;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *write).await?;
        Ok(Tx(write))
    }

    /// A write transaction begun with its first statement, built by `first`, and that
    /// statement's rows: BEGIN IMMEDIATE and the statement in one text, one round trip
    /// ([`Script`]). On an error the connection stays marked, as for [`Pools::begin`].
    pub(crate) async fn begin_with<'a, T>(
        &self,
        first: impl FnOnce(&mut QueryBuilder<'a, Db>),
    ) -> Result<(Tx, Vec<T>)>
    where
        T: for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin,
    {
        let mut q = QueryBuilder::new("BEGIN IMMEDIATE; ");
        first(&mut q);
        let mut write = self.write().await?;
        write.writer_mut().maybe_open = true;
        let rows = q.build_query_as().fetch_all(&mut *write).await?;
        Ok((Tx(write), rows))
    }

    pub(crate) async fn close(&self) {
        self.read.close().await;
        if let Some(writer) = self.write.lock().await.take()
            && let Err(e) = writer.conn.close().await
        {
            tracing::warn!(error = %e, "closing the SQLite write connection");
        }
    }
}

/// The write connection, held: the next writer waits until this is dropped.
///
/// How long writers waited for it and how long each held it go to `/metrics`
/// (`tessera_sqlite_write_wait_seconds`, `tessera_sqlite_write_hold_seconds`): the holds'
/// sum over a minute, divided by sixty, is the share of the time SQLite's single writer was
/// taken, the first figure to watch when writes slow down (docs/operations.md).
pub(crate) struct Write {
    writer: OwnedMutexGuard<Option<Writer>>,
    taken: Instant,
}

impl Write {
    fn writer(&self) -> &Writer {
        self.writer.as_ref().expect("checked when taken")
    }

    fn writer_mut(&mut self) -> &mut Writer {
        self.writer.as_mut().expect("checked when taken")
    }
}

impl Deref for Write {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.writer().conn
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.writer_mut().conn
    }
}

impl Drop for Write {
    fn drop(&mut self) {
        metrics::histogram!("tessera_sqlite_write_hold_seconds").record(self.taken.elapsed());
    }
}

/// A write transaction: the write connection, held from before its BEGIN until its COMMIT
/// is answered (alone, or at the end of a [`Script`]: [`commit_after`]). Its statements are plain texts, so the driver keeps no state of
/// its own about it that a dropped caller could leave behind (sqlx-sqlite 0.8 did, with a
/// transaction of its own: docs/architecture.md, tessera-store). Dropped before its end, at
/// any await, it leaves the connection marked, and the next writer rolls it back before
/// anything else runs ([`Pools::write`]): no task, no runtime needed.
pub(crate) struct Tx(Write);

impl Tx {
    /// Commits, then lets the connection go; on an error it stays marked.
    pub(crate) async fn commit(mut self) -> sqlx::Result<()> {
        sqlx::query("COMMIT").execute(&mut *self.0).await?;
        self.0.writer_mut().maybe_open = false;
        Ok(())
    }
}

/// Runs `script` and commits, in one round trip ([`Script`]). Always true: a statement of
/// the script that fails fails the whole, COMMIT included, and the connection stays marked
/// for the next writer to roll back.
pub(crate) async fn commit_after(mut tx: Tx, mut script: Script<'_>) -> Result<bool> {
    script.fixed("COMMIT");
    script.run(&mut tx).await?;
    tx.0.writer_mut().maybe_open = false;
    Ok(true)
}

impl Deref for Tx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.0
    }
}

/// Whether a push's statements built for its rows (its look-ups and writes) are kept
/// prepared on their connection for the next of the same shape. On SQLite, yes: preparing
/// them again took the write connection's thread's time at every push, and pushes of one
/// size repeat the same few shapes (sqlx keeps the last 100 a connection used).
pub(crate) const KEEP_BUILT: bool = true;

/// Whether statements queued together run as one text ([`Script`]). On SQLite, yes.
pub(crate) const ONE_TEXT: bool = true;

/// What a push's INSERT of its answer says when the batch's answer is there already: on
/// SQLite nothing, so the statement fails and the push with it. It cannot happen: the push
/// looked for the answer after its BEGIN IMMEDIATE, and no other writer runs until it ends.
pub(crate) const BATCH_KEPT_BEFORE: &str = "";

/// No row locks: BEGIN IMMEDIATE already serializes every write transaction.
pub(crate) fn row_lock(_clause: &'static str) -> &'static str {
    ""
}

/// Nothing to announce: SQLite has one instance, and `Store::changed` covers it.
pub(crate) async fn announce(_conn: &mut Conn, _what: &str) -> Result<()> {
    Ok(())
}
