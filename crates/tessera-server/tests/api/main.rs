//! End-to-end tests over real HTTP, each story on SQLite and on PostgreSQL.

mod harness;

mod auth;
mod catalog;
mod health;
mod keys;
