//! Tessera's persistence: one repository layer over SQLite (the embedded default) and
//! PostgreSQL (several instances sharing one database).
//!
//! SQL is written once in the subset both accept (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`); the [`on_db!`] and [`in_tx!`] macros expand one body for each backend, so
//! each copy is type-checked against its own driver. Where the backends must differ, the two
//! statements stand side by side.
#![forbid(unsafe_code)]

#[macro_use]
mod macros;
mod accounts;
mod audit;
mod catalog;
mod equipment;
mod error;
mod jobs;
mod keys;
mod operations;
mod operators;
mod orders;
mod outbox;
mod plans;
mod services;
mod sessions;
mod signing_keys;
mod site_cache;
mod site_users;
mod sites;
mod subscriptions;
mod time;
mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::sync::Arc;

pub use accounts::{AccountRecord, NewAccount};
pub use audit::AuditRecord;
pub use catalog::{ProductRecord, ProductRef};
pub use equipment::SiteTechnical;
pub use error::StoreError;
pub use jobs::{JobRunRecord, RunEnd};
pub use keys::{BatchRecord, KeyRecord};
pub use operations::{NewOperation, OperationFilter, OperationRecord};
pub use operators::OperatorRecord;
pub use orders::{
    InvoiceRecord, NewOrder, OrderRecord, PaymentIn, PaymentOutcome, UnappliedPayment,
};
pub use outbox::{Delivery, Mail, OutboxFilter, OutboxRecord};
pub use plans::{NewPlan, PlanRecord};
pub use services::{InvoiceLineRecord, ServiceRecord, StretchRecord, Switched};
pub use sessions::SessionKind;
pub use signing_keys::SigningKeyRecord;
pub use site_cache::{AccountSites, SiteView};
pub use site_users::{NewSiteUser, SiteUserRecord};
pub use sites::{AccountRef, ActivationRequest, ActivationResult, SiteScope, installation};
pub use subscriptions::{
    CloudAccess, CloudSiteRecord, IssuedCodes, ReminderDue, StateChange, SubscriptionRecord,
};
pub use time::{from_micros, to_micros};
pub use users::{GroupMember, UserRecord};

pub type Result<T> = std::result::Result<T, StoreError>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone)]
pub(crate) enum Backend {
    /// Reads go through a pool; every write goes through one connection, so writers queue in
    /// the process instead of failing with SQLITE_BUSY on lock upgrades.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

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
}

impl Store {
    /// Opens (creating if needed) the SQLite database file and runs its migrations.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
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
        SQLITE_MIGRATIONS.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store {
            backend: Backend::Sqlite { read, write },
            cache: Arc::default(),
            keys_epoch: Arc::default(),
        })
    }

    /// Connects to PostgreSQL and runs its migrations (sqlx holds an advisory lock while it
    /// migrates, so instances starting together do not race).
    pub async fn open_postgres(url: &str) -> Result<Store> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            backend: Backend::Postgres(pool),
            cache: Arc::default(),
            keys_epoch: Arc::default(),
        })
    }

    /// `postgres://…` or `postgresql://…` opens PostgreSQL; anything else is refused.
    pub async fn open_url(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::open_postgres(url).await
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL (expected postgres://…): {}",
                redact_url(url)
            )))
        }
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite { .. } => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Does the database answer?
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, read, db => {
            sqlx::query("SELECT 1").execute(db).await?;
        });
        Ok(())
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
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
