//! A2: bad batch input is refused.

use super::*;

both_backends!(bad_batch_input,);

async fn bad_batch_input(app: TestApp) {
    with_product(&app).await;
    let cases = [
        (
            json!({"product": "nope", "edition": "standard", "size": "s5", "count": 1}),
            StatusCode::NOT_FOUND,
            "PRODUCT_NOT_FOUND",
        ),
        (
            json!({"product": "fuelmaster", "edition": "gold", "size": "s5", "count": 1}),
            StatusCode::NOT_FOUND,
            "EDITION_NOT_FOUND",
        ),
        (
            json!({"product": "fuelmaster", "edition": "standard", "size": "xl", "count": 1}),
            StatusCode::NOT_FOUND,
            "SIZE_NOT_FOUND",
        ),
        (
            json!({"product": "fuelmaster", "edition": "standard", "size": "s5", "count": 0}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_COUNT",
        ),
        (
            json!({"product": "fuelmaster", "edition": "standard", "size": "s5", "count": 1_000_001}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_COUNT",
        ),
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
    for (body, status, code) in cases {
        error(app.post("/api/v1/key-batches", &body).await, status, code).await;
    }
    error(
        app.get("/api/v1/key-batches/999").await,
        StatusCode::NOT_FOUND,
        "BATCH_NOT_FOUND",
    )
    .await;
    error(
        app.post("/api/v1/key-batches/999/fill", &json!({"count": 1}))
            .await,
        StatusCode::NOT_FOUND,
        "BATCH_NOT_FOUND",
    )
    .await;
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
