//! Key batches and product keys over HTTP (A2, A3).

use std::collections::HashSet;

use reqwest::StatusCode;
use tessera_api::{
    Batch, BatchList, CreateBatch, FillBatch, KeyHistory, KeyInfo, KeyPage, RevokeKey,
};
use tessera_core::ProductKey;

use crate::catalog::fuel_product;
use crate::harness::*;

async fn with_product(app: &TestApp) {
    app.api().create_product(&fuel_product()).await.unwrap();
}

async fn order(app: &TestApp, count: u32) -> Batch {
    let body = CreateBatch {
        product: "FuelMaster".into(),
        edition: "professional".into(),
        size: "s5".into(),
        count,
        note: Some("reseller ACME, order 42".into()),
    };
    app.api().create_batch(&body).await.unwrap()
}

async fn fill(app: &TestApp, id: i64, count: u32) -> ApiResult<Batch> {
    app.api().fill_batch(id, &FillBatch { count }).await
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
mod history;
mod import;
mod lookup;
