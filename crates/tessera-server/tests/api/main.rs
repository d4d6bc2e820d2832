//! End-to-end tests over real HTTP, each story on SQLite and on PostgreSQL.

mod fixtures;
mod harness;

mod accounts;
mod activation;
mod auth;
mod bounds;
mod catalog;
mod cloud;
mod connections;
mod health;
mod instances;
mod keys;
mod mail;
mod openapi;
mod operations;
mod rights;
mod services;
mod site_users;
mod sync;
mod technical;
mod webhooks;
