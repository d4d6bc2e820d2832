//! X5: keys sold under an earlier system are imported from CSV in the spelling they were sold
//! in — all or nothing, every refused line named, the same file twice changing nothing — and
//! then register, activate and validate like Tessera's own.

use tessera_api::{ActivationResponse, KeyImport};
use tessera_core::LicenseState;

use super::*;
use crate::activation::{published, state};
use crate::fixtures::{activate, fp, product_with_keys, register};

both_backends!(a_legacy_file_imports_once_and_its_keys_work_in_their_old_spelling);
both_backends!(refused_lines_are_all_named_and_nothing_is_written);

/// Seed 000's spelling: `U` and 15 hexadecimal digits, shown in groups of four.
const SEED_FORMAT: &str = "U[0-9A-F]{15}";
const SEED_KEY: &str = "U107-3D27-309C-F484";
const CUSTOMER: &str = "office@ib50.example";

/// The `i`-th key of the old system, in one of the spellings a vendor's files hold.
fn old_key(i: u32) -> String {
    let compact = format!("U{:015X}", 0x0107_3D27_309C_F000_u64 + u64::from(i) * 7919);
    match i % 3 {
        0 => format!(
            "{}-{}-{}-{}",
            &compact[..4],
            &compact[4..8],
            &compact[8..12],
            &compact[12..]
        ),
        1 => compact.to_lowercase(),
        _ => compact,
    }
}

/// A file of 1 000 keys: the seed's own key first, two keys of the customer's sites.
fn legacy_file() -> String {
    let mut csv = String::from("key,product,edition,size,customer,site\n");
    csv.push_str(&format!("{SEED_KEY},fuelmaster,standard,s5,,\n"));
    csv.push_str(&format!(
        "{},fuelmaster,professional,s5,{CUSTOMER},Depot Nord\n",
        old_key(1)
    ));
    csv.push_str(&format!(
        "{},fuelmaster,standard,s5,{CUSTOMER},\n",
        old_key(2)
    ));
    for i in 3..1000 {
        csv.push_str(&format!("{},fuelmaster,standard,s5,,\n", old_key(i)));
    }
    csv
}

async fn customer(app: &TestApp) {
    let keys = product_with_keys(app, "crm", 1, 3).await;
    register(app, "ib50", CUSTOMER, "IT00743110157", &keys[0]).await;
}

async fn a_legacy_file_imports_once_and_its_keys_work_in_their_old_spelling(app: TestApp) {
    with_product(&app).await;
    customer(&app).await;
    let api = app.api();
    let set = api
        .set_key_format("fuelmaster", Some(SEED_FORMAT))
        .await
        .unwrap();
    assert_eq!(set.pattern.as_deref(), Some(SEED_FORMAT));
    let file = legacy_file().into_bytes();

    // A dry run judges every line and writes nothing.
    let dry = api
        .import_keys(file.clone(), Some("legacy.csv"), true)
        .await
        .unwrap();
    assert_eq!(
        (
            dry.lines,
            dry.new,
            dry.registered,
            dry.written,
            dry.refused.len()
        ),
        (1000, 1000, 2, false, 0)
    );
    error(
        app.get(&format!("/api/v1/keys/{SEED_KEY}")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_FORMAT_INVALID",
    )
    .await;

    let done = api
        .import_keys(file.clone(), Some("legacy.csv"), false)
        .await
        .unwrap();
    assert_eq!(
        (
            done.code.as_deref(),
            done.new,
            done.unchanged,
            done.registered,
            done.written
        ),
        (None, 1000, 0, 2, true)
    );
    assert_eq!(done.batches.len(), 2, "one batch per edition: {done:?}");
    let standard = api.batch(done.batches[0]).await.unwrap();
    assert_eq!(
        (
            standard.edition.as_str(),
            standard.requested,
            standard.generated
        ),
        ("standard", 999, 999)
    );
    assert_eq!(standard.note.as_deref(), Some("imported from legacy.csv"));
    let stored: Vec<String> = api
        .batch_keys(done.batches[0], None, 1000)
        .await
        .unwrap()
        .keys
        .into_iter()
        .map(|k| k.key)
        .collect();
    assert_eq!(stored.len(), 999);
    assert!(stored.contains(&SEED_KEY.to_owned()));
    assert!(stored.contains(&old_key(3)), "shown grouped as sold");

    // The same file again changes nothing.
    let again = api
        .import_keys(file, Some("legacy.csv"), false)
        .await
        .unwrap();
    assert_eq!(
        (
            again.new,
            again.unchanged,
            again.registered,
            again.batches.len()
        ),
        (0, 1000, 0, 0)
    );
    assert_eq!(
        api.batches().await.unwrap().batches.len(),
        3,
        "crm's and the two"
    );

    // Looked up in any spelling.
    for typed in ["u1073d27309cf484", "U107%203D27%20309C%20F484", SEED_KEY] {
        let found: tessera_api::KeyInfo = ok(
            app.get(&format!("/api/v1/keys/{typed}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            (found.key.as_str(), found.status.as_str()),
            (SEED_KEY, "issued")
        );
    }

    // The customer's keys are its installations, one named as the file says.
    let token = crate::fixtures::account_login(&app, "ib50").await;
    let sites = app.api_as(Some(&token)).own_sites().await.unwrap().sites;
    let mut labels: Vec<(String, String)> = sites
        .iter()
        .filter(|s| s.product == "fuelmaster")
        .map(|s| (s.product_key.clone(), s.label.clone()))
        .collect();
    labels.sort();
    let key1 = ProductKey::any_format(&old_key(1)).unwrap().to_string();
    let key2 = ProductKey::any_format(&old_key(2)).unwrap().to_string();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(labels.contains(&(key1.clone(), "Depot Nord".to_owned())));
    assert!(
        labels
            .iter()
            .any(|(k, l)| *k == key2 && l.starts_with("Installation"))
    );

    // The seed's key registers, activates and validates in its old spelling.
    let account = register(
        &app,
        "rossi",
        "info@rossi.example",
        "IT01234567897",
        "u107 3d27 309c f484",
    )
    .await;
    assert_eq!(account.installations[0].product_key, SEED_KEY);
    let resp: ActivationResponse = ok(
        activate(&app, "info@rossi.example", "u1073d27309cf484", &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let keys = published(&app).await;
    assert_eq!(
        state(&app, &keys, &resp.site_id, &fp('a')).await,
        LicenseState::Valid
    );
    // The customer's imported key activates too, with the customer's email.
    let resp = activate(&app, CUSTOMER, &old_key(1).to_uppercase(), &fp('b')).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
}

/// The report's refused lines as (line, code).
fn refusals(report: &KeyImport) -> Vec<(u64, &str)> {
    report
        .refused
        .iter()
        .map(|r| (r.line, r.code.as_str()))
        .collect()
}

async fn refused_lines_are_all_named_and_nothing_is_written(app: TestApp) {
    with_product(&app).await;
    customer(&app).await;
    let api = app.api();
    // Without a key format, a key that is not Tessera's own has no spelling to match.
    let early = api
        .import_keys(
            format!("key,product,edition,size\n{SEED_KEY},fuelmaster,standard,s5\n").into_bytes(),
            None,
            false,
        )
        .await
        .unwrap();
    assert_eq!(refusals(&early), [(2, "KEY_FORMAT_MISMATCH")]);
    api.set_key_format("fuelmaster", Some("u[0-9a-f]{15}"))
        .await
        .unwrap();
    let first = api
        .import_keys(
            format!(
                "key;product;edition;size\n{};fuelmaster;standard;s5\n",
                old_key(5)
            )
            .into_bytes(),
            None,
            false,
        )
        .await
        .unwrap();
    assert_eq!((first.new, first.written), (1, true));
    let native = ProductKey::generate(&mut rand::rngs::OsRng).to_string();

    let file = format!(
        "key,product,edition,size,customer,site\n\
         {good},fuelmaster,standard,s5,,\n\
         X107-3D27-309C-F484,fuelmaster,standard,s5,,\n\
         {a},nosuch,standard,s5,,\n\
         {b},fuelmaster,ultimate,s5,,\n\
         {c},fuelmaster,standard,s5,,Depot\n\
         {d},fuelmaster,standard,s5,nobody@nowhere.example,\n\
         {taken},fuelmaster,professional,s5,,\n\
         {good_again},fuelmaster,standard,s5,,\n\
         U1,fuelmaster,standard,s5,,\n\
         {native},fuelmaster,standard,s5,,\n",
        good = old_key(10),
        a = old_key(11),
        b = old_key(12),
        c = old_key(13),
        d = old_key(14),
        taken = old_key(5),
        good_again = old_key(10).replace('-', ""),
    );
    let report = api
        .import_keys(file.into_bytes(), None, false)
        .await
        .unwrap();
    assert_eq!(report.code.as_deref(), Some("IMPORT_REFUSED"));
    assert_eq!(
        refusals(&report),
        [
            (3, "KEY_FORMAT_MISMATCH"),
            (4, "PRODUCT_NOT_FOUND"),
            (5, "EDITION_NOT_FOUND"),
            (6, "SITE_WITHOUT_CUSTOMER"),
            (7, "ACCOUNT_NOT_FOUND"),
            (8, "KEY_EXISTS"),
            (9, "KEY_REPEATED"),
            (10, "KEY_FORMAT_INVALID"),
        ],
        "{report:#?}"
    );
    assert!(
        report.refused[6].message.contains("line 2"),
        "{:?}",
        report.refused[6]
    );
    assert_eq!(report.refused[0].key, "X107-3D27-309C-F484");
    assert_eq!((report.written, report.batches.len()), (false, 0));
    // Nothing was written: not the good line (an old spelling Tessera does not hold reads as
    // a mistyped key of its own), nor the Tessera key.
    error(
        app.get(&format!("/api/v1/keys/{}", old_key(10))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_FORMAT_INVALID",
    )
    .await;
    error(
        app.get(&format!("/api/v1/keys/{native}")).await,
        StatusCode::NOT_FOUND,
        "KEY_NOT_FOUND",
    )
    .await;

    // What is not a key list at all, and who may import.
    let not_csv = api
        .import_keys(b"key,product,edition\nA,b,c\n".to_vec(), None, false)
        .await
        .unwrap_err();
    assert_eq!(not_csv.code(), Some("CSV_INVALID"));
    let json = app
        .post("/api/v1/keys/import", &serde_json::json!({"key": SEED_KEY}))
        .await;
    assert_eq!(json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let anonymous = app
        .api_as(None)
        .import_keys(b"key,product,edition,size\n".to_vec(), None, false)
        .await
        .unwrap_err();
    assert_eq!(anonymous.status(), Some(StatusCode::UNAUTHORIZED));

    // The key format itself is checked.
    let bad = api
        .set_key_format("fuelmaster", Some("U[0-9"))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some("KEY_PATTERN_INVALID"));
    let missing = api.set_key_format("nosuch", Some("U.*")).await.unwrap_err();
    assert_eq!(missing.code(), Some("PRODUCT_NOT_FOUND"));
    assert_eq!(
        api.key_format("fuelmaster")
            .await
            .unwrap()
            .pattern
            .as_deref(),
        Some("u[0-9a-f]{15}")
    );
    api.set_key_format("fuelmaster", None).await.unwrap();
    assert_eq!(api.key_format("fuelmaster").await.unwrap().pattern, None);
}
