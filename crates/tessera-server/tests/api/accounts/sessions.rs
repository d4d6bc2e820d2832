//! B3: portal sessions sign in, out, and expire.

use super::*;

both_backends!(portal_sessions_sign_in_out_and_expire,);

async fn portal_sessions_sign_in_out_and_expire(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;

    let by_name: LoginResponse =
        ok(portal_login(&app, " Jack ", PASSWORD).await, StatusCode::OK).await;
    assert_eq!(by_name.token_type, "Bearer");
    assert_eq!(by_name.expires_at, "2026-11-23T21:00:00Z");
    let by_email: LoginResponse = ok(
        portal_login(&app, "JACK@example.com", PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(by_name.token, by_email.token);

    for (login, password) in [
        ("jack", "not the password at all"),
        ("jack@example.com", "not the password at all"),
        ("nobody", PASSWORD),
    ] {
        error(
            portal_login(&app, login, password).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    // The operator's password does not open the portal.
    error(
        portal_login(&app, "admin", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    let account: Account = ok(me(&app, &by_name.token).await, StatusCode::OK).await;
    assert_eq!(
        (account.username.as_str(), account.installations.len()),
        ("jack", 1)
    );
    let resp = app.call(Method::GET, "/api/v1/account", None, None).await;
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    error(resp, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    error(
        me(&app, "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // Logout ends that session only.
    error(
        app.call(Method::POST, "/api/v1/account/logout", None, None)
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    let resp = app
        .call(
            Method::POST,
            "/api/v1/account/logout",
            None,
            Some(&by_name.token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    error(
        me(&app, &by_name.token).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    ok::<Account>(me(&app, &by_email.token).await, StatusCode::OK).await;

    // Sessions last `session_hours` (12) and not a second longer.
    app.clock
        .advance(SignedDuration::from_hours(12) - SignedDuration::from_secs(1));
    ok::<Account>(me(&app, &by_email.token).await, StatusCode::OK).await;
    app.clock.advance(SignedDuration::from_secs(1));
    error(
        me(&app, &by_email.token).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    // Signing in again gives a working session.
    let again = account_login(&app, "jack").await;
    ok::<Account>(me(&app, &again).await, StatusCode::OK).await;
}
