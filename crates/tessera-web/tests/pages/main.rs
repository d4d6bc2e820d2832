//! The pages as a browser meets them, over real HTTP on loopback: what each page shows,
//! what it refuses, and the security every page carries. (The stories in real Chromium are
//! in tests/browser.)

mod cloud;
mod cloud_given;
mod cloud_orders;
mod cloud_payments;
mod cloud_trial;
mod downloads;
mod escaping;
mod invitation;
mod keys;
mod offline;
mod operations;
mod operator;
mod operator_collections;
mod operator_customers;
mod operator_fleet;
mod operator_jobs_outbox;
mod operator_key_import;
mod operator_keys;
mod operator_money;
mod operator_offline;
mod operator_operations;
mod operator_releases;
mod operator_services;
mod operator_signing;
mod operator_subscriptions;
mod operator_webhooks;
mod overview;
mod password_reset;
mod register;
mod security;
mod sign_in;
mod site;
mod site_release;
mod site_services;
mod site_users;
mod sites;
mod sync_conflicts;
mod users;
mod visitor;
