//! Activation, site data, deactivation and transfers (C1–C3, B4), the signed license and the
//! signed validation response (D5, D6), signing-key rotation, and the rate limits of the
//! client routes. Every signature is checked with the keys `GET /api/v1/public-keys` publishes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::VerifyingKey;
use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;
use tessera_api::{
    Account, ActivationRequest, ActivationResponse, ErrorBody, InstallationChoice, PublicKeyInfo,
    PublicKeys, SignedDocument, Site, SiteData,
};
use tessera_core::license::{self, License, Validation, VerifyError};
use tessera_core::{DocumentKind, LicenseState, SiteStatus};
use tessera_server::Config;
use tessera_server::config::RateLimits;

use crate::fixtures::{
    IT_VATS, account_login, activate, add_key, fp, nonce, product_with_keys, register, validate,
};
use crate::harness::*;

const EMAIL: &str = "jack@example.com";
const GRACE: SignedDuration = SignedDuration::from_hours(24 * 10);

// Helpers

/// Product `crm` with `n` keys (the given transfer policy); the first registered to jack.
/// Returns the keys and jack's installation.
async fn jack(app: &TestApp, n: u32, max_transfers: u32) -> (Vec<String>, String) {
    let keys = product_with_keys(app, "crm", n, max_transfers).await;
    let account = register(app, "jack", EMAIL, IT_VATS[0], &keys[0]).await;
    let site = account
        .installations
        .first()
        .expect("registration creates an installation")
        .site_id
        .clone();
    (keys, site)
}

/// A fingerprint per number, all distinct.
fn machine(i: u8) -> String {
    format!("{i:02x}").repeat(32)
}

async fn activated(resp: Response, status: StatusCode) -> ActivationResponse {
    ok(resp, status).await
}

/// Activation by VAT number, optionally naming the installation.
async fn activate_vat(
    app: &TestApp,
    vat: &str,
    key: &str,
    fingerprint: &str,
    installation: Option<&str>,
) -> Response {
    let body = ActivationRequest {
        email: None,
        vat_number: Some(vat.into()),
        product_key: key.into(),
        fingerprint: fingerprint.into(),
        installation: installation.map(str::to_owned),
    };
    let body = serde_json::to_value(body).unwrap();
    app.call(Method::POST, "/api/v1/activations", Some(&body), None)
        .await
}

/// The operator's view of an installation.
async fn site(app: &TestApp, site_id: &str) -> Site {
    ok(
        app.get(&format!("/api/v1/sites/{site_id}")).await,
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn published(app: &TestApp) -> Vec<PublicKeyInfo> {
    let keys: PublicKeys = ok(
        app.anonymous_get("/api/v1/public-keys").await,
        StatusCode::OK,
    )
    .await;
    keys.keys
}

fn verifying_key(info: &PublicKeyInfo) -> VerifyingKey {
    assert_eq!(info.algorithm, "Ed25519");
    let raw: [u8; 32] = B64
        .decode(&info.public_key)
        .expect("public key is base64")
        .try_into()
        .expect("public key is 32 bytes");
    VerifyingKey::from_bytes(&raw).expect("a valid Ed25519 public key")
}

/// A verifier that trusts exactly the published keys.
fn trust(keys: &[PublicKeyInfo]) -> impl Fn(&str) -> Option<VerifyingKey> + '_ {
    move |id| keys.iter().find(|k| k.key_id == id).map(verifying_key)
}

/// Opens a license with the published keys; checks the key id inside matches the envelope.
fn open_license(doc: &SignedDocument, keys: &[PublicKeyInfo]) -> License {
    assert_eq!(doc.kind, "tessera-license/v1");
    let lic: License = license::open(doc, DocumentKind::License, trust(keys))
        .unwrap_or_else(|e| panic!("license does not verify: {e}"));
    assert_eq!(lic.key_id, doc.key_id, "key id inside = envelope's");
    lic
}

/// Validates and opens the signed response with the published keys.
async fn checked(
    app: &TestApp,
    keys: &[PublicKeyInfo],
    site_id: &str,
    fingerprint: &str,
    nonce: &str,
) -> (Validation, SignedDocument) {
    let doc: SignedDocument = ok(
        validate(app, site_id, fingerprint, nonce).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(doc.kind, "tessera-validation/v2");
    let v: Validation = license::open(&doc, DocumentKind::Validation, trust(keys))
        .unwrap_or_else(|e| panic!("validation does not verify: {e}"));
    assert_eq!(v.key_id, doc.key_id, "key id inside = envelope's");
    assert_eq!(v.site_id, site_id, "site id echoed");
    assert_eq!(v.nonce, nonce, "nonce echoed");
    (v, doc)
}

/// Just the state of a validation from `fingerprint`.
pub(crate) async fn state(
    app: &TestApp,
    keys: &[PublicKeyInfo],
    site_id: &str,
    fingerprint: &str,
) -> LicenseState {
    checked(app, keys, site_id, fingerprint, &nonce())
        .await
        .0
        .state
}

fn site_data() -> SiteData {
    SiteData {
        company: "Rossi Trasporti S.r.l.".into(),
        branch: Some("Depot Nord".into()),
        address: "Via Emilia 4".into(),
        zip: "20121".into(),
        locality: "Milano".into(),
        province: "MI".into(),
        nation: "IT".into(),
        representative_name: "Jack".into(),
        representative_surname: "White".into(),
        representative_email: "jack.white@example.com".into(),
    }
}

/// The site's data sent with `token` (the site's, or another the server must refuse).
async fn put_site_data(app: &TestApp, token: &str, body: &SiteData) -> ApiResult<Site> {
    app.api_as(Some(token)).put_site_data(body).await
}

fn site_ids(account: &Account) -> Vec<String> {
    account
        .installations
        .iter()
        .map(|s| s.site_id.clone())
        .collect()
}

// The stories, one file per idea.
mod bad_input;
mod bare_vat;
mod offline;
mod races;
mod rate_limits;
mod releases;
mod same_machine;
mod signed_license;
mod signing_keys;
mod transfers;
mod validation;
mod vat;
