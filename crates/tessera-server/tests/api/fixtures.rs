//! Shared set-up for the account, activation and validation stories: a product with keys, a
//! registered account, an activation.

use reqwest::Response;
use serde_json::Value;
use tessera_api::{Account, AddKey, NewService, ValidationRequest};

use crate::harness::TestApp;
pub use tessera_testkit::fixtures::*;
pub use tessera_testkit::scenarios::*;

/// [`registration`] as JSON, for the tests that break it field by field.
pub fn registration_json(username: &str, email: &str, vat: &str, key: &str) -> Value {
    serde_json::to_value(registration(username, email, vat, key)).unwrap()
}

/// A fresh random nonce (32 bytes, hex).
pub fn nonce() -> String {
    use rand::RngCore;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

/// Validation; returns the raw response.
pub async fn validate(app: &TestApp, site_id: &str, fingerprint: &str, nonce: &str) -> Response {
    let body = ValidationRequest {
        site_id: site_id.into(),
        fingerprint: fingerprint.into(),
        nonce: nonce.into(),
    };
    let body = serde_json::to_value(body).unwrap();
    app.call(
        reqwest::Method::POST,
        "/api/v1/validations",
        Some(&body),
        None,
    )
    .await
}

/// Adds a key to the signed-in account (B2); returns the account.
pub async fn add_key(app: &TestApp, token: &str, key: &str) -> Account {
    let body = AddKey {
        product_key: key.into(),
        reseller: reseller(),
    };
    app.api_as(Some(token)).add_key(&body).await.unwrap()
}

/// The operator adds the monthly service `support` (1.00 EUR) to the catalog.
pub async fn support_service(app: &TestApp) {
    app.api()
        .create_service(&NewService {
            code: "support".into(),
            name: "Support".into(),
            monthly_price: 100,
            currency: "EUR".into(),
        })
        .await
        .unwrap();
}
