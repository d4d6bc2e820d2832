//! The operations log (I1, I2): every state-changing request on record with who, what, when,
//! which site, outcome and request id; operators filter and export it, account superadmins
//! read their own; the daily purge keeps exactly the configured number of days.

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tessera_api::{AddKey, Operation, OperationPage, SetLogRetention};
use tessera_core::Clock;
use tessera_server::Config;

use crate::fixtures::*;
use crate::harness::*;

fn ten_days_of_operations(config: &mut Config) {
    config.operations_log_days = 10;
}

async fn ops(app: &TestApp, query: &str) -> Vec<Operation> {
    let page: OperationPage = ok(
        app.get(&format!("/api/v1/operations{query}")).await,
        StatusCode::OK,
    )
    .await;
    page.operations
}

async fn own_ops(app: &TestApp, token: &str) -> Vec<Operation> {
    let page: OperationPage = ok(
        app.call(Method::GET, "/api/v1/account/operations", None, Some(token))
            .await,
        StatusCode::OK,
    )
    .await;
    page.operations
}

// The stories, one file per idea.
mod exports;
mod recorded;
mod refused;
mod retention;
mod run_now;
