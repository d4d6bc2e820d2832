//! Rate limits on the client routes.

use super::*;

both_backends!(
    rate_limits_answer_429 with rate_limited,
);

fn retry_after(resp: &Response) -> u64 {
    resp.headers()
        .get("retry-after")
        .expect("429 carries Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn throttled(resp: Response) {
    let wait = retry_after(&resp);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    error(resp, StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS").await;
}

fn rate_limited(config: &mut Config) {
    config.rate_limits = RateLimits {
        activations_per_key: 3,
        validations_per_site: 3,
        key_lookups_per_ip: 5,
        ..RateLimits::off()
    };
}

async fn rate_limits_answer_429(app: TestApp) {
    let keys = product_with_keys(&app, "crm", 3, 0).await;
    let account = register(&app, "jack", EMAIL, IT_VATS[0], &keys[0]).await; // lookup 1 of 5
    let site_id = site_ids(&account).remove(0);

    // Activations naming one key: 3 a minute, however the key is typed.
    activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    for _ in 0..2 {
        activated(
            activate(&app, EMAIL, &keys[0], &fp('a')).await,
            StatusCode::OK,
        )
        .await;
    }
    throttled(activate(&app, EMAIL, &keys[0], &fp('a')).await).await;
    let retyped = keys[0].replace('-', "").to_lowercase();
    throttled(activate(&app, EMAIL, &retyped, &fp('a')).await).await;
    // Another key has its own allowance.
    error(
        activate(&app, EMAIL, &keys[1], &fp('a')).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    )
    .await;
    assert_eq!(site(&app, &site_id).await.fingerprint, Some(fp('a')));

    // Validations of one site: 3 a minute.
    for _ in 0..3 {
        ok::<SignedDocument>(
            validate(&app, &site_id, &fp('a'), &nonce()).await,
            StatusCode::OK,
        )
        .await;
    }
    throttled(validate(&app, &site_id, &fp('a'), &nonce()).await).await;
    ok::<SignedDocument>(
        validate(&app, "0123456789abcdef0123456789abcdef", &fp('a'), &nonce()).await,
        StatusCode::OK,
    )
    .await;

    // Registrations (key lookups) from one IP: 5 a minute, refused ones included.
    for i in 0..4 {
        let resp = app
            .call(
                Method::POST,
                "/api/v1/accounts",
                Some(&crate::fixtures::registration_json(
                    &format!("user{i}"),
                    &format!("user{i}@example.com"),
                    IT_VATS[1],
                    &keys[0], // already registered: refused
                )),
                None,
            )
            .await;
        assert_ne!(
            resp.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "attempt {}",
            i + 2
        );
        assert_ne!(resp.status(), StatusCode::CREATED);
    }
    throttled(
        app.call(
            Method::POST,
            "/api/v1/accounts",
            Some(&crate::fixtures::registration_json(
                "anna",
                "anna@example.com",
                IT_VATS[1],
                &keys[2],
            )),
            None,
        )
        .await,
    )
    .await;
    // The throttled registration stored nothing: the key is still only issued.
    let info: Value = ok(
        app.get(&format!("/api/v1/keys/{}", keys[2])).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(info["status"], "issued");
    app.stop().await;
}
