//! Set-ups many stories share, through the public API: a product with keys, a registered
//! account, a sign-in, an activation.

use reqwest::Response;
use tessera_api::{
    Account, ActivationRequest, CreateBatch, CreateProduct, FillBatch, GroupMembers, LoginRequest,
    NewEntry, NewGroup, NewSize, NewUser,
};

use crate::app::TestApp;
use crate::fixtures::{IT_VATS, PASSWORD, registration};

/// Creates product `code` (one edition `std`, size `s10` with 10 users, module `mail`) with
/// the given transfer policy, and a batch of `n` keys; returns the keys as shown.
pub async fn product_with_keys(
    app: &TestApp,
    code: &str,
    n: u32,
    max_transfers: u32,
) -> Vec<String> {
    let entry = |code: &str, name: &str| NewEntry {
        code: code.into(),
        name: name.into(),
    };
    app.api()
        .create_product(&CreateProduct {
            code: code.into(),
            name: code.to_uppercase(),
            editions: vec![entry("std", "Standard")],
            sizes: vec![NewSize {
                code: "s10".into(),
                name: "10 users".into(),
                limits: [("users".to_owned(), 10)].into(),
            }],
            modules: vec![entry("mail", "Mail")],
            grace_days: None,
            max_transfers: Some(max_transfers),
        })
        .await
        .unwrap();
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
    let api = app.api();
    let batch = api
        .create_batch(&CreateBatch {
            product: product.into(),
            edition: edition.into(),
            size: size.into(),
            count: n,
            note: None,
        })
        .await
        .unwrap();
    api.fill_batch(batch.id, &FillBatch { count: n })
        .await
        .unwrap();
    let page = api.batch_keys(batch.id, None, 1000).await.unwrap();
    page.keys.into_iter().map(|k| k.key).collect()
}

/// Registers an account (201).
pub async fn register(app: &TestApp, username: &str, email: &str, vat: &str, key: &str) -> Account {
    app.api_as(None)
        .register(&registration(username, email, vat, key))
        .await
        .unwrap()
}

/// Signs in to the portal; returns the account token.
pub async fn account_login(app: &TestApp, login: &str) -> String {
    let login = LoginRequest {
        username: login.into(),
        password: PASSWORD.into(),
        language: None,
    };
    app.api_as(None).account_login(&login).await.unwrap().token
}

/// A fingerprint made of one repeated hex digit.
pub fn fp(c: char) -> String {
    c.to_string().repeat(64)
}

/// Activation by email; returns the raw response (tests look at refusals too).
pub async fn activate(app: &TestApp, email: &str, key: &str, fingerprint: &str) -> Response {
    let body = ActivationRequest {
        email: Some(email.into()),
        vat_number: None,
        product_key: key.into(),
        fingerprint: fingerprint.into(),
        installation: None,
    };
    let body = serde_json::to_value(body).unwrap();
    app.call(
        reqwest::Method::POST,
        "/api/v1/activations",
        Some(&body),
        None,
    )
    .await
}

/// An account `ib50` (email `office@ib50.example`, password [`PASSWORD`]) with `n` sites,
/// the first activated; gives the site ids.
pub async fn account_with_sites(app: &TestApp, n: u32) -> Vec<String> {
    let keys = product_with_keys(app, "crm", n, 3).await;
    register(app, "ib50", "office@ib50.example", IT_VATS[0], &keys[0]).await;
    let token = account_login(app, "ib50").await;
    for key in &keys[1..] {
        let add = tessera_api::AddKey {
            product_key: key.clone(),
            reseller: crate::fixtures::reseller(),
        };
        app.api_as(Some(&token)).add_key(&add).await.unwrap();
    }
    let activated = activate(app, "office@ib50.example", &keys[0], &fp('a')).await;
    assert_eq!(
        activated.status(),
        reqwest::StatusCode::CREATED,
        "activation"
    );
    let sites = app.api_as(Some(&token)).own_sites().await.unwrap();
    sites.sites.into_iter().map(|s| s.site_id).collect()
}

/// A user `name` of the account, alone in a group of the same name holding `rights`.
pub async fn user_with(app: &TestApp, admin: &str, name: &str, rights: &[&str]) {
    let api = app.api_as(Some(admin));
    let user = api
        .create_user(&NewUser {
            username: name.into(),
            password: PASSWORD.into(),
            groups: Vec::new(),
        })
        .await
        .unwrap();
    let group = api
        .create_group(&NewGroup {
            name: name.into(),
            rights: rights.iter().map(|r| r.to_string()).collect(),
        })
        .await
        .unwrap();
    let members = GroupMembers {
        user_ids: vec![user.id],
        site_user_ids: None,
    };
    api.set_group_members(group.id, &members).await.unwrap();
}

/// The operator sets `product`'s offline policy (X1): `none`, `periodic` (with `days`) or
/// `perpetual`.
pub async fn offline_policy(app: &TestApp, product: &str, policy: &str, days: Option<u32>) {
    let body = tessera_api::SetOfflinePolicy {
        offline_policy: policy.into(),
        offline_check_days: days,
    };
    let set = app.api().set_offline_policy(product, &body).await.unwrap();
    assert_eq!(set.offline_policy, policy);
}

/// A request file's body (X1), as a site's client writes it, naming the account by email;
/// a fresh random nonce.
pub fn offline_request(
    kind: tessera_api::OfflineRequestKind,
    key: &str,
    email: &str,
    fingerprint: &str,
    now: jiff::Timestamp,
) -> tessera_api::OfflineRequest {
    use rand::RngCore;
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    tessera_api::OfflineRequest {
        format: tessera_core::offline::REQUEST_FORMAT.into(),
        kind,
        product_key: key.into(),
        email: Some(email.into()),
        vat_number: None,
        installation: None,
        fingerprint: fingerprint.into(),
        nonce: hex::encode(raw),
        client_version: Some("2.1.0".into()),
        created_at: now,
        machine_key: None,
        activation_nonce: None,
    }
}
