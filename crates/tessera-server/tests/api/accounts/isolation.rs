//! B4 and access: each account sees only its own sites.

use super::*;

both_backends!(accounts_see_only_their_own_sites,);

async fn accounts_see_only_their_own_sites(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let a = registered(
        &app,
        &registration("jack", "jack@example.com", IT_VATS[0], &keys[0]),
    )
    .await;
    let b = registered(
        &app,
        &registration("bob", "bob@example.com", IT_VATS[1], &keys[1]),
    )
    .await;
    let (a_site, b_site) = (&a.installations[0].site_id, &b.installations[0].site_id);
    let a_token = account_login(&app, "jack").await;
    let b_token = account_login(&app, "bob").await;

    // B's installation runs on a machine.
    ok::<Value>(
        activate(&app, "bob@example.com", &keys[1], &fp('b')).await,
        StatusCode::CREATED,
    )
    .await;

    // To A, B's site does not exist: the same answer as for a made-up id.
    let foreign = error(
        app.call(Method::POST, &deactivate_path(b_site), None, Some(&a_token))
            .await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    let made_up = error(
        app.call(
            Method::POST,
            &deactivate_path("no-such-site"),
            None,
            Some(&a_token),
        )
        .await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    assert_eq!(foreign.message, made_up.message);

    // A's views list A's installation only.
    let a_view: Account = ok(me(&app, &a_token).await, StatusCode::OK).await;
    assert_eq!(a_view.id, a.id);
    let ids: Vec<_> = a_view.installations.iter().map(|s| &s.site_id).collect();
    assert_eq!(ids, [a_site]);
    let a_sites: SiteList = ok(
        app.call(Method::GET, "/api/v1/account/sites", None, Some(&a_token))
            .await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<_> = a_sites.sites.iter().map(|s| &s.site_id).collect();
    assert_eq!(ids, [a_site]);

    // B's site is untouched, and B can release it.
    let b_view: Account = ok(me(&app, &b_token).await, StatusCode::OK).await;
    assert_eq!(b_view.installations.len(), 1);
    assert_eq!(b_view.installations[0].status, "active");
    let released: Site = ok(
        app.call(Method::POST, &deactivate_path(b_site), None, Some(&b_token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (released.site_id.as_str(), released.status.as_str()),
        (b_site.as_str(), "deactivated")
    );
    // A's own site was never activated.
    error(
        app.call(Method::POST, &deactivate_path(a_site), None, Some(&a_token))
            .await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    )
    .await;

    // An account token does not open operator routes ...
    for path in [
        "/api/v1/accounts".to_owned(),
        format!("/api/v1/accounts/{}", b.id),
        "/api/v1/auth/me".to_owned(),
        format!("/api/v1/keys/{}", keys[0]),
    ] {
        error(
            app.call(Method::GET, &path, None, Some(&a_token)).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    // ... and the operator's token does not open the portal.
    error(
        app.get("/api/v1/account").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        app.call(
            Method::GET,
            "/api/v1/account/sites",
            None,
            Some(app.token()),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        app.call(
            Method::POST,
            &deactivate_path(a_site),
            None,
            Some(app.token()),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
}
