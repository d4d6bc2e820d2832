//! Products with editions, size tiers and modules (A1), and their bad inputs.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera_api::{Product, ProductList};

use crate::harness::*;

both_backends!(
    product_lifecycle,
    bad_product_input,
    operator_routes_need_a_token
);

pub fn fuel_product() -> Value {
    json!({
        "code": "fuelmaster",
        "name": "FuelMaster",
        "editions": [
            {"code": "standard", "name": "Standard"},
            {"code": "professional", "name": "Professional"}
        ],
        "sizes": [
            {"code": "s5", "name": "Up to 5", "limits": {"drivers": 5, "vehicles": 5, "users": 10}}
        ],
        "modules": [{"code": "cloud", "name": "Cloud"}]
    })
}

async fn product_lifecycle(app: TestApp) {
    let created: Product = ok(
        app.post("/api/v1/products", &fuel_product()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created.code, "fuelmaster");
    let ranks: Vec<_> = created
        .editions
        .iter()
        .map(|e| (e.code.as_str(), e.rank))
        .collect();
    assert_eq!(ranks, [("standard", 1), ("professional", 2)]);
    assert_eq!(created.sizes[0].limits["drivers"], 5);
    assert_eq!(created.sizes[0].limits["users"], 10);

    let added: Product = ok(
        app.post(
            "/api/v1/products/fuelmaster/editions",
            &json!({"code": "Enterprise", "name": "Enterprise"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        added.editions.last().map(|e| (e.code.as_str(), e.rank)),
        Some(("enterprise", 3))
    );
    let added: Product = ok(
        app.post(
            "/api/v1/products/fuelmaster/sizes",
            &json!({"code": "s20", "name": "Up to 20", "limits": {"drivers": 20}}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(added.sizes.len(), 2);
    let added: Product = ok(
        app.post(
            "/api/v1/products/fuelmaster/modules",
            &json!({"code": "reports", "name": "Reports"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        added
            .modules
            .iter()
            .map(|m| m.code.as_str())
            .collect::<Vec<_>>(),
        ["cloud", "reports"]
    );

    let fetched: Product = ok(app.get("/api/v1/products/fuelmaster").await, StatusCode::OK).await;
    assert_eq!(fetched.editions, added.editions);
    let list: ProductList = ok(app.get("/api/v1/products").await, StatusCode::OK).await;
    assert_eq!(list.products.len(), 1);
}

async fn bad_product_input(app: TestApp) {
    ok::<Product>(
        app.post("/api/v1/products", &fuel_product()).await,
        StatusCode::CREATED,
    )
    .await;
    error(
        app.post("/api/v1/products", &fuel_product()).await,
        StatusCode::CONFLICT,
        "PRODUCT_EXISTS",
    )
    .await;
    error(
        app.post(
            "/api/v1/products/fuelmaster/editions",
            &json!({"code": "standard", "name": "Again"}),
        )
        .await,
        StatusCode::CONFLICT,
        "EDITION_EXISTS",
    )
    .await;
    error(
        app.post(
            "/api/v1/products/fuelmaster/sizes",
            &json!({"code": "s5", "name": "Again"}),
        )
        .await,
        StatusCode::CONFLICT,
        "SIZE_EXISTS",
    )
    .await;
    error(
        app.post(
            "/api/v1/products/fuelmaster/modules",
            &json!({"code": "cloud", "name": "Again"}),
        )
        .await,
        StatusCode::CONFLICT,
        "MODULE_EXISTS",
    )
    .await;
    let twice = json!({"code": "crm", "name": "CRM",
        "editions": [{"code": "a", "name": "A"}, {"code": "A", "name": "A again"}]});
    error(
        app.post("/api/v1/products", &twice).await,
        StatusCode::CONFLICT,
        "EDITION_EXISTS",
    )
    .await;

    error(
        app.post(
            "/api/v1/products/nope/editions",
            &json!({"code": "x", "name": "X"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
    )
    .await;
    error(
        app.get("/api/v1/products/nope").await,
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
    )
    .await;

    let e = error(
        app.post("/api/v1/products", &json!({"code": "crm", "name": "CRM", "editions": [{"code": "a", "name": "A"}, {"name": "B"}]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_FIELD",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("editions[1].code"));
    let e = error(
        app.post("/api/v1/products", &json!({"code": "crm"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_FIELD",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("name"));
    let e = error(
        app.post(
            "/api/v1/products",
            &json!({"code": "no spaces", "name": "X"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_CODE",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("code"));
    let e = error(
        app.post("/api/v1/products", &json!({"code": "crm", "name": "CRM", "sizes": [{"code": "s", "name": "S", "limits": {"bad key": 1}}]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_CODE",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("sizes[0].limits.bad key"));
    let e = error(
        app.post("/api/v1/products", &json!({"code": "crm", "name": "   "}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_NAME",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("name"));
    error(
        app.post_raw("/api/v1/products", "{\"code\": ").await,
        StatusCode::BAD_REQUEST,
        "MALFORMED_JSON",
    )
    .await;
    let no_type = app
        .http
        .post(format!("{}/api/v1/products", app.base))
        .bearer_auth(app.token())
        .body(fuel_product().to_string())
        .send()
        .await
        .unwrap();
    error(
        no_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;
    let huge = json!({"code": "big", "name": "x".repeat(300 * 1024)});
    error(
        app.post("/api/v1/products", &huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
    )
    .await;

    // None of the refused requests left anything behind.
    let list: ProductList = ok(app.get("/api/v1/products").await, StatusCode::OK).await;
    assert_eq!(
        list.products
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>(),
        ["fuelmaster"]
    );
}

/// Every route the OpenAPI document marks as needing a token (operator, account or site)
/// refuses requests without one or with a forged one, so a new route cannot forget the check unnoticed.
async fn operator_routes_need_a_token(app: TestApp) {
    let openapi = serde_json::to_value(tessera_server::routes::openapi()).unwrap();
    let anon = reqwest::Client::new();
    let mut checked = 0;
    for (path, item) in openapi["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["security"].as_array().is_none_or(|s| s.is_empty()) {
                continue;
            }
            let concrete = path
                .replace("{product}", "fuelmaster")
                .replace("{id}", "1")
                .replace("{key}", "AAAA-AAAA-AAAA-AAAA")
                .replace("{site_id}", "0123456789abcdef0123456789abcdef")
                .replace("{key_id}", "0123456789abcdef");
            for token in [None, Some("forged-token")] {
                let url = format!("{}{concrete}", app.base);
                let mut req = match method.as_str() {
                    "get" => anon.get(url),
                    "post" => anon.post(url).json(&json!({})),
                    "put" => anon.put(url).json(&json!({})),
                    "delete" => anon.delete(url),
                    other => panic!("unexpected method {other}"),
                };
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                let resp = req.send().await.unwrap();
                assert_eq!(
                    resp.status(),
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {token:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 16,
        "only {checked} operator routes found in the OpenAPI document"
    );
}
