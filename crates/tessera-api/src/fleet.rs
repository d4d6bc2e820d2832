//! The operators' fleet dashboard: what every instance reads alike from the database.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Active sites of one edition of one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetActiveSites {
    pub product: String,
    pub product_name: String,
    pub edition: String,
    pub edition_name: String,
    pub sites: i64,
}

/// Successful validations of one day, all accounts together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetDay {
    /// `YYYY-MM-DD` in the server's time zone.
    pub day: String,
    pub validations: i64,
}

/// Trials started in a month, and how many of them were bought since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetTrialMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub started: i64,
    pub converted: i64,
}

/// Invoices issued in a month in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetRevenueMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub invoices: i64,
    /// In the currency's minor unit (cents).
    pub total: i64,
}

/// A trial or paid term that ends within the next 30 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetExpiring {
    pub subscription_id: i64,
    pub account_id: i64,
    pub username: String,
    pub company: String,
    pub service: String,
    /// `trialing` or `active`.
    pub state: String,
    pub expires_at: String,
}

/// The mail outbox at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetOutbox {
    pub queued: i64,
    /// Refused for good by the mail server.
    pub failed: i64,
    /// The newest message that met an error, and the error.
    pub last_error_message: Option<i64>,
    pub last_error: Option<String>,
}

/// One scheduled job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetJob {
    #[schema(example = "purge")]
    pub job: String,
    pub last_started_at: Option<String>,
    /// `running`, `done` or `failed`.
    pub last_outcome: Option<String>,
    pub last_detail: Option<String>,
    /// The start of its next period: it runs then at the earliest.
    pub next_run_at: String,
    /// Failed runs in the kept history.
    pub failures: i64,
}

/// The fleet dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Fleet {
    /// When the figures were read.
    pub at: String,
    /// By product code, then edition from the lowest.
    pub active_sites: Vec<FleetActiveSites>,
    pub active_total: i64,
    /// Oldest first, today last.
    pub validations: Vec<FleetDay>,
    /// The days without a successful check after which an active site counts as overdue.
    pub overdue_days: u16,
    pub overdue: i64,
    /// Active sites whose client has locked by now (no check for their product's grace days).
    pub locked: i64,
    /// The last 12 months, oldest first.
    pub trials: Vec<FleetTrialMonth>,
    /// The last 12 months, oldest first, a row per currency with invoices.
    pub revenue: Vec<FleetRevenueMonth>,
    /// Soonest first (at most 100).
    pub expiring: Vec<FleetExpiring>,
    pub expiring_count: i64,
    pub outbox: FleetOutbox,
    pub jobs: Vec<FleetJob>,
}
