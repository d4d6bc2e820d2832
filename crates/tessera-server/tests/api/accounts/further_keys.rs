//! B2: an account adds further keys.
// Raw JSON once: a request without its reseller, which the typed AddKey cannot leave out.

use serde_json::json;

use super::*;

both_backends!(an_account_adds_further_keys,);

async fn an_account_adds_further_keys(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 4, 0).await;
    let jack = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let bob = register(&app, "bob", "bob@example.com", IT_VATS[1], &keys[2]).await;
    let token = account_login(&app, "jack").await;

    // Without a token, or with an operator's: not signed in to the portal.
    for t in [None, Some(app.token())] {
        error(
            add_key(&app, &keys[1], reseller(), t).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    // Refused input names its field and uses up nothing.
    let e = error(
        add_key(
            &app,
            &keys[1],
            ResellerData {
                city: " ".into(),
                ..reseller()
            },
            Some(&token),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "FIELD_REQUIRED",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reseller.city"));
    let e = error(
        add_key(&app, &mistyped(&keys[1]), reseller(), Some(&token)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_CHECKSUM_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("product_key"));
    let e = error(
        app.call(
            Method::POST,
            "/api/v1/account/keys",
            Some(&json!({"product_key": keys[1]})),
            Some(&token),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_FIELD",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reseller"));
    assert_eq!(key_status(&app, &keys[1]).await, "issued");

    // Typed in lower case without dashes.
    let typed = keys[1].to_lowercase().replace('-', "");
    let account: Account = ok(
        add_key(&app, &typed, reseller(), Some(&token)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(account.id, jack.id);
    let mut held: Vec<_> = account
        .installations
        .iter()
        .map(|s| {
            (
                s.product_key.clone(),
                s.status.clone(),
                s.key_status.clone(),
            )
        })
        .collect();
    held.sort();
    let mut want = vec![
        (keys[0].clone(), "registered".into(), "registered".into()),
        (keys[1].clone(), "registered".into(), "registered".into()),
    ];
    want.sort();
    assert_eq!(held, want);
    assert_ne!(
        account.installations[0].site_id,
        account.installations[1].site_id
    );
    assert_eq!(key_status(&app, &keys[1]).await, "registered");
    let history: KeyHistory = ok(
        app.get(&format!("/api/v1/keys/{}/history", keys[1])).await,
        StatusCode::OK,
    )
    .await;
    let last = history.events.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("key.registered", "account:jack")
    );

    // Another account's key, the same key again, a revoked or an unknown key: one answer.
    let reason = RevokeKey {
        reason: "refunded".into(),
    };
    app.api().revoke_key(&keys[3], &reason).await.unwrap();
    let mut answers = Vec::new();
    for key in [
        keys[2].clone(),
        keys[1].clone(),
        keys[3].clone(),
        never_issued(),
    ] {
        let e = error(
            add_key(&app, &key, reseller(), Some(&token)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await;
        answers.push((e.message, e.field));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");

    // Bob keeps his key; Jack has his two.
    let bob_now: Account = ok(
        app.get(&format!("/api/v1/accounts/{}", bob.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(bob_now.installations.len(), 1);
    assert_eq!(bob_now.installations[0].product_key, keys[2]);
    let jack_now: Account = ok(me(&app, &token).await, StatusCode::OK).await;
    assert_eq!(jack_now.installations.len(), 2);
}
