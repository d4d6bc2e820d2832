//! What operators see of the machinery: the mail outbox and the scheduled job runs.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A queued or sent message. The body is never shown: it may carry a reset code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutboxMessage {
    pub id: i64,
    /// What it is about (`account.registered`, `password.reset`).
    pub kind: String,
    pub to: String,
    pub subject: String,
    /// `queued`, `sent` or `failed` (refused for good by the mail server).
    pub state: String,
    pub attempts: u32,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// While queued: not tried again before this time.
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub failed_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutboxCounts {
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutboxPage {
    /// Newest first.
    pub messages: Vec<OutboxMessage>,
    pub counts: OutboxCounts,
    /// Whether a mail server is configured; without one, mail stays queued.
    pub smtp_configured: bool,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_before: Option<i64>,
}

/// One run of a scheduled job.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JobRun {
    #[schema(example = "purge")]
    pub job: String,
    /// The period the run belongs to: `2026-11-23` (daily), `2026-11` (monthly), `t…`
    /// (a slice of a frequent job).
    pub period: String,
    /// The instance that ran it.
    pub holder: String,
    pub attempts: u32,
    /// `running`, `done` or `failed` (then retried later in the same period).
    pub outcome: String,
    pub detail: Option<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JobRuns {
    /// Newest first.
    pub runs: Vec<JobRun>,
}

/// One entry of the operations log (I1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Operation {
    pub id: i64,
    pub at: String,
    /// The account the operation concerned, when known.
    pub account_id: Option<i64>,
    /// `operator:NAME`, `account:NAME`, `user:NAME`, `siteuser:NAME@SITE_ID`, `site:ID` or
    /// `anonymous`.
    pub actor: String,
    /// Method and route: `POST /api/v1/sites/{site_id}/suspend`.
    pub operation: String,
    pub site_id: Option<String>,
    pub status: u16,
    /// `ok`, `refused` (4xx) or `failed` (5xx).
    pub outcome: String,
    /// The error code of a refused or failed operation.
    pub code: Option<String>,
    pub request_id: String,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OperationPage {
    /// Newest first.
    pub operations: Vec<Operation>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_before: Option<i64>,
}

/// An account's own retention of the operations log; null returns it to the global setting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SetLogRetention {
    #[schema(example = 30, minimum = 1, maximum = 3650)]
    pub days: Option<u32>,
}
