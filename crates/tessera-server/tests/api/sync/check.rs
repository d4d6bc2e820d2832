//! The data check before cloud activation (E7), as a dry run with the site's token: each
//! offending record named — duplicates, missing fields, identifiers another site already
//! put in the cloud, unknown collections — and nothing stored.

use tessera_api::{CheckRecord, CheckRequest};

use super::*;

both_backends!(the_data_check_names_each_offending_record);

async fn the_data_check_names_each_offending_record(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    first_synced(&a).await;
    a.push(
        "a-1",
        vec![upsert(
            "drivers",
            "d9",
            0,
            json!({"name": "Carla", "ibutton": "C3"}),
        )],
    )
    .await
    .unwrap();

    let record = |collection: &str, id: &str, data: Value| CheckRecord {
        collection: collection.into(),
        id: id.into(),
        data,
    };
    let req = CheckRequest {
        records: vec![
            record("drivers", "b1", json!({"name": "Anna", "ibutton": "A1"})),
            record("drivers", "b2", json!({"name": "Bruno", "ibutton": "A1"})),
            record("drivers", "b3", json!({"name": "Carla", "ibutton": "C3"})),
            record("vehicles", "v1", json!({"ibutton": "V1"})),
            record("users", "u1", json!({"nickname": ""})),
            record("dispensers", "p1", json!({})),
        ],
    };
    let site_b = app.api_as(Some(&w.site_tokens[1]));
    let report = site_b.check_sync_data(&req).await.unwrap();
    assert!(!report.ok);
    let named: Vec<(&str, &str, Option<&str>, Option<&str>)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.id.as_str(),
                f.problem.as_str(),
                f.field.as_deref(),
                f.other_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("b2", "duplicate", Some("ibutton"), Some("b1")),
            ("b3", "held_in_cloud", Some("ibutton"), Some("d9")),
            ("v1", "missing_field", Some("plate"), None),
            ("u1", "missing_field", Some("nickname"), None),
            ("p1", "unknown_collection", None, None),
        ]
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.message.contains(&f.id) || f.problem == "unknown_collection")
    );

    let clean = CheckRequest {
        records: vec![record(
            "drivers",
            "b1",
            json!({"name": "Anna", "ibutton": "A1"}),
        )],
    };
    assert!(site_b.check_sync_data(&clean).await.unwrap().ok);
    // A dry run: the cloud holds only what A pushed.
    let mut fresh = Client::new(&app, &w.cloud[0]);
    assert_eq!(fresh.pull_all(100).await, 1);
    refused(
        app.api_as(Some(&w.cloud[1])).check_sync_data(&clean).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    app.stop().await;
}

both_backends!(a_dry_run_up_to_the_body_limit_is_taken);

/// `max_body_bytes` (256 KiB by default) is the limit of a dry run's body: 200 KB is
/// checked, 300 KB is `413 BODY_TOO_LARGE`.
async fn a_dry_run_up_to_the_body_limit_is_taken(app: TestApp) {
    let w = world(&app).await;
    let site = app.api_as(Some(&w.site_tokens[0]));
    let of_size = |bytes: usize| {
        let records: Vec<CheckRecord> = (0..bytes / 100)
            .map(|i| CheckRecord {
                collection: "drivers".into(),
                id: format!("d{i}"),
                data: json!({"name": format!("Driver {i:08}"), "ibutton": format!("B{i:08}"), "note": "x".repeat(20)}),
            })
            .collect();
        let req = CheckRequest { records };
        let size = serde_json::to_vec(&req).unwrap().len();
        (req, size)
    };
    let (small, size) = of_size(200_000);
    assert!((180_000..256 * 1024).contains(&size), "{size}");
    let report = site.check_sync_data(&small).await.unwrap();
    assert!(report.ok, "{:?}", report.findings.first());
    let (large, size) = of_size(300_000);
    assert!(size > 256 * 1024, "{size}");
    refused(
        site.check_sync_data(&large).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
    );
    app.stop().await;
}

both_backends!(a_collection_holding_records_is_declared_again);

/// Once a collection holds records its required fields may change, its unique ones not
/// (`COLLECTION_IN_USE`). (On PostgreSQL the in-use check once answered 500.)
async fn a_collection_holding_records_is_declared_again(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    first_synced(&a).await;
    a.push(
        "a-1",
        vec![upsert(
            "drivers",
            "d1",
            0,
            json!({"name": "Anna", "ibutton": "A1"}),
        )],
    )
    .await
    .unwrap();
    let mut drivers = fuel_collections()
        .into_iter()
        .find(|c| c.name == "drivers")
        .unwrap();
    drivers.required = vec!["ibutton".into()];
    let declared = app
        .api()
        .declare_collection("ssm2", &drivers)
        .await
        .unwrap();
    assert_eq!(declared.required, ["ibutton"]);
    drivers.unique = vec!["name".into()];
    refused(
        app.api().declare_collection("ssm2", &drivers).await,
        StatusCode::CONFLICT,
        "COLLECTION_IN_USE",
    );
    app.stop().await;
}
