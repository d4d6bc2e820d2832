//! Refused products: codes taken, unknown products, bad codes and names, broken bodies; none
//! leaves anything behind.
// Raw JSON only where a CreateProduct cannot say the body: a member missing (code, name).

use serde_json::json;

use super::*;

both_backends!(bad_product_input);

async fn bad_product_input(app: TestApp) {
    let api = app.api();
    api.create_product(&fuel_product()).await.unwrap();
    refused(
        api.create_product(&fuel_product()).await,
        StatusCode::CONFLICT,
        "PRODUCT_EXISTS",
    );
    refused(
        api.add_edition("fuelmaster", &entry("standard", "Again"))
            .await,
        StatusCode::CONFLICT,
        "EDITION_EXISTS",
    );
    refused(
        api.add_size("fuelmaster", &size("s5", "Again", &[])).await,
        StatusCode::CONFLICT,
        "SIZE_EXISTS",
    );
    refused(
        api.add_module("fuelmaster", &entry("cloud", "Again")).await,
        StatusCode::CONFLICT,
        "MODULE_EXISTS",
    );
    let twice = CreateProduct {
        editions: vec![entry("a", "A"), entry("A", "A again")],
        ..bare("crm", "CRM")
    };
    refused(
        api.create_product(&twice).await,
        StatusCode::CONFLICT,
        "EDITION_EXISTS",
    );

    refused(
        api.add_edition("nope", &entry("x", "X")).await,
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
    );
    refused(
        api.product("nope").await,
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
    );

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
    let e = refused(
        api.create_product(&bare("no spaces", "X")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_CODE",
    );
    assert_eq!(e.field.as_deref(), Some("code"));
    let bad_limit = CreateProduct {
        sizes: vec![size("s", "S", &[("bad key", 1)])],
        ..bare("crm", "CRM")
    };
    let e = refused(
        api.create_product(&bad_limit).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_CODE",
    );
    assert_eq!(e.field.as_deref(), Some("sizes[0].limits.bad key"));
    let e = refused(
        api.create_product(&bare("crm", "   ")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_NAME",
    );
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
        .body(serde_json::to_string(&fuel_product()).unwrap())
        .send()
        .await
        .unwrap();
    error(
        no_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;
    let huge = bare("big", &"x".repeat(300 * 1024));
    refused(
        api.create_product(&huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
    );

    // None of the refused requests left anything behind.
    let list = api.products().await.unwrap();
    assert_eq!(
        list.products
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>(),
        ["fuelmaster"]
    );
}
