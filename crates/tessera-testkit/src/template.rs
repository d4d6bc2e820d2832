//! Migrated templates: each test database starts as a copy of one on which Tessera's
//! migrations already ran, made once per test process and backend, so that a test's server
//! finds its migrations done instead of running all of them again.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::PgCluster;

/// The file the server opens in its data directory.
const SQLITE_FILE: &str = "tessera.db";

/// Runs `f` on a runtime of its own, on a thread of its own: callers may be inside a tokio
/// runtime already, where blocking on another one is not allowed.
fn on_own_runtime<T: Send + 'static>(
    f: impl AsyncFnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("a runtime for the template: {e}"))?;
        Ok(runtime.block_on(f()))
    })
    .join()
    .map_err(|_| "migrating the template panicked".to_owned())?
}

/// Copies the migrated SQLite template into `dir` as the server's database file.
pub(crate) fn copy_sqlite_template(dir: &Path) {
    static TEMPLATE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let template = TEMPLATE.get_or_init(migrated_sqlite_template);
    let template = match template {
        Ok(dir) => dir,
        Err(msg) => panic!("{msg}"),
    };
    for suffix in ["", "-wal"] {
        let from = template.join(format!("{SQLITE_FILE}{suffix}"));
        if suffix.is_empty() || from.exists() {
            let to = dir.join(format!("{SQLITE_FILE}{suffix}"));
            std::fs::copy(&from, &to)
                .unwrap_or_else(|e| panic!("copying {} to {}: {e}", from.display(), to.display()));
        }
    }
}

fn migrated_sqlite_template() -> Result<PathBuf, String> {
    // Kept for the life of the process: a static is never dropped.
    let dir = tempfile::Builder::new()
        .prefix("tessera-sqlite-template-")
        .tempdir()
        .map_err(|e| format!("a temp dir for the SQLite template: {e}"))?
        .keep();
    let file = dir.join(SQLITE_FILE);
    on_own_runtime(async move || {
        let store = tessera_store::Store::open_sqlite(&file)
            .await
            .map_err(|e| format!("migrating the SQLite template {}: {e}", file.display()))?;
        store.close().await;
        Ok::<(), String>(())
    })??;
    Ok(dir)
}

/// Creates a database in `cluster`, runs the migrations on it and closes every connection,
/// so that `CREATE DATABASE … TEMPLATE` can copy it; returns its name.
pub(crate) fn migrated_pg_template(cluster: &PgCluster) -> Result<String, String> {
    let url = cluster.create_database();
    let name = url.rsplit('/').next().unwrap_or_default().to_owned();
    on_own_runtime(async move || {
        let store = tessera_store::Store::open_url(&url)
            .await
            .map_err(|e| format!("migrating the PostgreSQL template {url}: {e}"))?;
        store.close().await;
        Ok::<(), String>(())
    })??;
    Ok(name)
}
