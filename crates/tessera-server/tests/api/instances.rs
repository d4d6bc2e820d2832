//! Two Tessera instances on one PostgreSQL database, as behind a load balancer: what one
//! changes, the other's in-memory validation state and keyring follow.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use tessera_api::RevokeKey;
use tessera_core::license::{Validation, open};
use tessera_core::{DocumentKind, LicenseState, SignedDocument};

use crate::fixtures::{activate, fp, nonce, product_with_keys, register, validate};
use crate::harness::{Backend, DataPlace, TestApp, ok, start};

/// The validation as `app` answers it, opened without checking the signature (this test is
/// about state, not signatures).
async fn state_on(app: &TestApp, site: &str, fingerprint: &str) -> (LicenseState, String) {
    let doc: SignedDocument = ok(
        validate(app, site, fingerprint, &nonce()).await,
        StatusCode::OK,
    )
    .await;
    let payload =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &doc.payload).unwrap();
    let v: Validation = serde_json::from_slice(&payload).unwrap();
    (v.state, doc.key_id)
}

/// Polls `app` until `want` holds or 5 s pass.
async fn eventually(
    app: &TestApp,
    site: &str,
    fingerprint: &str,
    want: impl Fn(&(LicenseState, String)) -> bool,
) -> (LicenseState, String) {
    let started = Instant::now();
    loop {
        let got = state_on(app, site, fingerprint).await;
        if want(&got) || started.elapsed() > Duration::from_secs(5) {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_instance_reaches_the_other() {
    let Some(place) = DataPlace::new(Backend::Postgres) else {
        return; // PgCluster::shared() printed why.
    };
    let a = start(&place, |_| {}).await;
    let b = start(&place, |_| {}).await;

    let keys = product_with_keys(&a, "crm", 1, 0).await;
    register(&a, "jack", "jack@example.com", "00743110157", &keys[0]).await;
    let activated: Value = ok(
        activate(&a, "jack@example.com", &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let site = activated["site_id"].as_str().unwrap();

    // B loads the site into its cache.
    let (state, first_key) = state_on(&b, site, &fp('a')).await;
    assert_eq!(state, LicenseState::Valid);

    // A suspends it: B follows.
    a.api().suspend_site(site).await.unwrap();
    let (state, _) = eventually(&b, site, &fp('a'), |s| s.0 == LicenseState::Suspended).await;
    assert_eq!(
        state,
        LicenseState::Suspended,
        "instance B still serves the old state"
    );

    // A resumes and revokes the key: B follows both.
    a.api().resume_site(site).await.unwrap();
    let (state, _) = eventually(&b, site, &fp('a'), |s| s.0 == LicenseState::Valid).await;
    assert_eq!(state, LicenseState::Valid);
    let refund = RevokeKey {
        reason: "refund".into(),
    };
    a.api().revoke_key(&keys[0], &refund).await.unwrap();
    let (state, _) = eventually(&b, site, &fp('a'), |s| s.0 == LicenseState::Revoked).await;
    assert_eq!(state, LicenseState::Revoked);

    // A rotates the signing key: B signs with the new one.
    let new_key = a.api().rotate_signing_key().await.unwrap().key_id;
    assert_ne!(new_key, first_key);
    let (_, key_id) = eventually(&b, site, &fp('a'), |s| s.1 == new_key).await;
    assert_eq!(key_id, new_key, "instance B still signs with the old key");
    let doc: SignedDocument =
        ok(validate(&b, site, &fp('a'), &nonce()).await, StatusCode::OK).await;
    let published: Value = ok(b.anonymous_get("/api/v1/public-keys").await, StatusCode::OK).await;
    let trusted = |id: &str| {
        published["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key_id"] == id)
            .map(|k| {
                let raw = base64::Engine::decode(
                    &base64::engine::general_purpose::STANDARD,
                    k["public_key"].as_str().unwrap(),
                )
                .unwrap();
                ed25519_dalek::VerifyingKey::from_bytes(&raw.try_into().unwrap()).unwrap()
            })
    };
    let opened: Validation = open(&doc, DocumentKind::Validation, trusted)
        .expect("B's signature verifies with B's published key");
    assert_eq!(opened.key_id, new_key);

    a.stop().await;
    b.stop().await;
}

/// `database_connections` caps what one instance holds open on PostgreSQL, its change
/// listener included, however many requests wait: several instances can share a database's
/// `max_connections`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_keeps_no_more_database_connections_than_it_is_given() {
    let Some(place) = DataPlace::new(Backend::Postgres) else {
        return; // PgCluster::shared() printed why.
    };
    let url = place.config().database_url.expect("a PostgreSQL place");
    let app = start(&place, |c| c.database_connections = 3).await;
    let mut watcher = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();

    // Forty callers at once, each asking for the database again and again.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut callers = Vec::new();
    for _ in 0..40 {
        let (base, stop) = (app.base.clone(), stop.clone());
        callers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = http.get(format!("{base}/readyz")).send().await.unwrap();
                assert_eq!(r.status(), StatusCode::OK);
            }
        }));
    }
    let mut most = 0;
    for _ in 0..50 {
        let held: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND backend_type = 'client backend' \
               AND pid <> pg_backend_pid()",
        )
        .fetch_one(&mut watcher)
        .await
        .unwrap();
        most = most.max(held);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for caller in callers {
        caller.await.unwrap();
    }
    assert_eq!(most, 3, "the instance held {most} connections at most");
    app.stop().await;
}
