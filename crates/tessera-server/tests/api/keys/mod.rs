//! Key batches and product keys over HTTP (A2, A3).

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::json;
use tessera_api::{Batch, BatchList, KeyHistory, KeyInfo, KeyPage, Product};
use tessera_core::ProductKey;

use crate::catalog::fuel_product;
use crate::harness::*;

both_backends!(
    batch_is_filled_listed_and_exported,
    key_lookup_revoke_and_history,
    bad_batch_input
);

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

async fn batch_is_filled_listed_and_exported(app: TestApp) {
    with_product(&app).await;
    let batch = order(&app, 2_500).await;
    assert_eq!(
        (batch.requested, batch.generated, batch.status.as_str()),
        (2_500, 0, "generating")
    );
    assert_eq!(batch.created_by, "operator:admin");

    let b = fill(&app, batch.id, 1_000).await;
    assert_eq!(b.generated, 1_000);
    let b = fill(&app, batch.id, 1_000).await;
    assert_eq!(b.generated, 2_000);
    // Asking for more than is missing makes only what is missing.
    let b = fill(&app, batch.id, 5_000).await;
    assert_eq!((b.generated, b.status.as_str()), (2_500, "complete"));
    error(
        app.post(
            &format!("/api/v1/key-batches/{}/fill", batch.id),
            &json!({"count": 1}),
        )
        .await,
        StatusCode::CONFLICT,
        "BATCH_FULL",
    )
    .await;

    let keys = all_keys(&app, batch.id).await;
    assert_eq!(keys.len(), 2_500);
    let distinct: HashSet<_> = keys.iter().map(|k| k.key.clone()).collect();
    assert_eq!(distinct.len(), 2_500);
    for k in &keys {
        assert_eq!(
            ProductKey::parse(&k.key).unwrap().to_string(),
            k.key,
            "grouped form parses back"
        );
        assert_eq!(
            (k.edition.as_str(), k.size.as_str(), k.status.as_str()),
            ("professional", "s5", "issued")
        );
    }

    let csv = app
        .get(&format!("/api/v1/key-batches/{}/keys.csv", batch.id))
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("key,product,edition,size,status,batch,created_at")
    );
    let exported: HashSet<_> = lines
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(exported, distinct);

    let list: BatchList = ok(app.get("/api/v1/key-batches").await, StatusCode::OK).await;
    assert_eq!(list.batches.len(), 1);
    assert_eq!(
        list.batches[0].note.as_deref(),
        Some("reseller ACME, order 42")
    );
    let got: Batch = ok(
        app.get(&format!("/api/v1/key-batches/{}", batch.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got, list.batches[0]);
}

async fn key_lookup_revoke_and_history(app: TestApp) {
    with_product(&app).await;
    let batch = order(&app, 3).await;
    fill(&app, batch.id, 3).await;
    let key = all_keys(&app, batch.id).await.remove(0).key;

    // Any case, with or without dashes, surrounding spaces (URL-encoded).
    for typed in [
        key.clone(),
        key.to_lowercase(),
        key.replace('-', ""),
        format!("%20{key}%20"),
    ] {
        let found: KeyInfo = ok(
            app.get(&format!("/api/v1/keys/{typed}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(found.key, key);
    }
    // One symbol mistyped: refused by the check symbol, before any lookup.
    let mut typo: Vec<char> = key.chars().collect();
    typo[0] = if typo[0] == '2' { '3' } else { '2' };
    let typo: String = typo.into_iter().collect();
    error(
        app.get(&format!("/api/v1/keys/{typo}")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_CHECKSUM_INVALID",
    )
    .await;
    error(
        app.get("/api/v1/keys/ABC").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_FORMAT_INVALID",
    )
    .await;
    // A well-formed key that was never issued.
    use rand::SeedableRng;
    let never = ProductKey::generate(&mut rand::rngs::StdRng::seed_from_u64(99));
    error(
        app.get(&format!("/api/v1/keys/{never}")).await,
        StatusCode::NOT_FOUND,
        "KEY_NOT_FOUND",
    )
    .await;

    let revoke = format!("/api/v1/keys/{key}/revoke");
    error(
        app.post(&revoke, &json!({"reason": "  "})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_REASON",
    )
    .await;
    let unchanged: KeyInfo = ok(
        app.get(&format!("/api/v1/keys/{key}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        unchanged.status, "issued",
        "a refused revocation changes nothing"
    );

    app.clock.advance(jiff::SignedDuration::from_mins(5));
    let revoked: KeyInfo = ok(
        app.post(&revoke, &json!({"reason": "refunded"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(revoked.status, "revoked");
    assert_eq!(revoked.updated_at, "2026-11-23T09:05:00Z");
    error(
        app.post(&revoke, &json!({"reason": "again"})).await,
        StatusCode::CONFLICT,
        "KEY_ALREADY_REVOKED",
    )
    .await;

    let history: KeyHistory = ok(
        app.get(&format!("/api/v1/keys/{key}/history")).await,
        StatusCode::OK,
    )
    .await;
    let events: Vec<_> = history
        .events
        .iter()
        .map(|e| {
            (
                e.action.as_str(),
                e.actor.as_str(),
                e.at.as_str(),
                e.detail.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            (
                "batch.created",
                "operator:admin",
                "2026-11-23T09:00:00Z",
                Some("3 keys")
            ),
            (
                "batch.filled",
                "operator:admin",
                "2026-11-23T09:00:00Z",
                Some("3 keys")
            ),
            (
                "key.revoked",
                "operator:admin",
                "2026-11-23T09:05:00Z",
                Some("refunded")
            ),
        ]
    );
}

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
