//! Health, readiness, metrics, the OpenAPI document, the docs page, public keys.

use reqwest::StatusCode;
use serde_json::Value;
use tessera_api::PublicKeys;

use crate::harness::*;

both_backends!(
    operational_endpoints_answer,
    signing_key_is_published_and_kept,
    the_validation_route_keeps_the_essential_layers
);

async fn operational_endpoints_answer(app: TestApp) {
    assert_eq!(app.anonymous_get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(
        app.anonymous_get("/readyz").await.text().await.unwrap(),
        "ready"
    );

    let openapi: Value = ok(app.anonymous_get("/api/openapi.json").await, StatusCode::OK).await;
    for path in [
        "/api/v1/products",
        "/api/v1/key-batches/{id}/fill",
        "/api/v1/keys/{key}/revoke",
    ] {
        assert!(
            openapi["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(openapi["components"]["schemas"]["CreateProduct"].is_object());

    let docs = app.anonymous_get("/api/docs/").await;
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "docs page is Swagger UI");
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from a CDN"
    );

    error(
        app.anonymous_get("/api/v1/nothing-here").await,
        StatusCode::NOT_FOUND,
        "ROUTE_NOT_FOUND",
    )
    .await;
    let metrics = app.anonymous_get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(
            "tessera_http_requests_total{method=\"GET\",route=\"/api/openapi.json\",status=\"200\"}"
        ),
        "{metrics}"
    );
    if app.store.kind() == tessera_store::BackendKind::Sqlite {
        // The single write connection's waits and holds: the app wrote as it started.
        for name in [
            "tessera_sqlite_write_wait_seconds_count",
            "tessera_sqlite_write_hold_seconds_count",
        ] {
            assert!(metrics.contains(name), "{name}: {metrics}");
        }
    }
}

async fn signing_key_is_published_and_kept(app: TestApp) {
    let keys: PublicKeys = ok(
        app.anonymous_get("/api/v1/public-keys").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(keys.keys.len(), 1);
    let key = &keys.keys[0];
    assert_eq!(key.algorithm, "Ed25519");
    assert_eq!(key.key_id.len(), 16);
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&key.public_key)
        .unwrap();
    assert_eq!(raw.len(), 32);
    let place = app.place().clone();
    app.stop().await;

    let again = start(&place, |_| {}).await;
    let after: PublicKeys = ok(
        again.anonymous_get("/api/v1/public-keys").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after.keys.len(), 1, "a restart reuses the key");
    assert_eq!(after.keys[0].key_id, key.key_id);
    again.stop().await;
}

/// Validation runs under a lighter layer stack than the other routes (routes::hot_api); what
/// every route owes its callers it still does: a request id, the body limit, metrics and a
/// place in the OpenAPI document.
async fn the_validation_route_keeps_the_essential_layers(app: TestApp) {
    let path = "/api/v1/validations";
    let body = tessera_api::ValidationRequest {
        site_id: "0".repeat(32),
        fingerprint: "a".repeat(64),
        nonce: "b".repeat(32),
    };
    // The raw answer: its headers are what this story looks at.
    let answer = app.send(reqwest::Method::POST, path, &body, None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let request_id = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(request_id.contains('-'), "{request_id}");
    let doc: Value = answer.json().await.unwrap();
    assert_eq!(doc["type"], "tessera-validation/v2");

    let again = app.send(reqwest::Method::POST, path, &body, None).await;
    assert_ne!(
        again.headers()["x-request-id"].to_str().unwrap(),
        request_id
    );

    let huge = "x".repeat(300 * 1024);
    let too_big = app
        .http
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/json")
        .body(format!(r#"{{"site_id":"{huge}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let metrics = app.anonymous_get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(&format!(
            "tessera_http_requests_total{{method=\"POST\",route=\"{path}\",status=\"200\"}}"
        )),
        "{metrics}"
    );
    let openapi: Value = ok(app.anonymous_get("/api/openapi.json").await, StatusCode::OK).await;
    assert!(
        openapi["paths"][path]["post"].is_object(),
        "{path} is documented"
    );
}
