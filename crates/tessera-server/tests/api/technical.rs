//! A site's technical data (F4): the technician and the charging points (EVSE IDs), kept by
//! the owning account, read by operators, each EVSE ID at one site only.

use reqwest::StatusCode;
use tessera_api::{SiteTechnicalData, Technician};

use crate::fixtures::*;
use crate::harness::*;

both_backends!(technicians_and_charging_points);

/// Technical data with `technician` and the charging points `evse_ids`.
fn data(technician: Option<Technician>, evse_ids: &[&str]) -> SiteTechnicalData {
    SiteTechnicalData {
        technician,
        evse_ids: evse_ids.iter().map(|&e| e.to_owned()).collect(),
    }
}

fn technician(name: &str, phone: &str, email: &str) -> Technician {
    Technician {
        name: name.into(),
        phone: phone.into(),
        email: email.into(),
    }
}

async fn put(
    app: &TestApp,
    token: &str,
    site: &str,
    body: &SiteTechnicalData,
) -> ApiResult<SiteTechnicalData> {
    app.api_as(Some(token)).set_own_technical(site, body).await
}

async fn get(app: &TestApp, token: &str, site: &str) -> ApiResult<SiteTechnicalData> {
    app.api_as(Some(token)).own_technical(site).await
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

    let empty = get(&app, &token_a, &site_a).await.unwrap();
    assert_eq!((empty.technician, empty.evse_ids.len()), (None, 0));

    let luca = technician("Luca Bianchi", "0039 348 1234567", "Luca@Service.example");
    let body = data(Some(luca), &["it*abc*e2", "IT*ABC*E1", "ITABCE2"]);
    let saved = put(&app, &token_a, &site_a, &body).await.unwrap();
    assert_eq!(
        saved.evse_ids,
        vec!["IT*ABC*E1", "IT*ABC*E2"],
        "canonical, sorted, once"
    );
    let technician_saved = saved.technician.clone().unwrap();
    assert_eq!(technician_saved.name, "Luca Bianchi");
    let read = get(&app, &token_a, &site_a).await.unwrap();
    assert_eq!(read, saved);
    let by_operator = app.api().site_technical(&site_a).await.unwrap();
    assert_eq!(by_operator, saved);

    // Bad input names its field and changes nothing.
    let e = refused(
        put(
            &app,
            &token_a,
            &site_a,
            &data(None, &["IT*ABC*E3", "IT*ABC*X"]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EVSE_ID_INVALID",
    );
    assert_eq!(e.field.as_deref(), Some("evse_ids[1]"));
    let no_address = technician("Luca", "0039 348 1", "not an address");
    let e = refused(
        put(&app, &token_a, &site_a, &data(Some(no_address), &[])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EMAIL_INVALID",
    );
    assert_eq!(e.field.as_deref(), Some("technician.email"));
    let read = get(&app, &token_a, &site_a).await.unwrap();
    assert_eq!(read, saved);

    // A charging point is at one site: bruno cannot list anna's, and his site stays as it was.
    refused(
        put(
            &app,
            &token_b,
            &site_b,
            &data(None, &["IT*XYZ*E9", "IT*ABC*E2"]),
        )
        .await,
        StatusCode::CONFLICT,
        "EVSE_ID_TAKEN",
    );
    let his = get(&app, &token_b, &site_b).await.unwrap();
    assert!(his.evse_ids.is_empty());
    // Nor read or change anna's site.
    refused(
        get(&app, &token_b, &site_a).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    refused(
        put(&app, &token_b, &site_a, &data(None, &[])).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    // Once anna drops it, bruno may list it.
    put(&app, &token_a, &site_a, &data(None, &["IT*ABC*E1"]))
        .await
        .unwrap();
    let his = put(&app, &token_b, &site_b, &data(None, &["IT*ABC*E2"]))
        .await
        .unwrap();
    assert_eq!(his.evse_ids, vec!["IT*ABC*E2"]);
    let read = get(&app, &token_a, &site_a).await.unwrap();
    assert_eq!(
        (read.technician, read.evse_ids),
        (None, vec!["IT*ABC*E1".to_owned()])
    );
    app.stop().await;
}
