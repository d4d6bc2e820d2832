//! Another machine: refused, deactivation first, or a transfer (C2).

use super::*;

both_backends!(another_machine_follows_the_transfer_policy,);

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
    put_site_data(&app, &first.site_token, &site_data())
        .await
        .unwrap();

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
    let released = app.api().deactivate_site(&site_id).await.unwrap();
    assert_eq!(
        (released.status.as_str(), released.fingerprint.as_deref()),
        ("deactivated", None)
    );
    refused(
        app.api().deactivate_site(&site_id).await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    );
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
    refused(
        put_site_data(&app, &on_a.site_token, &site_data()).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
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
