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
//! Blocking, no async runtime: run [`Client::poll`] from any thread (or
//! [`Client::spawn_background`]). See `docs/client.md`.
#![forbid(unsafe_code)]

mod background;
mod client;
pub mod clock_check;
mod config;
mod entitlement;
pub mod errors;
pub mod fingerprint;
pub mod grace;
pub mod schedule;
pub mod servers;
pub mod state_file;
mod status;
mod transport;
pub mod trust;

pub use background::Background;
pub use client::{AccountRef, Activated, Client, ConnectionTest, Validated};
pub use config::ClientConfig;
pub use entitlement::Entitlement;
pub use errors::{ClientError, Result, ServerFailure};
pub use fingerprint::MachineId;
pub use grace::{LockReason, Standing};
pub use schedule::ScheduleConfig;
pub use servers::ServerList;
pub use status::Status;
pub use transport::Timeouts;
pub use trust::TrustStore;

pub use tessera_api::SiteData;
pub use tessera_core::{Clock, LicenseState, ManualClock, SystemClock};
