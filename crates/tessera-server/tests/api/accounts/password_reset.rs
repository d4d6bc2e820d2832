//! B3: password reset by emailed token.

use super::*;

both_backends!(password_reset_by_emailed_token,);

async fn password_reset_by_emailed_token(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let old_session = account_login(&app, "jack").await;

    // Known or not, the answer is the same; only a known address gets mail.
    let resp = request_reset(&app, " JACK@example.com ").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let resp = request_reset(&app, "nobody@example.com").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert!(
        app.store
            .mail_to("nobody@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    let e = error(
        request_reset(&app, "not an address").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EMAIL_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("email"));
    let kinds: Vec<_> = app
        .store
        .mail_to("jack@example.com")
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, ["account.registered", "password.reset"]);
    let token = reset_tokens(&app, "jack@example.com").await.remove(0);
    assert!(token.len() >= 32, "{token}");

    // A weak new password is refused and does not use up the token.
    let e = error(
        confirm_reset(&app, &token, "short").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "PASSWORD_TOO_SHORT",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("password"));
    ok::<Account>(me(&app, &old_session).await, StatusCode::OK).await;

    let resp = confirm_reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    error(
        portal_login(&app, "jack", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    ok::<LoginResponse>(
        portal_login(&app, "jack", NEW_PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    // Every session that existed before the reset has ended.
    error(
        me(&app, &old_session).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // The token works once; a made-up one never.
    for t in [token.as_str(), "made-up-token"] {
        let e = error(
            confirm_reset(&app, t, "yet another passphrase").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "RESET_TOKEN_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("token"));
    }

    // Two uses of one token at once: one sets the password, the other is refused.
    let resp = request_reset(&app, "jack@example.com").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let racing = reset_tokens(&app, "jack@example.com").await.remove(1);
    let (a, b) = tokio::join!(
        confirm_reset(&app, &racing, "first racing passphrase"),
        confirm_reset(&app, &racing, "second racing passphrase"),
    );
    let winner = match (a.status(), b.status()) {
        (StatusCode::NO_CONTENT, _) => {
            error(b, StatusCode::UNPROCESSABLE_ENTITY, "RESET_TOKEN_INVALID").await;
            "first racing passphrase"
        }
        _ => {
            assert_eq!(b.status(), StatusCode::NO_CONTENT);
            error(a, StatusCode::UNPROCESSABLE_ENTITY, "RESET_TOKEN_INVALID").await;
            "second racing passphrase"
        }
    };
    ok::<LoginResponse>(portal_login(&app, "jack", winner).await, StatusCode::OK).await;

    // A token older than an hour is refused.
    let resp = request_reset(&app, "jack@example.com").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let tokens = reset_tokens(&app, "jack@example.com").await;
    assert_eq!(tokens.len(), 3);
    assert_ne!(tokens[1], tokens[2]);
    app.clock.advance(SignedDuration::from_hours(2));
    error(
        confirm_reset(&app, &tokens[2], "yet another passphrase").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RESET_TOKEN_INVALID",
    )
    .await;
    // The password set before stays.
    ok::<LoginResponse>(portal_login(&app, "jack", winner).await, StatusCode::OK).await;
}
