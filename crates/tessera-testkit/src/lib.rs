//! Real parts for Tessera's tests: a throwaway PostgreSQL cluster, a real server on loopback
//! ([`app::spawn_app`]), an SMTP sink.
//!
//! Tests talk to a real server rather than a mock because the SQL dialect, locking and
//! constraint behaviour are exactly what the store code has to get right.

pub mod app;
mod blocking;
pub mod browser;
mod checks;
pub mod cloud;
mod cluster;
pub mod fixtures;
mod place;
pub mod scenarios;
pub mod smtp;
pub mod sync;
mod template;

pub use app::{
    ADMIN_PASSWORD, Backend, BlockingApp, DataPlace, TestApp, error, ok, refused, spawn_app, start,
    start_time, until,
};
pub use cluster::{PgCluster, free_port, pg_required};
