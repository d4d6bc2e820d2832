//! Input that must be refused, not stored or turned into a server error: times outside
//! 1970–9999 or with an offset beyond ±23:59, a month 13, names over several lines, a search
//! longer than any name.

use reqwest::StatusCode;
use tessera_api::{NewEntry, SetExpiry};

use crate::fixtures::crm_product;
use crate::harness::*;

both_backends!(out_of_range_input_is_refused);

async fn out_of_range_input_is_refused(app: TestApp) {
    let api = app.api();
    for bad in [
        "0001-01-01T00:00:00Z",
        "-000001-06-01T00:00:00Z",
        "2027-01-01T00:00:00+25:00",
        "2027-01-01",
    ] {
        let expiry = SetExpiry {
            expires_at: Some(bad.into()),
        };
        let body = refused(
            api.set_site_expiry("any-site", &expiry).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_TIMESTAMP",
        );
        assert_eq!(body.field.as_deref(), Some("expires_at"), "{bad}");
    }
    let operations = api.operations("?from=0001-01-01T00:00:00Z").await;
    refused(
        operations,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_TIMESTAMP",
    );

    for month in ["2026-13", "2026-00", "2026-1", "26-01"] {
        let lines = api.invoice_lines(&format!("?month={month}")).await;
        refused(lines, StatusCode::UNPROCESSABLE_ENTITY, "INVALID_QUERY");
    }
    api.invoice_lines("?month=2026-12").await.unwrap();

    api.create_product(&crm_product()).await.unwrap();
    for name in ["Two\nlines", "Tab\there"] {
        let edition = NewEntry {
            code: "pro".into(),
            name: name.into(),
        };
        let body = refused(
            api.add_edition("crm", &edition).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_NAME",
        );
        assert_eq!(body.field.as_deref(), Some("name"));
    }

    let long = "a".repeat(50_000);
    let search = api.accounts(Some(&long), 0, 10).await;
    let body = refused(search, StatusCode::UNPROCESSABLE_ENTITY, "INVALID_QUERY");
    assert_eq!(body.field.as_deref(), Some("q"));
    let site = "s".repeat(65);
    let operations = api.operations(&format!("?site={site}")).await;
    refused(
        operations,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_QUERY",
    );
}
