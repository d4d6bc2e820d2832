//! Key batches and product keys over HTTP (A2, A3).

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::json;
use tessera_api::{Batch, BatchList, KeyHistory, KeyInfo, KeyPage, Product, RevokeKey};
use tessera_core::ProductKey;

use crate::catalog::fuel_product;
use crate::harness::*;

async fn with_product(app: &TestApp) {
    ok::<Product>(
        app.post("/api/v1/products", &fuel_product()).await,
        StatusCode::CREATED,
    )
    .await;
}

async fn order(app: &TestApp, count: u32) -> Batch {
    let body = json!({"product": "FuelMaster", "edition": "professional", "size": "s5",
        "count": count, "note": "reseller ACME, order 42"});
    ok(
        app.post("/api/v1/key-batches", &body).await,
        StatusCode::CREATED,
    )
    .await
}

async fn fill(app: &TestApp, id: i64, count: u32) -> Batch {
    ok(
        app.post(
            &format!("/api/v1/key-batches/{id}/fill"),
            &json!({"count": count}),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn all_keys(app: &TestApp, id: i64) -> Vec<KeyInfo> {
    let mut keys = Vec::new();
    let mut after = 0;
    loop {
        let page: KeyPage = ok(
            app.get(&format!(
                "/api/v1/key-batches/{id}/keys?after={after}&limit=1000"
            ))
            .await,
            StatusCode::OK,
        )
        .await;
        keys.extend(page.keys);
        match page.next_after {
            Some(next) => after = next,
            None => return keys,
        }
    }
}

// The stories, one file per idea.
mod bad_input;
mod batches;
mod lookup;
