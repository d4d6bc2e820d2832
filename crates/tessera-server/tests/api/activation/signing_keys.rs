//! Signing keys: rotation, retirement, restart, another instance (C3).

use super::*;

both_backends!(
    signing_key_rotation_and_retirement,
    rotation_at_the_same_instant_stays_active,
);

async fn rotate(app: &TestApp) -> PublicKeyInfo {
    app.api().rotate_signing_key().await.unwrap()
}

async fn retire(app: &TestApp, key_id: &str) -> ApiResult<PublicKeyInfo> {
    app.api().retire_signing_key(key_id).await
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
    refused(
        retire(&app, &new.key_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_ACTIVE",
    );
    app.clock.advance(SignedDuration::from_hours(1));
    let retired = retire(&app, &old_id).await.unwrap();
    assert_eq!(retired.key_id, old_id);
    assert!(!retired.active);
    assert_eq!(
        retired
            .retired_at
            .as_deref()
            .map(|t| t.parse::<Timestamp>().unwrap()),
        Some(start_time() + SignedDuration::from_hours(2))
    );
    refused(
        retire(&app, &old_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_RETIRED",
    );
    refused(
        retire(&app, "0123456789abcdef").await,
        StatusCode::NOT_FOUND,
        "SIGNING_KEY_NOT_FOUND",
    );
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
    refused(
        retire(&app, &old_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_RETIRED",
    );
    refused(
        retire(&app, &third.key_id).await,
        StatusCode::CONFLICT,
        "SIGNING_KEY_ACTIVE",
    );
    retire(&app, &new.key_id).await.unwrap();
    app.stop().await;
}

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
