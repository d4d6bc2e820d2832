//! Where a test server keeps its data, and the tests' config on it.

use std::sync::Arc;

use jiff::Timestamp;
use tessera_server::config::RateLimits;

use crate::PgCluster;
use crate::app::Config;

/// The `admin` operator's password of every test server that does not say otherwise.
pub const ADMIN_PASSWORD: &str = "operator password for tests";

/// A day of real time: in tests the job runner's own timer never fires after its first tick.
const NEVER_MS: u64 = 24 * 3600 * 1000;

/// When every test server's clock starts.
pub fn start_time() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where an app keeps its data. Cloning it shares the place: a second server on the same data
/// (two instances behind a load balancer, or a restart).
#[derive(Clone)]
pub struct DataPlace {
    pub backend: Backend,
    dir: Arc<tempfile::TempDir>,
    pub database_url: Option<String>,
}

impl DataPlace {
    /// A fresh place with the schema already migrated (a copy of the backend's migrated
    /// template). None when PostgreSQL is wanted but absent (and TESSERA_REQUIRE_PG is not
    /// 1): the test is then skipped, `PgCluster::shared()` having said why.
    pub fn new(backend: Backend) -> Option<DataPlace> {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = match backend {
            Backend::Sqlite => {
                crate::template::copy_sqlite_template(dir.path());
                None
            }
            Backend::Postgres => Some(PgCluster::shared()?.create_migrated_database()),
        };
        Some(DataPlace {
            backend,
            dir: Arc::new(dir),
            database_url,
        })
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The tests' config on this place: listening on 127.0.0.1:0, the operator password
    /// [`ADMIN_PASSWORD`], no rate limits (tests send bursts from one IP; the rate-limit
    /// stories turn them on), and a job runner that only runs when told.
    pub fn config(&self) -> Config {
        let mut config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: self.dir.path().to_owned(),
            database_url: self.database_url.clone(),
            admin_password: Some(ADMIN_PASSWORD.to_owned()),
            rate_limits: RateLimits::off(),
            ..Config::default()
        };
        config.jobs.tick_ms = NEVER_MS;
        config
    }
}
