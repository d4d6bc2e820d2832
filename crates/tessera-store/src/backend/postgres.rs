//! PostgreSQL: several instances share one database. Row locks order concurrent writers, and
//! changes are announced with NOTIFY so every instance drops what it cached.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, QueryBuilder};

use crate::changes::CHANGES_CHANNEL;
use crate::{Result, StoreError};
use sql::script::Script;

/// The shared SQL, compiled against the PostgreSQL driver. The other backend module loads the
/// same files: that is the point (one text, type-checked by each driver).
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
pub(crate) mod sql;

/// The signing-key store (PostgreSQL deployments only).
pub(crate) mod signing_keys;

pub(crate) type Db = sqlx::Postgres;
/// What a piece of a transaction runs on (`&mut *tx` derefs to it).
pub(crate) type Conn = <Db as sqlx::Database>::Connection;
pub(crate) type Tx = sqlx::Transaction<'static, Db>;

/// Whether a push's statements built for its rows are kept prepared (see the SQLite
/// backend's). On PostgreSQL, no: a prepared statement falls back to a generic plan,
/// eight times as slow for a push's look-up of its holders (docs/benchmarks.md, "Cloud sync"),
/// and each connection would keep every shape in the server's memory.
pub(crate) const KEEP_BUILT: bool = false;

/// Whether statements queued together run as one text ([`Script`]). On PostgreSQL, no: its
/// protocol takes one statement with arguments a message.
pub(crate) const ONE_TEXT: bool = false;

/// What a push's INSERT of its answer says when the batch's answer is there already: a
/// copy of the batch, sent again, committed while this push waited for the account's lock
/// (its look-up may have seen the database from before). Nothing is inserted, and the push
/// rolls back and answers as the replay ([`commit_after`] returns false).
pub(crate) const BATCH_KEPT_BEFORE: &str = " ON CONFLICT (site_id, batch_id) DO NOTHING";

/// Runs `script` and commits; false, and rolled back, when its last statement changed no
/// row.
pub(crate) async fn commit_after(mut tx: Tx, mut script: Script<'_>) -> Result<bool> {
    if script.run(&mut tx).await? == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone)]
pub(crate) struct Pools {
    pool: PgPool,
    /// Whether the sync tables are known to have planner statistics ([`Pools::analyzed`]).
    sync_analyzed: Arc<AtomicBool>,
    /// The background `ANALYZE` of grown sync tables ([`Pools::analyzed`]).
    analysis: Arc<Mutex<Analysis>>,
}

/// Whether a background `ANALYZE` of the sync tables runs, and whether another was asked
/// for meanwhile (it runs once after: its statistics may predate the rows that asked).
#[derive(Debug, Default)]
struct Analysis {
    running: bool,
    again: bool,
}

/// How long a caller waits for a connection (a free one, or a new one the database accepts)
/// before it gets `StoreError::NoConnection`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl Pools {
    /// Connects and runs the migrations (sqlx holds an advisory lock while it migrates, so
    /// instances starting together do not race). At most `connections` connections to the
    /// database at once (the change listener holds one of them).
    pub(crate) async fn open(url: &str, connections: u32) -> Result<Pools> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| match e {
                sqlx::Error::PoolTimedOut => StoreError::Config(format!(
                    "PostgreSQL at {} accepted no connection within {} s",
                    crate::redact_url(url),
                    ACQUIRE_TIMEOUT.as_secs()
                )),
                e => e.into(),
            })?;
        MIGRATIONS.run(&pool).await?;
        Ok(Pools {
            pool,
            sync_analyzed: Arc::new(AtomicBool::new(false)),
            analysis: Arc::default(),
        })
    }

    /// Runs `work`, here on the caller's task (SQLite runs its busiest writers on a thread of
    /// their own; each PostgreSQL connection has its own server process).
    pub(crate) async fn isolated<F, W, T>(&self, work: W) -> Result<T>
    where
        W: FnOnce(Pools) -> F,
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        work(self.clone()).await
    }

    /// Gives the sync tables planner statistics (`ANALYZE`) after a push wrote to them: if
    /// they never had any (checked once per instance), or when `grown` (an account just
    /// grew past a few thousand records). Without statistics the planner takes the leading
    /// columns of an index for a handful of rows and filters the rest: on a fresh database
    /// the first large first sync read every record of the account for each batch until
    /// autovacuum's first ANALYZE, up to a minute later (89 s for 100 000 records where
    /// 16 s was usual). Statistics that know only other accounts expect no row of a new
    /// one, with the same effect on its first sync (21-24 s where 5-6 s was usual;
    /// docs/benchmarks.md, "Cloud sync").
    ///
    /// A grown account's `ANALYZE` runs in the background, one at a time: when a hundred
    /// accounts grew past the mark within seconds, each push that crossed it ran its own
    /// and waited for it, and the pushes of the whole server stalled for seconds.
    pub(crate) async fn analyzed(&self, grown: bool) -> Result<()> {
        if grown {
            self.analyze_soon();
            self.sync_analyzed.store(true, Ordering::Relaxed);
            return Ok(());
        }
        if self.sync_analyzed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let never: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_class \
             WHERE oid IN ('sync_records'::regclass, 'sync_unique'::regclass) AND reltuples < 0",
        )
        .fetch_one(&self.pool)
        .await?;
        if never > 0 {
            sqlx::query("ANALYZE sync_records, sync_unique")
                .execute(&self.pool)
                .await?;
            tracing::info!("the sync tables had no planner statistics: analyzed");
        }
        self.sync_analyzed.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Starts a background `ANALYZE` of the sync tables, or, while one runs, asks for one
    /// more after it: however many ask at once, at most one runs and one waits.
    fn analyze_soon(&self) {
        {
            let mut analysis = self.analysis.lock().expect("not poisoned");
            if analysis.running {
                analysis.again = true;
                return;
            }
            analysis.running = true;
        }
        let (pool, analysis) = (self.pool.clone(), self.analysis.clone());
        tokio::spawn(async move {
            loop {
                if let Err(e) = sqlx::query("ANALYZE sync_records, sync_unique")
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(error = %e, "analyzing the sync tables");
                }
                let mut analysis = analysis.lock().expect("not poisoned");
                if !std::mem::take(&mut analysis.again) {
                    analysis.running = false;
                    return;
                }
            }
        });
    }

    /// The one pool, for reads.
    pub(crate) fn read(&self) -> &PgPool {
        &self.pool
    }

    /// A connection of the pool, for a write outside a transaction (the SQLite backend's
    /// counterpart waits for its single write connection).
    pub(crate) async fn write(&self) -> Result<PoolConnection<Db>> {
        Ok(self.pool.acquire().await?)
    }

    /// The pool itself (the change listener connects through it).
    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// A write transaction; dropping it uncommitted rolls it back.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(self.pool.begin().await?)
    }

    /// A write transaction begun, then its first statement, built by `first`, and that
    /// statement's rows (the SQLite backend sends both at once).
    pub(crate) async fn begin_with<'a, T>(
        &self,
        first: impl FnOnce(&mut QueryBuilder<'a, Db>),
    ) -> Result<(Tx, Vec<T>)>
    where
        T: for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let mut tx = self.begin().await?;
        let mut q = QueryBuilder::new("");
        first(&mut q);
        let rows = q.build_query_as().fetch_all(&mut *tx).await?;
        Ok((tx, rows))
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

/// `clause` (row locks such as `" FOR UPDATE OF s"`): concurrent writers on other instances
/// queue on the rows they read.
pub(crate) fn row_lock(clause: &'static str) -> &'static str {
    clause
}

/// Announces a change (an account id, `*` for everything, or the signing keys) to every
/// instance; NOTIFY is delivered at commit, so a rolled-back change announces nothing.
pub(crate) async fn announce(conn: &mut Conn, what: &str) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANGES_CHANNEL)
        .bind(what)
        .execute(conn)
        .await?;
    Ok(())
}
