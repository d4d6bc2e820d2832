//! I1: the CSV exports are safe to open in a spreadsheet: a client's request id is kept only
//! when it is a plain short token, and no cell starts like a formula.

use super::*;

both_backends!(exports_hold_no_formulas,);

const EVIL: &str = r#"=HYPERLINK("http://evil","x")"#;

/// Signs the account `login` in with `request_id` as the request id; the id it got back.
async fn login_with_request_id(app: &TestApp, login: &str, request_id: &str) -> String {
    let resp = app
        .http
        .post(format!("{}/api/v1/account/login", app.base))
        .header("x-request-id", request_id)
        .json(&tessera_api::LoginRequest {
            username: login.into(),
            password: PASSWORD.into(),
            language: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.headers()["x-request-id"].to_str().unwrap().to_owned()
}

/// No cell of `csv` (whose cells hold no commas) starts like a formula.
fn assert_no_formula(csv: &str) {
    for cell in csv.lines().flat_map(|l| l.split(',')) {
        let cell = cell.trim_start_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?} in {csv}"
        );
    }
}

async fn exports_hold_no_formulas(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;

    // A formula, an id too long, are replaced by our own ids.
    let ours = login_with_request_id(&app, "anna", EVIL).await;
    assert_ne!(ours, EVIL);
    let long = "a".repeat(65);
    assert_ne!(login_with_request_id(&app, "anna", &long).await, long);
    // A plain short token is kept, even one a spreadsheet would compute (-2-3 is -5).
    assert_eq!(login_with_request_id(&app, "anna", "-2-3").await, "-2-3");
    let token = account_login(&app, "anna").await;

    let operators = app.get("/api/v1/operations/export").await;
    let operators = operators.text().await.unwrap();
    let own = app
        .call(
            Method::GET,
            "/api/v1/account/operations/export",
            None,
            Some(&token),
        )
        .await
        .text()
        .await
        .unwrap();
    for csv in [operators, own] {
        assert!(!csv.contains("HYPERLINK") && !csv.contains(&long), "{csv}");
        assert!(csv.contains(&format!(",{ours},")), "{csv}");
        assert!(csv.contains(",'-2-3,"), "{csv}");
        assert_no_formula(&csv);
    }
}
