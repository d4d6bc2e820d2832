//! Shared set-up for the account, activation and validation stories: a product with keys, a
//! registered account, an activation.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestApp, ok};

/// Creates product `code` (one edition `std`, size `s10` with 10 users, module `mail`) with
/// the given transfer policy, and a batch of `n` keys; returns the keys as shown.
pub async fn product_with_keys(
    app: &TestApp,
    code: &str,
    n: u32,
    max_transfers: u32,
) -> Vec<String> {
    let _: Value = ok(
        app.post(
            "/api/v1/products",
            &json!({
                "code": code, "name": code.to_uppercase(),
                "editions": [{"code": "std", "name": "Standard"}],
                "sizes": [{"code": "s10", "name": "10 users", "limits": {"users": 10}}],
                "modules": [{"code": "mail", "name": "Mail"}],
                "max_transfers": max_transfers,
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    batch_keys(app, code, "std", "s10", n).await
}

/// A filled batch of `n` keys of `product`'s `edition` and `size`; the keys as shown.
pub async fn batch_keys(
    app: &TestApp,
    product: &str,
    edition: &str,
    size: &str,
    n: u32,
) -> Vec<String> {
    let batch: Value = ok(
        app.post(
            "/api/v1/key-batches",
            &json!({"product": product, "edition": edition, "size": size, "count": n}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = batch["id"].as_i64().unwrap();
    let _: Value = ok(
        app.post(
            &format!("/api/v1/key-batches/{id}/fill"),
            &json!({"count": n}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let page: Value = ok(
        app.get(&format!("/api/v1/key-batches/{id}/keys?limit=1000"))
            .await,
        StatusCode::OK,
    )
    .await;
    page["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap().to_owned())
        .collect()
}

/// A complete, valid registration body; tests change one field to see it refused.
/// `vat` is an Italian partita IVA without prefix (see [`IT_VATS`]).
pub fn registration(username: &str, email: &str, vat: &str, key: &str) -> Value {
    json!({
        "username": username,
        "password": "correct horse battery staple",
        "email": email,
        "email_confirm": email,
        "company": {
            "name": "Rossi Trasporti S.r.l.", "country": "IT", "region": "Lombardia",
            "city": "Milano", "street": "Via Rossini", "number": "12", "postcode": "20121",
            "vat_number": vat, "sector": "transport", "tanks": 2, "drivers": 5, "vehicles": 5
        },
        "contact": {
            "first_name": "Jack", "last_name": "White",
            "mobile": "0039 348 96666", "phone": "0039 859 62626"
        },
        "reseller": {
            "company_name": "Company s.p.a.", "country": "IT", "region": "Milano",
            "city": "Milan", "street": "Via Verdi", "postcode": "20100"
        },
        "privacy_accepted": true,
        "newsletter": true,
        "product_key": key,
    })
}

/// Valid Italian VAT numbers (partita IVA with a correct check digit), distinct accounts.
pub const IT_VATS: [&str; 4] = ["00743110157", "01234567897", "12345678903", "00000010215"];

pub const PASSWORD: &str = "correct horse battery staple";

/// Registers an account (201) and returns its JSON.
pub async fn register(app: &TestApp, username: &str, email: &str, vat: &str, key: &str) -> Value {
    ok(
        app.call(
            reqwest::Method::POST,
            "/api/v1/accounts",
            Some(&registration(username, email, vat, key)),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

/// Signs in to the portal; returns the account token.
pub async fn account_login(app: &TestApp, login: &str) -> String {
    let body: Value = ok(
        app.call(
            reqwest::Method::POST,
            "/api/v1/account/login",
            Some(&json!({"username": login, "password": PASSWORD})),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    body["token"].as_str().unwrap().to_owned()
}

/// A fingerprint made of one repeated hex digit.
pub fn fp(c: char) -> String {
    c.to_string().repeat(64)
}

/// A fresh random nonce (32 bytes, hex).
pub fn nonce() -> String {
    use rand::RngCore;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

/// Activation by email.
pub async fn activate(app: &TestApp, email: &str, key: &str, fingerprint: &str) -> Response {
    app.call(
        reqwest::Method::POST,
        "/api/v1/activations",
        Some(&json!({"email": email, "product_key": key, "fingerprint": fingerprint})),
        None,
    )
    .await
}

/// Validation; returns the raw response.
pub async fn validate(app: &TestApp, site_id: &str, fingerprint: &str, nonce: &str) -> Response {
    app.call(
        reqwest::Method::POST,
        "/api/v1/validations",
        Some(&json!({"site_id": site_id, "fingerprint": fingerprint, "nonce": nonce})),
        None,
    )
    .await
}

pub fn reseller() -> Value {
    json!({"company_name": "Company s.p.a.", "country": "IT", "region": "Milano",
        "city": "Milan", "street": "Via Verdi", "postcode": "20100"})
}

/// Adds a key to the signed-in account (B2); returns the account.
pub async fn add_key(app: &TestApp, token: &str, key: &str) -> Value {
    ok(
        app.call(
            reqwest::Method::POST,
            "/api/v1/account/keys",
            Some(&json!({"product_key": key, "reseller": reseller()})),
            Some(token),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

/// The operator adds the monthly service `support` (1.00 EUR) to the catalog.
pub async fn support_service(app: &TestApp) {
    let _: Value = ok(
        app.post(
            "/api/v1/services",
            &json!({"code": "support", "name": "Support", "monthly_price": 100, "currency": "EUR"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}
