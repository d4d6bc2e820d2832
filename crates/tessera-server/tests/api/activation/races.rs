//! Races: 32 machines for one key, validations at once.

use tessera_api::ValidationRequest;

use super::*;

both_backends!(
    concurrent_activations_bind_one_machine,
    concurrent_validations_each_verify_alone,
);

async fn concurrent_activations_bind_one_machine(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    const N: u8 = 32;
    let barrier = Arc::new(tokio::sync::Barrier::new(usize::from(N)));
    let mut tasks = Vec::new();
    for i in 0..N {
        let api = app.api_as(None);
        let body = ActivationRequest {
            email: Some(EMAIL.into()),
            vat_number: None,
            product_key: keys[0].clone(),
            fingerprint: machine(i),
            installation: None,
        };
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            (i, api.activate(&body).await)
        }));
    }
    let mut winners = Vec::new();
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            (i, Ok(body)) => winners.push((i, body)),
            (_, Err(ApiError::Api { status, body })) if status == StatusCode::CONFLICT => {
                assert_eq!(body.code, "KEY_ALREADY_ACTIVATED", "{body:?}");
                refused += 1;
            }
            (_, Err(other)) => panic!("unexpected {other}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one machine wins: {winners:?}");
    assert_eq!(refused, N - 1);
    let (winner, body) = winners.remove(0);
    assert_eq!(body.site_id, site_id);
    assert_eq!(body.activation, "activated");
    let s = site(&app, &site_id).await;
    assert_eq!(s.status, "active");
    assert_eq!(s.fingerprint, Some(machine(winner)));
    assert_eq!(s.transfers, 0);

    let published = published(&app).await;
    assert_eq!(
        open_license(&body.license, &published).fingerprint,
        machine(winner)
    );
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
        let api = app.api_as(None);
        let n = nonce();
        let body = ValidationRequest {
            site_id: site_id.clone(),
            fingerprint: fp('a'),
            nonce: n.clone(),
        };
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            (n, api.validate(&body).await.unwrap())
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
