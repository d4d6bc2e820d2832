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
use serde_json::{Value, json};
use tessera_api::{
    Account, ActivationResponse, ErrorBody, InstallationChoice, PublicKeyInfo, PublicKeys,
    SignedDocument, Site,
};
use tessera_core::license::{self, License, Validation, VerifyError};
use tessera_core::{DocumentKind, LicenseState, SiteStatus};
use tessera_server::Config;
use tessera_server::config::RateLimits;

use crate::fixtures::{
    IT_VATS, account_login, activate, add_key, fp, nonce, product_with_keys, register, validate,
};
use crate::harness::*;

both_backends!(
    activation_returns_a_license_that_verifies,
    same_machine_again_and_site_data,
    another_machine_follows_the_transfer_policy,
    concurrent_activations_bind_one_machine,
    concurrent_validations_each_verify_alone,
    vat_number_with_several_installations,
    bad_activations_store_nothing,
    validation_states_and_nonce,
    signing_key_rotation_and_retirement,
    rate_limits_answer_429 with rate_limited,
);

const EMAIL: &str = "jack@example.com";
const GRACE: SignedDuration = SignedDuration::from_hours(24 * 10);

// ---------------------------------------------------------------------------------------------
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
    let mut body = json!({"vat_number": vat, "product_key": key, "fingerprint": fingerprint});
    if let Some(i) = installation {
        body["installation"] = json!(i);
    }
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

async fn published(app: &TestApp) -> Vec<PublicKeyInfo> {
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
async fn state(
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

fn site_data() -> Value {
    json!({
        "company": "Rossi Trasporti S.r.l.",
        "branch": "Depot Nord",
        "address": "Via Emilia 4",
        "zip": "20121",
        "locality": "Milano",
        "province": "MI",
        "nation": "IT",
        "representative_name": "Jack",
        "representative_surname": "White",
        "representative_email": "jack.white@example.com",
    })
}

async fn put_site_data(app: &TestApp, token: &str, body: &Value) -> Response {
    app.call(Method::PUT, "/api/v1/site/data", Some(body), Some(token))
        .await
}

fn site_ids(account: &Account) -> Vec<String> {
    account
        .installations
        .iter()
        .map(|s| s.site_id.clone())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. The happy path and the signed license (C1, C3)

async fn activation_returns_a_license_that_verifies(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let before = site(&app, &site_id).await;
    assert_eq!(
        (before.status.as_str(), before.fingerprint.as_deref()),
        ("registered", None)
    );

    // The email, key and fingerprint in other spellings name the same account, key, machine.
    let typed_key = format!(" {} ", keys[0].to_lowercase());
    let resp = activated(
        activate(
            &app,
            " Jack@Example.COM ",
            &typed_key,
            &fp('a').to_uppercase(),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(resp.activation, "activated");
    assert_eq!(resp.site_id, site_id);
    assert!(
        resp.site_token.len() >= 32,
        "a site token: {}",
        resp.site_token
    );
    assert!(resp.site_data_required);

    let keys_published = published(&app).await;
    assert_eq!(keys_published.len(), 1);
    assert!(keys_published[0].active);
    assert_eq!(resp.license.key_id, keys_published[0].key_id);
    let lic = open_license(&resp.license, &keys_published);
    assert_eq!(lic.site_id, site_id);
    assert_eq!(lic.licensee, "Rossi Trasporti S.r.l.");
    assert_eq!(
        (lic.product.as_str(), lic.product_name.as_str()),
        ("crm", "CRM")
    );
    assert_eq!(
        (lic.edition.as_str(), lic.edition_name.as_str()),
        ("std", "Standard")
    );
    assert_eq!(lic.size, "s10");
    assert_eq!(lic.limits, [("users".to_owned(), 10)].into_iter().collect());
    assert_eq!(lic.modules, vec!["mail".to_owned()]);
    assert_eq!(lic.user_count, Some(10));
    assert_eq!(lic.expires_at, None);
    assert_eq!(lic.fingerprint, fp('a'), "stored lower case");
    assert_eq!(lic.issued_at, start_time());
    assert_eq!(lic.grace_days, 10);
    assert_eq!(lic.check_deadline, lic.issued_at + GRACE);
    assert_eq!(lic.key_id, resp.license.key_id);

    let after = site(&app, &site_id).await;
    assert_eq!(after.status, "active");
    assert_eq!(after.fingerprint.as_deref(), Some(fp('a').as_str()));
    assert_eq!(after.key_status, "activated");
    assert_eq!(after.transfers, 0);
    assert!(after.activated_at.is_some());

    // One flipped bit of the payload: the signature no longer matches.
    let mut payload = B64.decode(&resp.license.payload).unwrap();
    payload[10] ^= 0x01;
    let tampered = SignedDocument {
        payload: B64.encode(&payload),
        ..resp.license.clone()
    };
    assert_eq!(
        license::open::<License>(&tampered, DocumentKind::License, trust(&keys_published)),
        Err(VerifyError::BadSignature)
    );
    // One flipped bit of the signature.
    let mut signature = B64.decode(&resp.license.signature).unwrap();
    assert_eq!(signature.len(), 64);
    signature[5] ^= 0x80;
    let tampered = SignedDocument {
        signature: B64.encode(&signature),
        ..resp.license.clone()
    };
    assert!(
        license::open::<License>(&tampered, DocumentKind::License, trust(&keys_published)).is_err()
    );
    // A license is not a validation response, even relabelled.
    assert!(matches!(
        license::open::<Validation>(
            &resp.license,
            DocumentKind::Validation,
            trust(&keys_published)
        ),
        Err(VerifyError::WrongKind { .. })
    ));
    let relabelled = SignedDocument {
        kind: "tessera-validation/v2".into(),
        ..resp.license.clone()
    };
    assert_eq!(
        license::open::<Validation>(
            &relabelled,
            DocumentKind::Validation,
            trust(&keys_published)
        ),
        Err(VerifyError::BadSignature)
    );
    // A key the verifier does not know.
    assert_eq!(
        license::open::<License>(&resp.license, DocumentKind::License, |_| None),
        Err(VerifyError::UnknownKey(resp.license.key_id.clone()))
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Same machine again; site data (C1)

async fn same_machine_again_and_site_data(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let published = published(&app).await;
    let first = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;

    app.clock.advance(SignedDuration::from_mins(90));
    let again = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.activation, "again");
    assert_eq!(again.site_id, site_id);
    assert_ne!(again.site_token, first.site_token, "a new site token");
    assert_ne!(again.license, first.license, "a new license");
    let lic = open_license(&again.license, &published);
    assert_eq!(lic.issued_at, start_time() + SignedDuration::from_mins(90));
    assert_eq!(lic.check_deadline, lic.issued_at + GRACE);
    assert_eq!(lic.fingerprint, fp('a'));
    let s = site(&app, &site_id).await;
    assert_eq!(
        (s.status.as_str(), s.fingerprint.as_deref(), s.transfers),
        ("active", Some(fp('a').as_str()), 0)
    );
    assert_eq!(
        s.activated_at
            .as_deref()
            .map(|t| t.parse::<Timestamp>().unwrap()),
        Some(start_time()),
        "activating again keeps the first activation time"
    );

    // The old token is gone, the new one works.
    error(
        put_site_data(&app, &first.site_token, &site_data()).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        app.call(Method::PUT, "/api/v1/site/data", Some(&site_data()), None)
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    // An operator's token is not a site token.
    error(
        put_site_data(&app, app.token(), &site_data()).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    let mut bad = site_data();
    bad["representative_email"] = json!("jack.white@");
    let e = error(
        put_site_data(&app, &again.site_token, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EMAIL_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("representative_email"));
    assert!(site(&app, &site_id).await.data.is_none(), "nothing stored");

    let updated: Site = ok(
        put_site_data(&app, &again.site_token, &site_data()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated.label, "Rossi Trasporti S.r.l. — Depot Nord, Milano");
    let data = updated.data.expect("site data stored");
    assert_eq!(data.branch.as_deref(), Some("Depot Nord"));
    assert_eq!(data.representative_email, "jack.white@example.com");
    assert_eq!(site(&app, &site_id).await.label, updated.label);

    // Without a branch: "Company, Locality".
    let mut no_branch = site_data();
    no_branch["branch"] = Value::Null;
    let updated: Site = ok(
        put_site_data(&app, &again.site_token, &no_branch).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated.label, "Rossi Trasporti S.r.l., Milano");

    // The validation's installation list carries the new label; the next activation says the
    // data is in.
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.installations.len(), 1);
    assert_eq!(v.installations[0].label, "Rossi Trasporti S.r.l., Milano");
    let third = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::OK,
    )
    .await;
    assert!(!third.site_data_required);
    assert_eq!(site(&app, &site_id).await.transfers, 0);
}

// ---------------------------------------------------------------------------------------------
// 3. Another machine: refused, deactivation first, or a transfer (C2)

async fn another_machine_follows_the_transfer_policy(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let published = published(&app).await;
    let first = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;

    error(
        activate(&app, EMAIL, &keys[0], &fp('b')).await,
        StatusCode::CONFLICT,
        "KEY_ALREADY_ACTIVATED",
    )
    .await;
    let s = site(&app, &site_id).await;
    assert_eq!(
        (s.status.as_str(), s.fingerprint.as_deref(), s.transfers),
        ("active", Some(fp('a').as_str()), 0),
        "the refused machine changed nothing"
    );
    assert_eq!(
        state(&app, &published, &site_id, &fp('a')).await,
        LicenseState::Valid
    );
    // The first machine's token still works.
    ok::<Site>(
        put_site_data(&app, &first.site_token, &site_data()).await,
        StatusCode::OK,
    )
    .await;

    // The client releases the machine; its token stops working.
    let released: Site = ok(
        app.call(
            Method::POST,
            "/api/v1/site/deactivate",
            None,
            Some(&first.site_token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (released.status.as_str(), released.fingerprint.as_deref()),
        ("deactivated", None)
    );
    assert!(released.deactivated_at.is_some());
    assert_eq!(released.key_status, "registered");
    error(
        app.call(
            Method::POST,
            "/api/v1/site/deactivate",
            None,
            Some(&first.site_token),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(
        state(&app, &published, &site_id, &fp('a')).await,
        LicenseState::NotActivated
    );

    let second = activated(
        activate(&app, EMAIL, &keys[0], &fp('b')).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second.activation, "activated");
    assert_eq!(
        open_license(&second.license, &published).fingerprint,
        fp('b')
    );
    assert_eq!(
        state(&app, &published, &site_id, &fp('a')).await,
        LicenseState::FingerprintMismatch
    );
    assert_eq!(
        state(&app, &published, &site_id, &fp('b')).await,
        LicenseState::Valid
    );
    assert_eq!(site(&app, &site_id).await.transfers, 0, "not a transfer");

    // The superadmin releases it in the portal.
    let account_token = account_login(&app, "jack").await;
    let portal_deactivate = |id: String| {
        let token = account_token.clone();
        let app = &app;
        async move {
            app.call(
                Method::POST,
                &format!("/api/v1/account/sites/{id}/deactivate"),
                None,
                Some(&token),
            )
            .await
        }
    };
    let released: Site = ok(portal_deactivate(site_id.clone()).await, StatusCode::OK).await;
    assert_eq!(
        (released.status.as_str(), released.fingerprint.as_deref()),
        ("deactivated", None)
    );
    error(
        portal_deactivate(site_id.clone()).await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    )
    .await;
    error(
        portal_deactivate("0".repeat(32)).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    assert_eq!(
        state(&app, &published, &site_id, &fp('b')).await,
        LicenseState::NotActivated
    );

    // An operator releases it.
    activated(
        activate(&app, EMAIL, &keys[0], &fp('c')).await,
        StatusCode::CREATED,
    )
    .await;
    let released: Site = ok(
        app.post(&format!("/api/v1/sites/{site_id}/deactivate"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (released.status.as_str(), released.fingerprint.as_deref()),
        ("deactivated", None)
    );
    error(
        app.post(&format!("/api/v1/sites/{site_id}/deactivate"), &json!({}))
            .await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    )
    .await;
    // The portal does not release another account's installation: "not found".
    let other_keys = product_with_keys(&app, "erp", 1, 0).await;
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[1], &other_keys[0]).await;
    let anna_site = site_ids(&anna).remove(0);
    activated(
        activate(&app, "anna@example.com", &other_keys[0], &fp('d')).await,
        StatusCode::CREATED,
    )
    .await;
    error(
        portal_deactivate(anna_site.clone()).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    assert_eq!(site(&app, &anna_site).await.status, "active");

    // A product that allows one transfer: the second machine takes over directly.
    let moving = product_with_keys(&app, "mover", 1, 1).await;
    let tom = register(&app, "tom", "tom@example.com", IT_VATS[2], &moving[0]).await;
    let tom_site = site_ids(&tom).remove(0);
    let on_a = activated(
        activate(&app, "tom@example.com", &moving[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let on_b = activated(
        activate(&app, "tom@example.com", &moving[0], &fp('b')).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(on_b.activation, "transferred");
    assert_eq!(open_license(&on_b.license, &published).fingerprint, fp('b'));
    let s = site(&app, &tom_site).await;
    assert_eq!(
        (s.status.as_str(), s.fingerprint.as_deref(), s.transfers),
        ("active", Some(fp('b').as_str()), 1)
    );
    assert_eq!(
        state(&app, &published, &tom_site, &fp('a')).await,
        LicenseState::FingerprintMismatch
    );
    error(
        put_site_data(&app, &on_a.site_token, &site_data()).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        activate(&app, "tom@example.com", &moving[0], &fp('c')).await,
        StatusCode::CONFLICT,
        "TRANSFER_LIMIT_REACHED",
    )
    .await;
    // The bound machine may still activate again.
    let again = activated(
        activate(&app, "tom@example.com", &moving[0], &fp('b')).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.activation, "again");
    let s = site(&app, &tom_site).await;
    assert_eq!(
        (s.fingerprint.as_deref(), s.transfers),
        (Some(fp('b').as_str()), 1)
    );
}

// ---------------------------------------------------------------------------------------------
// 4. A race of 32 machines for one key

async fn concurrent_activations_bind_one_machine(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    const N: u8 = 32;
    let barrier = Arc::new(tokio::sync::Barrier::new(usize::from(N)));
    let mut tasks = Vec::new();
    for i in 0..N {
        let http = app.http.clone();
        let url = format!("{}/api/v1/activations", app.base);
        let body = json!({"email": EMAIL, "product_key": keys[0], "fingerprint": machine(i)});
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let resp = http.post(url).json(&body).send().await.unwrap();
            let status = resp.status();
            let body: Value = resp.json().await.unwrap();
            (i, status, body)
        }));
    }
    let mut winners = Vec::new();
    let mut refused = 0;
    for task in tasks {
        let (i, status, body) = task.await.unwrap();
        match status {
            StatusCode::CREATED => winners.push((i, body)),
            StatusCode::CONFLICT => {
                assert_eq!(body["code"], "KEY_ALREADY_ACTIVATED", "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one machine wins: {winners:?}");
    assert_eq!(refused, N - 1);
    let (winner, body) = winners.remove(0);
    assert_eq!(body["site_id"], site_id.as_str());
    assert_eq!(body["activation"], "activated");
    let s = site(&app, &site_id).await;
    assert_eq!(s.status, "active");
    assert_eq!(s.fingerprint, Some(machine(winner)));
    assert_eq!(s.transfers, 0);

    let published = published(&app).await;
    let doc: SignedDocument = serde_json::from_value(body["license"].clone()).unwrap();
    assert_eq!(open_license(&doc, &published).fingerprint, machine(winner));
    assert_eq!(
        state(&app, &published, &site_id, &machine(winner)).await,
        LicenseState::Valid
    );
    let loser = (winner + 1) % N;
    assert_eq!(
        state(&app, &published, &site_id, &machine(loser)).await,
        LicenseState::FingerprintMismatch
    );
}

/// Validations arriving together are signed in batches (docs/license-format.md): each answer
/// still verifies on its own with the published keys and echoes its own nonce, and no two
/// answers under one signature hold the same leaf.
async fn concurrent_validations_each_verify_alone(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let published = published(&app).await;
    const N: usize = 40;
    let barrier = Arc::new(tokio::sync::Barrier::new(N));
    let mut tasks = Vec::new();
    for _ in 0..N {
        let http = app.http.clone();
        let url = format!("{}/api/v1/validations", app.base);
        let n = nonce();
        let body = json!({"site_id": site_id, "fingerprint": fp('a'), "nonce": n});
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let resp = http.post(url).json(&body).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            (n, resp.json::<SignedDocument>().await.unwrap())
        }));
    }
    let mut leaves = std::collections::HashSet::new();
    for task in tasks {
        let (n, doc) = task.await.unwrap();
        let v: Validation = license::open(&doc, DocumentKind::Validation, trust(&published))
            .unwrap_or_else(|e| panic!("validation does not verify: {e}"));
        assert_eq!(
            (v.nonce.as_str(), v.state),
            (n.as_str(), LicenseState::Valid)
        );
        let proof = doc.batch.expect("a validation carries its batch proof");
        assert!(proof.index < proof.size, "{proof:?}");
        assert!(
            leaves.insert((doc.signature, proof.index)),
            "two answers on one leaf"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. One VAT number, several installations (B4)

async fn vat_number_with_several_installations(app: TestApp) {
    let keys = product_with_keys(&app, "crm", 5, 0).await;
    register(&app, "jack", EMAIL, IT_VATS[0], &keys[0]).await;
    let token = account_login(&app, "jack").await;
    add_key(&app, &token, &keys[1]).await;
    let account = add_key(&app, &token, &keys[2]).await;
    let sites = site_ids(&account);
    assert_eq!(sites.len(), 3);
    let vat = format!("IT{}", IT_VATS[0]);

    // Many clients asking at once all get their list: building it never needs a second
    // database connection while the activation's transaction holds one (the pool has 16).
    let app = Arc::new(app);
    let asks: Vec<_> = (0..40)
        .map(|_| {
            let (app, vat, key) = (app.clone(), vat.clone(), keys[0].clone());
            tokio::spawn(async move {
                activate_vat(&app, &vat, &key, &fp('a'), None)
                    .await
                    .status()
            })
        })
        .collect();
    for ask in asks {
        assert_eq!(ask.await.unwrap(), StatusCode::CONFLICT);
    }
    let app = Arc::into_inner(app).expect("every task ended");

    // No installation named: the list to choose from, nothing bound.
    let resp = activate_vat(&app, &vat, &keys[0], &fp('a'), None).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let choice: InstallationChoice = resp.json().await.unwrap();
    assert_eq!(choice.code, "INSTALLATION_CHOICE_REQUIRED");
    assert!(!choice.message.is_empty());
    let listed: Vec<&str> = choice
        .installations
        .iter()
        .map(|i| i.site_id.as_str())
        .collect();
    assert_eq!(listed.len(), 3);
    for s in &sites {
        assert!(listed.contains(&s.as_str()), "{s} listed: {listed:?}");
    }
    for i in &choice.installations {
        assert_eq!(
            (i.product.as_str(), i.edition.as_str(), i.status.as_str()),
            ("crm", "std", "registered")
        );
        assert!(i.label.starts_with("Installation …"), "{}", i.label);
    }
    for s in &sites {
        assert_eq!(site(&app, s).await.status, "registered");
    }

    // Naming one binds that one, whichever of the account's keys proves the request.
    let bound = activated(
        activate_vat(&app, &vat, &keys[0], &fp('a'), Some(&sites[1])).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(bound.site_id, sites[1]);
    assert_eq!(bound.activation, "activated");
    let published = published(&app).await;
    let lic = open_license(&bound.license, &published);
    assert_eq!(
        (lic.site_id.as_str(), lic.fingerprint.as_str()),
        (sites[1].as_str(), fp('a').as_str())
    );
    let s = site(&app, &sites[1]).await;
    assert_eq!(
        (
            s.status.as_str(),
            s.fingerprint.as_deref(),
            s.product_key.as_str()
        ),
        ("active", Some(fp('a').as_str()), keys[1].as_str())
    );
    assert_eq!(site(&app, &sites[0]).await.status, "registered");
    assert_eq!(site(&app, &sites[2]).await.status, "registered");

    // The list shows what changed.
    let resp = activate_vat(&app, &vat, &keys[0], &fp('b'), None).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let choice: InstallationChoice = resp.json().await.unwrap();
    let statuses: Vec<(String, String)> = choice
        .installations
        .into_iter()
        .map(|i| (i.site_id, i.status))
        .collect();
    assert!(
        statuses.contains(&(sites[1].clone(), "active".into())),
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| s.1 == "registered").count(), 2);

    // A site id that is not one of this account's installations.
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[1], &keys[3]).await;
    let anna_site = site_ids(&anna).remove(0);
    for foreign in [
        anna_site.clone(),
        "0123456789abcdef0123456789abcdef".to_owned(),
    ] {
        error(
            activate_vat(&app, &vat, &keys[0], &fp('c'), Some(&foreign)).await,
            StatusCode::NOT_FOUND,
            "INSTALLATION_NOT_FOUND",
        )
        .await;
    }
    assert_eq!(site(&app, &anna_site).await.status, "registered");

    // The VAT number in another spelling names the same account.
    let resp = activate_vat(&app, "it 007 431 101 57", &keys[0], &fp('c'), None).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let bound = activated(
        activate_vat(
            &app,
            "it 007 431 101 57",
            &keys[0],
            &fp('c'),
            Some(&sites[0]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(bound.site_id, sites[0]);
    assert_eq!(site(&app, &sites[0]).await.fingerprint, Some(fp('c')));

    // By email the key names its own installation: no choice.
    let by_email = activated(
        activate(&app, EMAIL, &keys[2], &fp('d')).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(by_email.site_id, sites[2]);

    // An account with one installation activates by VAT number without choosing.
    let single = activated(
        activate_vat(&app, &format!("IT{}", IT_VATS[1]), &keys[3], &fp('e'), None).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(single.site_id, anna_site);
    // Another account's key does not prove jack's VAT number.
    error(
        activate_vat(&app, &vat, &keys[3], &fp('f'), None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// 6. Bad input: refused, nothing stored

async fn bad_activations_store_nothing(app: TestApp) {
    let keys = product_with_keys(&app, "crm", 3, 0).await;
    let jack = register(&app, "jack", EMAIL, IT_VATS[0], &keys[0]).await;
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[1], &keys[1]).await;
    let jack_site = site_ids(&jack).remove(0);
    let anna_site = site_ids(&anna).remove(0);
    let unregistered = &keys[2];

    let mut invalid: Vec<ErrorBody> = Vec::new();
    // Another account's key.
    invalid.push(
        error(
            activate(&app, EMAIL, &keys[1], &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    invalid.push(
        error(
            activate_vat(&app, &format!("IT{}", IT_VATS[0]), &keys[1], &fp('a'), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // No such account.
    invalid.push(
        error(
            activate(&app, "nobody@example.com", &keys[0], &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    invalid.push(
        error(
            activate_vat(&app, &format!("IT{}", IT_VATS[2]), &keys[0], &fp('a'), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // Issued but never registered.
    invalid.push(
        error(
            activate(&app, EMAIL, unregistered, &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // Revoked.
    ok::<Value>(
        app.post(
            &format!("/api/v1/keys/{}/revoke", keys[1]),
            &json!({"reason": "refunded"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    invalid.push(
        error(
            activate(&app, "anna@example.com", &keys[1], &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // All the same answer: a caller learns nothing about which keys or accounts exist.
    for e in &invalid {
        assert_eq!(e.field.as_deref(), Some("product_key"));
        assert_eq!(e.message, invalid[0].message);
    }

    for bad in [
        "a".repeat(63),
        "a".repeat(65),
        format!("{}g", "a".repeat(63)),
        "machine-serial-12345".to_owned(),
        "00:1A:2B:3C:4D:5E".to_owned(),
        String::new(),
    ] {
        let e = error(
            activate(&app, EMAIL, &keys[0], &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "FINGERPRINT_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("fingerprint"), "{bad}");
    }

    let both = json!({"email": EMAIL, "vat_number": format!("IT{}", IT_VATS[0]),
        "product_key": keys[0], "fingerprint": fp('a')});
    let neither = json!({"product_key": keys[0], "fingerprint": fp('a')});
    for body in [both, neither] {
        error(
            app.call(Method::POST, "/api/v1/activations", Some(&body), None)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ACCOUNT_REF_REQUIRED",
        )
        .await;
    }

    for vat in ["IT00743110158", "IT123", "IT0074311015X"] {
        let e = error(
            activate_vat(&app, vat, &keys[0], &fp('a'), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VAT_NUMBER_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("vat_number"), "{vat}");
    }

    // A mistyped key is refused before any lookup.
    let mut mistyped: Vec<char> = keys[0].chars().collect();
    let last = mistyped.len() - 1;
    mistyped[last] = if mistyped[last] == '2' { '3' } else { '2' };
    let mistyped: String = mistyped.into_iter().collect();
    let e: ErrorBody = {
        let resp = activate(&app, EMAIL, &mistyped, &fp('a')).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        resp.json().await.unwrap()
    };
    assert!(e.code.starts_with("KEY_"), "{e:?}");
    assert_eq!(e.field.as_deref(), Some("product_key"));

    // Not JSON; far too large.
    let resp = app
        .http
        .post(format!("{}/api/v1/activations", app.base))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    error(resp, StatusCode::BAD_REQUEST, "MALFORMED_JSON").await;
    let huge = json!({"email": "x".repeat(300 * 1024), "product_key": keys[0],
        "fingerprint": fp('a')});
    error(
        app.call(Method::POST, "/api/v1/activations", Some(&huge), None)
            .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
    )
    .await;

    for (id, key) in [(&jack_site, "registered"), (&anna_site, "revoked")] {
        let s = site(&app, id).await;
        assert_eq!(s.status, "registered");
        assert_eq!(s.fingerprint, None);
        assert_eq!(s.activated_at, None);
        assert_eq!(s.transfers, 0);
        assert_eq!(s.key_status, key);
    }
    let info: Value = ok(
        app.get(&format!("/api/v1/keys/{unregistered}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(info["status"], "issued");
}

// ---------------------------------------------------------------------------------------------
// 7. Validation: states, what is granted, the nonce (D5, D6)

async fn validation_states_and_nonce(app: TestApp) {
    let (keys, site_id) = jack(&app, 3, 0).await;
    let token = account_login(&app, "jack").await;
    let account = add_key(&app, &token, &keys[1]).await;
    let other_site = site_ids(&account)
        .into_iter()
        .find(|s| *s != site_id)
        .unwrap();
    let published = published(&app).await;
    activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(site(&app, &site_id).await.last_validated_at, None);

    // Valid: the grant, the installations, the nonce.
    let n = nonce();
    let (v, doc) = checked(&app, &published, &site_id, &fp('a'), &n).await;
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(v.nonce, n);
    assert_eq!(v.server_time, start_time());
    let grant = v.grant.clone().expect("a valid license has a grant");
    assert_eq!(
        (grant.product.as_str(), grant.edition.as_str()),
        ("crm", "std")
    );
    assert_eq!(grant.modules, vec!["mail".to_owned()]);
    assert_eq!(grant.user_count, Some(10));
    assert_eq!(grant.expires_at, None);
    assert_eq!(grant.grace_days, 10);
    assert_eq!(grant.next_check_deadline, v.server_time + GRACE);
    let mut listed: Vec<(String, SiteStatus)> = v
        .installations
        .iter()
        .map(|i| (i.site_id.clone(), i.status))
        .collect();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![
        (site_id.clone(), SiteStatus::Active),
        (other_site.clone(), SiteStatus::Registered),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(listed, expected);
    for i in &v.installations {
        assert_eq!((i.product.as_str(), i.edition.as_str()), ("crm", "std"));
    }

    // The time of the last successful check reaches the database in batches.
    let started = Instant::now();
    let last = loop {
        let s = site(&app, &site_id).await;
        if let Some(t) = s.last_validated_at {
            break t;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "last_validated_at not recorded after 3 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(last.parse::<Timestamp>().unwrap(), start_time());

    // A key added to the account shows in the next validation's list (the cache follows).
    let account = add_key(&app, &token, &keys[2]).await;
    assert_eq!(site_ids(&account).len(), 3);
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.installations.len(), 3);

    // The shortest and the longest nonce.
    for n in ["0f".repeat(16), "A0".repeat(64)] {
        let (v, _) = checked(&app, &published, &site_id, &fp('a'), &n.to_lowercase()).await;
        assert_eq!(v.state, LicenseState::Valid);
    }

    // A validation response is not a license; a response for one nonce is not one for another.
    assert!(matches!(
        license::open::<License>(&doc, DocumentKind::License, trust(&published)),
        Err(VerifyError::WrongKind { .. })
    ));
    let relabelled = SignedDocument {
        kind: "tessera-license/v1".into(),
        ..doc.clone()
    };
    assert_eq!(
        license::open::<License>(&relabelled, DocumentKind::License, trust(&published)),
        Err(VerifyError::BadSignature)
    );
    let other_nonce = nonce();
    let (v2, doc2) = checked(&app, &published, &site_id, &fp('a'), &other_nonce).await;
    assert_ne!(
        v.nonce, other_nonce,
        "the recorded response does not carry the new nonce"
    );
    assert_eq!(v2.nonce, other_nonce);
    assert_ne!(doc.signature, doc2.signature);
    // A client's nonce in upper case comes back as the documented lower-case hex.
    let upper = nonce().to_uppercase();
    let doc: SignedDocument = ok(
        validate(&app, &site_id, &fp('a'), &upper).await,
        StatusCode::OK,
    )
    .await;
    let v: Validation = license::open(&doc, DocumentKind::Validation, trust(&published)).unwrap();
    assert_eq!(v.nonce, upper.to_lowercase());

    // Another machine learns only that it is not the bound one.
    let (v, _) = checked(&app, &published, &site_id, &fp('b'), &nonce()).await;
    assert_eq!(v.state, LicenseState::FingerprintMismatch);
    assert_eq!(v.grant, None);
    assert!(v.installations.is_empty());

    // No such installation; one never activated.
    let unknown = "0123456789abcdef0123456789abcdef";
    let (v, _) = checked(&app, &published, unknown, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::UnknownSite);
    assert_eq!(v.grant, None);
    assert!(v.installations.is_empty());
    let (v, _) = checked(&app, &published, &other_site, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::NotActivated);
    assert!(v.installations.is_empty());

    // Suspended, resumed.
    let s: Site = ok(
        app.post(&format!("/api/v1/sites/{site_id}/suspend"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s.status, "suspended");
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Suspended);
    assert_eq!(v.grant, None);
    error(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CONFLICT,
        "SITE_SUSPENDED",
    )
    .await;
    let s: Site = ok(
        app.post(&format!("/api/v1/sites/{site_id}/resume"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s.status, "active");
    assert_eq!(
        state(&app, &published, &site_id, &fp('a')).await,
        LicenseState::Valid
    );

    // Expired, then without expiry again.
    let set_expiry = |at: Value| {
        let app = &app;
        let path = format!("/api/v1/sites/{site_id}/expiry");
        async move {
            app.call(
                Method::PUT,
                &path,
                Some(&json!({"expires_at": at})),
                Some(app.token()),
            )
            .await
        }
    };
    let s: Site = ok(
        set_expiry(json!("2026-11-01T00:00:00Z")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        s.expires_at.map(|t| t.parse::<Timestamp>().unwrap()),
        Some("2026-11-01T00:00:00Z".parse().unwrap())
    );
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Expired);
    assert_eq!(v.grant, None);
    error(
        set_expiry(json!("next tuesday")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_TIMESTAMP",
    )
    .await;
    let s: Site = ok(set_expiry(Value::Null).await, StatusCode::OK).await;
    assert_eq!(s.expires_at, None);
    assert_eq!(
        state(&app, &published, &site_id, &fp('a')).await,
        LicenseState::Valid
    );
    // An expiry in the future is granted as such.
    ok::<Site>(
        set_expiry(json!("2027-06-30T00:00:00Z")).await,
        StatusCode::OK,
    )
    .await;
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(
        v.grant.unwrap().expires_at,
        Some("2027-06-30T00:00:00Z".parse().unwrap())
    );

    // Revoked key.
    ok::<Value>(
        app.post(
            &format!("/api/v1/keys/{}/revoke", keys[0]),
            &json!({"reason": "chargeback"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Revoked);
    assert_eq!(v.grant, None);
    error(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    )
    .await;

    // Deactivated.
    ok::<Site>(
        app.post(&format!("/api/v1/sites/{site_id}/deactivate"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::NotActivated);
    assert!(v.installations.is_empty());

    // Malformed requests.
    for bad in [
        "0f".repeat(15),
        format!("{}0", "0f".repeat(16)),
        "zz".repeat(16),
        "0f".repeat(65),
        String::new(),
    ] {
        let e = error(
            validate(&app, &site_id, &fp('a'), &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "NONCE_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("nonce"), "{bad}");
    }
    for bad in ["", "../../etc/passwd", "site id", &"a".repeat(65)] {
        let e = error(
            validate(&app, bad, &fp('a'), &nonce()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "SITE_ID_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("site_id"), "{bad}");
    }
    error(
        validate(&app, &site_id, "machine-serial-12345", &nonce()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "FINGERPRINT_INVALID",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// 8. Signing keys: rotation, retirement, restart (C3)

async fn rotate(app: &TestApp) -> PublicKeyInfo {
    ok(
        app.post("/api/v1/signing-keys/rotate", &json!({})).await,
        StatusCode::CREATED,
    )
    .await
}

async fn retire(app: &TestApp, key_id: &str) -> Response {
    app.post(&format!("/api/v1/signing-keys/{key_id}/retire"), &json!({}))
        .await
}

/// (key_id, active, retired) of every published key, sorted by key id.
fn key_states(keys: &[PublicKeyInfo]) -> Vec<(String, bool, bool)> {
    let mut states: Vec<_> = keys
        .iter()
        .map(|k| (k.key_id.clone(), k.active, k.retired_at.is_some()))
        .collect();
    states.sort();
    states
}

async fn signing_key_rotation_and_retirement(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let before = published(&app).await;
    assert_eq!(before.len(), 1);
    let old_id = before[0].key_id.clone();
    let first = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first.license.key_id, old_id);

    // Only operators rotate.
    error(
        app.call(Method::POST, "/api/v1/signing-keys/rotate", None, None)
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    app.clock.advance(SignedDuration::from_hours(1));
    let new = rotate(&app).await;
    assert_ne!(new.key_id, old_id);
    assert!(new.active);
    assert_eq!(new.retired_at, None);
    assert_eq!(new.algorithm, "Ed25519");
    let both = published(&app).await;
    assert_eq!(both.len(), 2);
    let old_info = both.iter().find(|k| k.key_id == old_id).unwrap().clone();
    let new_info = both
        .iter()
        .find(|k| k.key_id == new.key_id)
        .unwrap()
        .clone();
    assert!(!old_info.active && old_info.retired_at.is_none());
    assert!(new_info.active);
    assert_eq!(new_info.public_key, new.public_key);

    // New documents are signed with the new key; the old license still verifies with the old.
    let again = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.activation, "again");
    assert_eq!(again.license.key_id, new.key_id);
    let lic = open_license(&again.license, &both);
    assert_eq!(lic.key_id, new.key_id);
    assert!(
        license::open::<License>(
            &again.license,
            DocumentKind::License,
            trust(std::slice::from_ref(&old_info))
        )
        .is_err(),
        "the new license is not signed by the old key"
    );
    let old_lic: License = license::open(
        &first.license,
        DocumentKind::License,
        trust(std::slice::from_ref(&old_info)),
    )
    .expect("the old license verifies with the old public key");
    assert_eq!(old_lic.key_id, old_id);
    let (v, doc) = checked(&app, &both, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(doc.key_id, new.key_id);
    assert_eq!(v.state, LicenseState::Valid);

    // Retirement.
    error(
        retire(&app, &new.key_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_ACTIVE",
    )
    .await;
    app.clock.advance(SignedDuration::from_hours(1));
    let retired: PublicKeyInfo = ok(retire(&app, &old_id).await, StatusCode::OK).await;
    assert_eq!(retired.key_id, old_id);
    assert!(!retired.active);
    assert_eq!(
        retired
            .retired_at
            .as_deref()
            .map(|t| t.parse::<Timestamp>().unwrap()),
        Some(start_time() + SignedDuration::from_hours(2))
    );
    error(
        retire(&app, &old_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_RETIRED",
    )
    .await;
    error(
        retire(&app, "0123456789abcdef").await,
        StatusCode::NOT_FOUND,
        "SIGNING_KEY_NOT_FOUND",
    )
    .await;
    error(
        app.call(
            Method::POST,
            &format!("/api/v1/signing-keys/{old_id}/retire"),
            None,
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    let listed = published(&app).await;
    assert_eq!(listed.len(), 2, "a retired key stays listed");
    assert_eq!(
        key_states(&listed),
        key_states(&[retired.clone(), new_info.clone()])
    );
    let (_, doc) = checked(&app, &listed, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(doc.key_id, new.key_id);

    // A third key: now one retired, one older unretired, one active.
    app.clock.advance(SignedDuration::from_hours(1));
    let third = rotate(&app).await;
    let listed = published(&app).await;
    assert_eq!(listed.len(), 3);
    let expected = key_states(&listed);
    assert_eq!(
        expected
            .iter()
            .filter(|k| k.1)
            .map(|k| k.0.clone())
            .collect::<Vec<_>>(),
        vec![third.key_id.clone()]
    );

    // All of it survives a restart on the same data.
    let place = app.place().clone();
    app.stop().await;
    let app = start(&place, |_| {}).await;
    let after = published(&app).await;
    assert_eq!(key_states(&after), expected);
    for k in &listed {
        let a = after.iter().find(|a| a.key_id == k.key_id).unwrap();
        assert_eq!(a.public_key, k.public_key);
        assert_eq!(a.retired_at, k.retired_at);
    }
    let (v, doc) = checked(&app, &after, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(doc.key_id, third.key_id, "the newest key still signs");
    error(
        retire(&app, &old_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_RETIRED",
    )
    .await;
    error(
        retire(&app, &third.key_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_ACTIVE",
    )
    .await;
    ok::<PublicKeyInfo>(retire(&app, &new.key_id).await, StatusCode::OK).await;
    app.stop().await;
}

both_backends!(rotation_at_the_same_instant_stays_active);

/// A rotation makes the new key the signing one even when the clock reads the same as when
/// the previous key was made (or earlier: a clock stepped back, another instance's skew), and
/// it stays so after the keys are reloaded.
async fn rotation_at_the_same_instant_stays_active(app: TestApp) {
    // Rotate (without moving the clock) until the newest key's id sorts before an earlier
    // key's id, so an order by id would pick the wrong key. Ids are random: each rotation
    // has at least an even chance, so 40 rotations all sorting highest does not happen.
    let mut highest = published(&app).await.remove(0).key_id;
    let mut newest = rotate(&app).await;
    for _ in 0..40 {
        if newest.key_id < highest {
            break;
        }
        highest = newest.key_id.clone();
        newest = rotate(&app).await;
    }
    assert!(newest.key_id < highest, "40 rotations never sorted lower");
    assert!(newest.active);
    let place = app.place().clone();
    app.stop().await;
    let app = start(&place, |_| {}).await;
    let active: Vec<String> = published(&app)
        .await
        .into_iter()
        .filter(|k| k.active)
        .map(|k| k.key_id)
        .collect();
    assert_eq!(
        active,
        vec![newest.key_id.clone()],
        "after a restart the last rotated key is still the active one"
    );
    app.stop().await;
}

/// Two instances on one PostgreSQL database: after a rotation on one, the other publishes the
/// new public key (clients fetch keys from whichever instance answers).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_keys_follow_a_rotation_on_another_instance() {
    let Some(place) = DataPlace::new(Backend::Postgres) else {
        return; // PgCluster::shared() printed why.
    };
    let a = start(&place, |_| {}).await;
    let b = start(&place, |_| {}).await;
    assert_eq!(published(&b).await.len(), 1);
    a.clock.advance(SignedDuration::from_hours(1));
    let new = rotate(&a).await;
    let started = Instant::now();
    let seen = loop {
        if published(&b)
            .await
            .iter()
            .any(|k| k.key_id == new.key_id && k.active)
        {
            break true;
        }
        if started.elapsed() > Duration::from_secs(3) {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        seen,
        "instance B does not publish the key instance A now signs with"
    );
    a.stop().await;
    b.stop().await;
}

// ---------------------------------------------------------------------------------------------
// 9. Rate limits on the client routes

fn retry_after(resp: &Response) -> u64 {
    resp.headers()
        .get("retry-after")
        .expect("429 carries Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn throttled(resp: Response) {
    let wait = retry_after(&resp);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    error(resp, StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS").await;
}

fn rate_limited(config: &mut Config) {
    config.rate_limits = RateLimits {
        activations_per_key: 3,
        validations_per_site: 3,
        key_lookups_per_ip: 5,
        ..RateLimits::off()
    };
}

async fn rate_limits_answer_429(app: TestApp) {
    let keys = product_with_keys(&app, "crm", 3, 0).await;
    let account = register(&app, "jack", EMAIL, IT_VATS[0], &keys[0]).await; // lookup 1 of 5
    let site_id = site_ids(&account).remove(0);

    // Activations naming one key: 3 a minute, however the key is typed.
    activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    for _ in 0..2 {
        activated(
            activate(&app, EMAIL, &keys[0], &fp('a')).await,
            StatusCode::OK,
        )
        .await;
    }
    throttled(activate(&app, EMAIL, &keys[0], &fp('a')).await).await;
    let retyped = keys[0].replace('-', "").to_lowercase();
    throttled(activate(&app, EMAIL, &retyped, &fp('a')).await).await;
    // Another key has its own allowance.
    error(
        activate(&app, EMAIL, &keys[1], &fp('a')).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    )
    .await;
    assert_eq!(site(&app, &site_id).await.fingerprint, Some(fp('a')));

    // Validations of one site: 3 a minute.
    for _ in 0..3 {
        ok::<SignedDocument>(
            validate(&app, &site_id, &fp('a'), &nonce()).await,
            StatusCode::OK,
        )
        .await;
    }
    throttled(validate(&app, &site_id, &fp('a'), &nonce()).await).await;
    ok::<SignedDocument>(
        validate(&app, "0123456789abcdef0123456789abcdef", &fp('a'), &nonce()).await,
        StatusCode::OK,
    )
    .await;

    // Registrations (key lookups) from one IP: 5 a minute, refused ones included.
    for i in 0..4 {
        let resp = app
            .call(
                Method::POST,
                "/api/v1/accounts",
                Some(&crate::fixtures::registration_json(
                    &format!("user{i}"),
                    &format!("user{i}@example.com"),
                    IT_VATS[1],
                    &keys[0], // already registered: refused
                )),
                None,
            )
            .await;
        assert_ne!(
            resp.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "attempt {}",
            i + 2
        );
        assert_ne!(resp.status(), StatusCode::CREATED);
    }
    throttled(
        app.call(
            Method::POST,
            "/api/v1/accounts",
            Some(&crate::fixtures::registration_json(
                "anna",
                "anna@example.com",
                IT_VATS[1],
                &keys[2],
            )),
            None,
        )
        .await,
    )
    .await;
    // The throttled registration stored nothing: the key is still only issued.
    let info: Value = ok(
        app.get(&format!("/api/v1/keys/{}", keys[2])).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(info["status"], "issued");
    app.stop().await;
}
