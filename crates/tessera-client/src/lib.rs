//! Tessera's client library: what a vendor embeds in its on-premise product.
//!
//! - [`Client::activate`] binds a product key to this machine's fingerprint and stores the
//!   signed license in a MACed state file ([`state_file`]).
//! - [`Client::status`] answers "may I run, with which edition, modules and limits?" from
//!   memory, with no network, in well under a microsecond.
//! - [`Client::validate_now`] / [`Client::poll`] run the daily check (D1) against the
//!   primary server or its backups (D3), bound to a fresh nonce (D6), with the clock checks
//!   of D4; [`grace`] holds the lock rules (D2).
//!
//! - [`sync`]: cloud data sync — the code exchange after the data check, a durable outbox
//!   pushed exactly once in effect, pull with a saved cursor, restore, the first sync, the
//!   status.
//!
//! Blocking, no async runtime: run [`Client::poll`] from any thread (or
//! [`Client::spawn_background`]). See `docs/client.md`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use tessera_client::{AccountRef, Client, ClientConfig, ServerList, TrustStore};
//!
//! # fn main() -> tessera_client::Result<()> {
//! # let vendor_keys_json = r#"{"keys": []}"#;
//! let servers = ServerList::new(["https://licenses.acme.example", "https://backup.acme.example"])?;
//! let trust = TrustStore::from_published_json(vendor_keys_json)?;
//! let cfg = ClientConfig::new(servers, trust, "acme-crm-salt", "/var/lib/acme/license.state");
//! let client = Arc::new(Client::open(cfg)?);
//! if client.status().entitlement.is_none() {
//!     client.activate(AccountRef::Email("jack@example.com".into()), "U107-3D27-309C-F484")?;
//! }
//! let _checks = client.spawn_background(|r| {
//!     if let Err(e) = r {
//!         eprintln!("license check failed: {e} ({})", e.code());
//!     }
//! });
//! let status = client.status(); // memory only
//! if status.may_run() && status.has_module("mail") {
//!     println!("{} seats, {:?} days left", status.limit("users").unwrap_or(0), status.days_left());
//! }
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

mod background;
mod client;
pub mod clock_check;
mod config;
mod entitlement;
pub mod errors;
mod failover;
pub mod fingerprint;
pub mod grace;
mod offline;
pub mod schedule;
pub mod servers;
pub mod state_file;
mod status;
pub mod sync;
mod transport;
pub mod trust;

pub use background::Background;
pub use client::{AccountRef, Activated, Client, Validated};
pub use config::ClientConfig;
pub use entitlement::Entitlement;
pub use errors::{ClientError, Result, ServerFailure};
pub use failover::ConnectionTest;
pub use fingerprint::MachineId;
pub use grace::{LockReason, Standing};
pub use offline::{OfflineImported, OfflineOrigin};
pub use schedule::ScheduleConfig;
pub use servers::ServerList;
pub use status::Status;
pub use sync::{
    Change, CloudActivated, Finding, LocalRecord, OutboxBatch, Outcome, PreCheck, PulledRecord,
    Pushed, SyncConfig, SyncHost, SyncStatus, VendorCheck,
};
pub use transport::Timeouts;
pub use trust::TrustStore;

pub use tessera_api::SiteData;
pub use tessera_core::offline::{OfflineMode, OfflineRequest, OfflineTerms, RequestKind};
pub use tessera_core::release::Version;
pub use tessera_core::{Clock, LicenseState, ManualClock, SystemClock};
