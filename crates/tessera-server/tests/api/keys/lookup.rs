//! A3: a key is looked up, revoked, and its history told.

use super::*;

both_backends!(key_lookup_revoke_and_history,);

async fn key_lookup_revoke_and_history(app: TestApp) {
    with_product(&app).await;
    let batch = order(&app, 3).await;
    fill(&app, batch.id, 3).await.unwrap();
    let key = all_keys(&app, batch.id).await.remove(0).key;

    // Any case, with or without dashes, surrounding spaces (URL-encoded).
    for typed in [
        key.clone(),
        key.to_lowercase(),
        key.replace('-', ""),
        format!("%20{key}%20"),
    ] {
        let found: KeyInfo = ok(
            app.get(&format!("/api/v1/keys/{typed}")).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(found.key, key);
    }
    // One symbol mistyped: refused by the check symbol, before any lookup.
    let mut typo: Vec<char> = key.chars().collect();
    typo[0] = if typo[0] == '2' { '3' } else { '2' };
    let typo: String = typo.into_iter().collect();
    error(
        app.get(&format!("/api/v1/keys/{typo}")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_CHECKSUM_INVALID",
    )
    .await;
    error(
        app.get("/api/v1/keys/ABC").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_FORMAT_INVALID",
    )
    .await;
    // A well-formed key that was never issued.
    use rand::SeedableRng;
    let never = ProductKey::generate(&mut rand::rngs::StdRng::seed_from_u64(99));
    error(
        app.get(&format!("/api/v1/keys/{never}")).await,
        StatusCode::NOT_FOUND,
        "KEY_NOT_FOUND",
    )
    .await;

    let api = app.api();
    let reason = |r: &str| RevokeKey { reason: r.into() };
    refused(
        api.revoke_key(&key, &reason("  ")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_REASON",
    );
    let unchanged: KeyInfo = ok(
        app.get(&format!("/api/v1/keys/{key}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        unchanged.status, "issued",
        "a refused revocation changes nothing"
    );

    app.clock.advance(jiff::SignedDuration::from_mins(5));
    let revoked: KeyInfo = api.revoke_key(&key, &reason("refunded")).await.unwrap();
    assert_eq!(revoked.status, "revoked");
    assert_eq!(revoked.updated_at, "2026-11-23T09:05:00Z");
    refused(
        api.revoke_key(&key, &reason("again")).await,
        StatusCode::CONFLICT,
        "KEY_ALREADY_REVOKED",
    );

    let history: KeyHistory = ok(
        app.get(&format!("/api/v1/keys/{key}/history")).await,
        StatusCode::OK,
    )
    .await;
    let events: Vec<_> = history
        .events
        .iter()
        .map(|e| {
            (
                e.action.as_str(),
                e.actor.as_str(),
                e.at.as_str(),
                e.detail.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            (
                "batch.created",
                "operator:admin",
                "2026-11-23T09:00:00Z",
                Some("3 keys")
            ),
            (
                "batch.filled",
                "operator:admin",
                "2026-11-23T09:00:00Z",
                Some("3 keys")
            ),
            (
                "key.revoked",
                "operator:admin",
                "2026-11-23T09:05:00Z",
                Some("refunded")
            ),
        ]
    );
}
