//! The operators' fleet dashboard: every figure read from the database and aggregated there
//! (the numbers are the same on every instance, and 100 000 sites are counted, not loaded):
//! active sites by product and edition, overdue and locked sites, trials and their
//! conversion, revenue, subscriptions running out, the outbox's health, failed job runs,
//! and the fleet's daily figures (summed over accounts as they are written).

use jiff::Timestamp;
use tessera_core::fleet::Month;

use crate::stats::DailyCount;
use crate::{Result, Store, from_micros, to_micros};

/// What the dashboard asks: the instant it is, and the bounds its counts use.
#[derive(Debug, Clone)]
pub struct FleetQuery {
    pub now: Timestamp,
    /// Active sites last checked (or activated) before this are overdue.
    pub overdue_before: Timestamp,
    /// The months of trials and revenue, oldest first.
    pub months: Vec<Month>,
    /// Subscriptions running out from now until this instant are listed.
    pub expiring_until: Timestamp,
    /// At most this many of them.
    pub expiring_limit: u32,
}

/// Active sites of one edition of one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveSites {
    pub product: String,
    pub product_name: String,
    pub edition: String,
    pub edition_name: String,
    pub sites: i64,
}

/// Trials started in a month, and how many of those accounts bought since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialMonth {
    pub month: String,
    pub started: i64,
    pub converted: i64,
}

/// Invoices issued in a month in one currency: their number and total (minor units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueMonth {
    pub month: String,
    pub currency: String,
    pub invoices: i64,
    pub total: i64,
}

/// A running subscription (trial or paid) that ends soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringSubscription {
    pub id: i64,
    pub account_id: i64,
    pub username: String,
    pub company: String,
    pub service: String,
    pub state: String,
    pub expires_at: Timestamp,
}

/// The mail outbox at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutboxHealth {
    pub queued: i64,
    pub failed: i64,
    /// The newest message that met an error: its id and the error.
    pub last_error: Option<(i64, String)>,
}

/// Everything the dashboard counts, at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetFigures {
    /// By product code, then edition rank.
    pub active: Vec<ActiveSites>,
    pub overdue: i64,
    pub locked: i64,
    pub trials: Vec<TrialMonth>,
    /// By month, then currency; months without an invoice are absent.
    pub revenue: Vec<RevenueMonth>,
    /// Soonest first, at most `expiring_limit`.
    pub expiring: Vec<ExpiringSubscription>,
    /// All of them, listed or not.
    pub expiring_count: i64,
    pub outbox: OutboxHealth,
    /// Failed runs in the kept history, by job name.
    pub job_failures: Vec<(String, i64)>,
}

impl Store {
    /// The dashboard's figures at `q.now`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn fleet_figures(&self, q: &FleetQuery) -> Result<FleetFigures> {
        let rows = on_backend!(self, |db| sql::fleet::figures(db, q))?;
        Ok(FleetFigures {
            expiring: rows
                .expiring
                .into_iter()
                .map(|r| {
                    Ok(ExpiringSubscription {
                        id: r.0,
                        account_id: r.1,
                        username: r.2,
                        company: r.3,
                        service: r.4,
                        state: r.5,
                        expires_at: from_micros(r.6)?,
                    })
                })
                .collect::<Result<_>>()?,
            ..rows.figures
        })
    }

    /// The fleet's daily figures from `from_day` on (all accounts summed), by metric and day.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn fleet_daily_counts(&self, from_day: &str) -> Result<Vec<DailyCount>> {
        on_backend!(self, |db| sql::fleet::daily_counts(db, from_day))
    }

    /// Sites per licence state now, across the fleet.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn fleet_sites_by_state(&self) -> Result<Vec<(String, i64)>> {
        on_backend!(self, |db| sql::fleet::sites_by_state(db))
    }
}

/// The query's bounds as the database stores instants.
pub(crate) struct Bounds {
    pub now: i64,
    pub overdue_before: i64,
    pub expiring_until: i64,
}

impl FleetQuery {
    pub(crate) fn bounds(&self) -> Bounds {
        Bounds {
            now: to_micros(self.now),
            overdue_before: to_micros(self.overdue_before),
            expiring_until: to_micros(self.expiring_until),
        }
    }
}

/// What the SQL reads, instants still as stored.
pub(crate) struct FleetRows {
    pub figures: FleetFigures,
    pub expiring: Vec<(i64, i64, String, String, String, String, i64)>,
}
