//! Test data for `tessera bench fleet` only: a large fleet written straight into the
//! database (100 000 sites and a year of daily figures take seconds this way, hours through
//! the API). Nothing else calls it; every row it writes is marked `bench`/`fleet…`.

use jiff::Timestamp;

use crate::{Result, Store, to_micros};

/// What to make: `accounts` accounts sharing the keys of `batches` as sites (a site per
/// key), daily figures on `days`, and a subscription per account on `plan`.
#[derive(Debug, Clone)]
pub struct FleetSeed {
    pub accounts: u32,
    pub batches: Vec<i64>,
    pub plan: String,
    /// `YYYY-MM-DD`, any order.
    pub days: Vec<String>,
    pub now: Timestamp,
}

impl Store {
    /// Writes the fleet of `seed`; the number of sites made.
    #[doc(hidden)]
    pub async fn seed_bench_fleet(&self, seed: &FleetSeed) -> Result<u64> {
        let now = to_micros(seed.now);
        let sites = on_backend!(self, |db| sql::bench::seed_fleet(db, seed, now))?;
        // PostgreSQL's autovacuum would analyze the new rows within a minute or so; the
        // benchmark starts at once, so it asks now. SQLite keeps no statistics unless asked,
        // and the server never asks, so neither does this.
        if self.kind() == crate::BackendKind::Postgres {
            on_backend!(self, |db| sql::bench::analyze(db))?;
        }
        Ok(sites)
    }
}
