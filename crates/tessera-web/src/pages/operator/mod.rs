//! The operator console (`/operator/…`): the vendor's staff run the catalog and the business
//! from the browser. Its own sign-in and session cookie (path `/operator`): a customer's
//! session never opens a console page and an operator's never a customer's. Every handler
//! takes the server's `Operator` extractor, as the operator JSON routes do.

pub mod batches;
pub mod catalog;
pub mod collections;
pub mod customers;
pub mod fleet;
pub mod key_import;
pub mod keys;
pub mod money;
pub mod operations;
pub mod outbox;
pub mod plans;
pub mod releases;
pub mod services;
pub mod sign_in;
pub mod signing;
pub mod subscriptions;
pub mod webhooks;
