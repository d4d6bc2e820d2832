//! A2: bad batch input is refused.
// Raw JSON only where a CreateBatch cannot say the body: a count below zero, no size.

use serde_json::json;

use super::*;

/// A batch of `count` keys of fuelmaster's `edition` and `size` (`product` as given).
fn batch(product: &str, edition: &str, size: &str, count: u32) -> CreateBatch {
    CreateBatch {
        product: product.into(),
        edition: edition.into(),
        size: size.into(),
        count,
        note: None,
    }
}

both_backends!(bad_batch_input,);

async fn bad_batch_input(app: TestApp) {
    with_product(&app).await;
    let cases = [
        (
            batch("nope", "standard", "s5", 1),
            StatusCode::NOT_FOUND,
            "PRODUCT_NOT_FOUND",
        ),
        (
            batch("fuelmaster", "gold", "s5", 1),
            StatusCode::NOT_FOUND,
            "EDITION_NOT_FOUND",
        ),
        (
            batch("fuelmaster", "standard", "xl", 1),
            StatusCode::NOT_FOUND,
            "SIZE_NOT_FOUND",
        ),
        (
            batch("fuelmaster", "standard", "s5", 0),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_COUNT",
        ),
        (
            batch("fuelmaster", "standard", "s5", 1_000_001),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_COUNT",
        ),
    ];
    for (body, status, code) in cases {
        refused(app.api().create_batch(&body).await, status, code);
    }
    let malformed = [
        (
            json!({"product": "fuelmaster", "edition": "standard", "size": "s5", "count": -1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_FIELD",
        ),
        (
            json!({"product": "fuelmaster", "edition": "standard", "count": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_FIELD",
        ),
    ];
    for (body, status, code) in malformed {
        error(app.post("/api/v1/key-batches", &body).await, status, code).await;
    }
    error(
        app.get("/api/v1/key-batches/999").await,
        StatusCode::NOT_FOUND,
        "BATCH_NOT_FOUND",
    )
    .await;
    refused(
        fill(&app, 999, 1).await,
        StatusCode::NOT_FOUND,
        "BATCH_NOT_FOUND",
    );
    error(
        app.get("/api/v1/key-batches/abc").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_PATH",
    )
    .await;
    error(
        app.get("/api/v1/key-batches/999/keys?limit=5000").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_QUERY",
    )
    .await;
    let list: BatchList = ok(app.get("/api/v1/key-batches").await, StatusCode::OK).await;
    assert!(list.batches.is_empty(), "no refused order left a batch");
}
