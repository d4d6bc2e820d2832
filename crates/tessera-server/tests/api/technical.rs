//! A site's technical data (F4): the technician and the charging points (EVSE IDs), kept by
//! the owning account, read by operators, each EVSE ID at one site only.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tessera_api::SiteTechnicalData;

use crate::fixtures::*;
use crate::harness::*;

both_backends!(technicians_and_charging_points);

async fn put(app: &TestApp, token: &str, site: &str, body: &Value) -> reqwest::Response {
    app.call(
        Method::PUT,
        &format!("/api/v1/account/sites/{site}/technical"),
        Some(body),
        Some(token),
    )
    .await
}

async fn get(app: &TestApp, token: &str, site: &str) -> reqwest::Response {
    app.call(
        Method::GET,
        &format!("/api/v1/account/sites/{site}/technical"),
        None,
        Some(token),
    )
    .await
}

async fn technicians_and_charging_points(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let bruno = register(&app, "bruno", "bruno@example.com", IT_VATS[1], &keys[1]).await;
    let site_a = anna.installations[0].site_id.clone();
    let site_b = bruno.installations[0].site_id.clone();
    let (token_a, token_b) = (
        account_login(&app, "anna").await,
        account_login(&app, "bruno").await,
    );

    let empty: SiteTechnicalData = ok(get(&app, &token_a, &site_a).await, StatusCode::OK).await;
    assert_eq!((empty.technician, empty.evse_ids.len()), (None, 0));

    let body = json!({
        "technician": {"name": "Luca Bianchi", "phone": "0039 348 1234567", "email": "Luca@Service.example"},
        "evse_ids": ["it*abc*e2", "IT*ABC*E1", "ITABCE2"],
    });
    let saved: SiteTechnicalData =
        ok(put(&app, &token_a, &site_a, &body).await, StatusCode::OK).await;
    assert_eq!(
        saved.evse_ids,
        vec!["IT*ABC*E1", "IT*ABC*E2"],
        "canonical, sorted, once"
    );
    let technician = saved.technician.clone().unwrap();
    assert_eq!(technician.name, "Luca Bianchi");
    let read: SiteTechnicalData = ok(get(&app, &token_a, &site_a).await, StatusCode::OK).await;
    assert_eq!(read, saved);
    let by_operator: SiteTechnicalData = ok(
        app.get(&format!("/api/v1/sites/{site_a}/technical")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_operator, saved);

    // Bad input names its field and changes nothing.
    let e = error(
        put(
            &app,
            &token_a,
            &site_a,
            &json!({"technician": null, "evse_ids": ["IT*ABC*E3", "IT*ABC*X"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EVSE_ID_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("evse_ids[1]"));
    let e = error(
        put(&app, &token_a, &site_a, &json!({"technician": {"name": "Luca", "phone": "0039 348 1", "email": "not an address"}})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EMAIL_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("technician.email"));
    let read: SiteTechnicalData = ok(get(&app, &token_a, &site_a).await, StatusCode::OK).await;
    assert_eq!(read, saved);

    // A charging point is at one site: bruno cannot list anna's, and his site stays as it was.
    error(
        put(
            &app,
            &token_b,
            &site_b,
            &json!({"evse_ids": ["IT*XYZ*E9", "IT*ABC*E2"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "EVSE_ID_TAKEN",
    )
    .await;
    let his: SiteTechnicalData = ok(get(&app, &token_b, &site_b).await, StatusCode::OK).await;
    assert!(his.evse_ids.is_empty());
    // Nor read or change anna's site.
    error(
        get(&app, &token_b, &site_a).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    error(
        put(&app, &token_b, &site_a, &json!({"evse_ids": []})).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    // Once anna drops it, bruno may list it.
    let _: SiteTechnicalData = ok(
        put(
            &app,
            &token_a,
            &site_a,
            &json!({"technician": null, "evse_ids": ["IT*ABC*E1"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let his: SiteTechnicalData = ok(
        put(&app, &token_b, &site_b, &json!({"evse_ids": ["IT*ABC*E2"]})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(his.evse_ids, vec!["IT*ABC*E2"]);
    let read: SiteTechnicalData = ok(get(&app, &token_a, &site_a).await, StatusCode::OK).await;
    assert_eq!(
        (read.technician, read.evse_ids),
        (None, vec!["IT*ABC*E1".to_owned()])
    );
    app.stop().await;
}
