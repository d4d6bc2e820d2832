//! Tessera's persistence: one repository layer over SQLite (the embedded default) and
//! PostgreSQL (several instances sharing one database).
//!
//! SQL is written once in the subset both accept (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`) and type-checked against each driver. The crate is laid out in three
//! layers:
//!
//! - The modules named after an idea (`accounts`, `sites`, `subscriptions/…`, `orders`, …)
//!   hold the public records and the `Store` methods. A method checks its arguments, calls
//!   one SQL function through `on_backend!` (the only macro: it picks the backend and awaits
//!   one call) and then updates what this instance keeps in memory.
//! - `src/sql/` holds the SQL as plain `async fn`s, by the same ideas. The folder is compiled
//!   twice, as `backend::sqlite::sql` and `backend::postgres::sql`. Functions taking
//!   `&mut Conn` are pieces of a transaction (`audit`, `enqueue_mail`, `drop_unkept`,
//!   `join_group`, …); functions taking `&Pools` are whole operations that open and commit
//!   their own transaction.
//! - `backend/sqlite.rs` and `backend/postgres.rs` say, each in one place, what differs: the
//!   pools (SQLite: a read-only pool and one write connection, write transactions
//!   `BEGIN IMMEDIATE`; PostgreSQL: one pool), `row_lock` (`FOR UPDATE …` on PostgreSQL,
//!   nothing on SQLite), and `announce` (NOTIFY on PostgreSQL, nothing on SQLite). The
//!   signing-key store, PostgreSQL only, is `backend/postgres/signing_keys.rs`.
//!
//! `changes` is how a committed change reaches every instance's memory (the site cache of
//! `site_cache` and the signing keys' epoch); validation reads from that cache.
#![forbid(unsafe_code)]

#[macro_use]
mod macros;
mod accounts;
mod activation;
mod audit;
mod backend;
mod bench;
mod catalog;
mod changes;
mod contacts;
mod equipment;
mod error;
mod fleet;
mod invoice;
mod jobs;
mod key_import;
mod keys;
mod mails;
mod offline;
mod operations;
mod operators;
mod orders;
mod outbox;
mod overview;
mod plans;
mod releases;
mod services;
mod sessions;
mod signing_keys;
mod site_cache;
mod site_users;
mod sites;
mod stats;
mod subscriptions;
mod sync;
mod time;
mod users;
mod webhooks;

use std::path::Path;
use std::sync::Arc;

use backend::Backend;

pub use accounts::{AccountRecord, NewAccount};
pub use activation::{AccountRef, ActivationRequest, ActivationResult};
pub use audit::AuditRecord;
pub use bench::FleetSeed;
pub use catalog::{ProductRecord, ProductRef};
pub use contacts::{ContactRecord, NewContact, ProfileChange};
pub use equipment::SiteTechnical;
pub use error::StoreError;
pub use fleet::{
    ActiveSites, ExpiringSubscription, FleetFigures, FleetQuery, OutboxHealth, RevenueMonth,
    TrialMonth,
};
pub use invoice::{InvoiceDocument, Invoicing, Line, Seller};
pub use jobs::{JobRunRecord, RunEnd};
pub use key_import::{ImportResult, LineResult};
pub use keys::{BatchRecord, KeyRecord};
pub use offline::{NewOfflineAnswer, OfflineAnswer};
pub use operations::{NewOperation, OperationFilter, OperationRecord};
pub use operators::OperatorRecord;
pub use orders::{
    InvoiceRecord, NewOrder, OrderRecord, PaymentIn, PaymentOutcome, UnappliedPayment,
};
pub use outbox::{Delivery, Mail, OutboxFilter, OutboxRecord, Template};
pub use overview::AccountExtras;
pub use plans::{NewPlan, PlanRecord};
pub use releases::{NewRelease, ProductReleases, ReleaseRecord, Withdrawal};
pub use services::{InvoiceLineRecord, MonthBilled, ServiceRecord, StretchRecord, Switched};
pub use sessions::SessionKind;
pub use signing_keys::SigningKeyRecord;
pub use site_cache::{AccountSites, SiteView};
pub use site_users::{NO_PASSWORD_YET, NewSiteUser, SiteUserRecord};
pub use sites::{SiteScope, installation};
pub use stats::{DailyCount, VALIDATIONS, sites_in};
pub use subscriptions::{
    CloudAccess, CloudSiteRecord, IssuedCodes, ReminderDue, StateChange, SubscriptionRecord,
};
pub use sync::{
    AccountSyncState, CollectionRecord, ConflictRecord, PulledPage, PulledRow, PushChangeIn,
    PushIn, PushResult, SiteSyncState,
};
pub use time::{from_micros, to_micros};
pub use users::{GroupMember, GroupRecord, GroupSiteUser, UserRecord, UserSummary};
pub use webhooks::{Attempted, DeliveryRecord, DueDelivery, WebhookRecord};

pub type Result<T> = std::result::Result<T, StoreError>;

/// The connections an instance keeps to PostgreSQL at most, unless told otherwise
/// (`database_connections`; docs/operations.md).
pub const POSTGRES_CONNECTIONS: u32 = 16;

/// The numbers of connections to PostgreSQL an instance may be given: one of them listens
/// for other instances' changes, so two at least.
pub const POSTGRES_CONNECTIONS_RANGE: std::ops::RangeInclusive<u32> = 2..=1000;

/// Which backend a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// What validation reads, kept in memory (see `site_cache`).
    pub(crate) cache: Arc<site_cache::SiteCache>,
    /// Bumped whenever the signing keys change (see `signing_keys_epoch`).
    pub(crate) keys_epoch: Arc<std::sync::atomic::AtomicU64>,
    /// How far sites pulled, not yet committed (see `sync::pull_log`).
    pub(crate) pulls: Arc<sync::pull_log::PullLog>,
    /// The operations log's writer (see `operations::group_commit`).
    pub(crate) operations: Arc<operations::group_commit::OperationQueue>,
}

impl Store {
    /// Opens (creating if needed) the SQLite database file and runs its migrations.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        let pools = backend::sqlite::Pools::open(path).await?;
        Ok(Store::with(Backend::Sqlite(pools)))
    }

    /// Connects to PostgreSQL and runs its migrations (sqlx holds an advisory lock while it
    /// migrates, so instances starting together do not race), with at most
    /// [`POSTGRES_CONNECTIONS`] connections.
    pub async fn open_postgres(url: &str) -> Result<Store> {
        Store::open_postgres_with(url, POSTGRES_CONNECTIONS).await
    }

    /// [`Store::open_postgres`] with at most `connections` connections at once (within
    /// [`POSTGRES_CONNECTIONS_RANGE`]), the change listener's among them.
    pub async fn open_postgres_with(url: &str, connections: u32) -> Result<Store> {
        if !POSTGRES_CONNECTIONS_RANGE.contains(&connections) {
            return Err(StoreError::Config(format!(
                "database_connections must be {} to {} (one of them listens for changes), not \
                 {connections}",
                POSTGRES_CONNECTIONS_RANGE.start(),
                POSTGRES_CONNECTIONS_RANGE.end()
            )));
        }
        let pools = backend::postgres::Pools::open(url, connections).await?;
        Ok(Store::with(Backend::Postgres(pools)))
    }

    fn with(backend: Backend) -> Store {
        Store {
            backend,
            cache: Arc::default(),
            keys_epoch: Arc::default(),
            pulls: Arc::default(),
            operations: Arc::default(),
        }
    }

    /// `postgres://…` or `postgresql://…` opens PostgreSQL; anything else is refused.
    pub async fn open_url(url: &str) -> Result<Store> {
        Store::open_url_with(url, POSTGRES_CONNECTIONS).await
    }

    /// [`Store::open_url`] with at most `connections` connections to PostgreSQL.
    pub async fn open_url_with(url: &str, connections: u32) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::open_postgres_with(url, connections).await
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL (expected postgres://…): {}",
                redact_url(url)
            )))
        }
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Does the database answer?
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> Result<()> {
        on_backend!(self, |db| sql::ping(db))
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pools) => pools.close().await,
            Backend::Postgres(pools) => pools.close().await,
        }
    }
}

/// A database URL with its password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password() {
        assert_eq!(
            super::redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(super::redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}
