//! Bad input: refused, nothing stored.

use tessera_api::RevokeKey;

use super::*;

both_backends!(bad_activations_store_nothing,);

async fn bad_activations_store_nothing(app: TestApp) {
    let keys = product_with_keys(&app, "crm", 3, 0).await;
    let jack = register(&app, "jack", EMAIL, IT_VATS[0], &keys[0]).await;
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[1], &keys[1]).await;
    let jack_site = site_ids(&jack).remove(0);
    let anna_site = site_ids(&anna).remove(0);
    let unregistered = &keys[2];

    let mut invalid: Vec<ErrorBody> = Vec::new();
    // Another account's key.
    invalid.push(
        error(
            activate(&app, EMAIL, &keys[1], &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    invalid.push(
        error(
            activate_vat(&app, &format!("IT{}", IT_VATS[0]), &keys[1], &fp('a'), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // No such account.
    invalid.push(
        error(
            activate(&app, "nobody@example.com", &keys[0], &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    invalid.push(
        error(
            activate_vat(&app, &format!("IT{}", IT_VATS[2]), &keys[0], &fp('a'), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // Issued but never registered.
    invalid.push(
        error(
            activate(&app, EMAIL, unregistered, &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // Revoked.
    let refunded = RevokeKey {
        reason: "refunded".into(),
    };
    app.api().revoke_key(&keys[1], &refunded).await.unwrap();
    invalid.push(
        error(
            activate(&app, "anna@example.com", &keys[1], &fp('a')).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await,
    );
    // All the same answer: a caller learns nothing about which keys or accounts exist.
    for e in &invalid {
        assert_eq!(e.field.as_deref(), Some("product_key"));
        assert_eq!(e.message, invalid[0].message);
    }

    for bad in [
        "a".repeat(63),
        "a".repeat(65),
        format!("{}g", "a".repeat(63)),
        "machine-serial-12345".to_owned(),
        "00:1A:2B:3C:4D:5E".to_owned(),
        String::new(),
    ] {
        let e = error(
            activate(&app, EMAIL, &keys[0], &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "FINGERPRINT_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("fingerprint"), "{bad}");
    }

    let neither = ActivationRequest {
        email: None,
        vat_number: None,
        product_key: keys[0].clone(),
        fingerprint: fp('a'),
        installation: None,
    };
    let both = ActivationRequest {
        email: Some(EMAIL.into()),
        vat_number: Some(format!("IT{}", IT_VATS[0])),
        ..neither.clone()
    };
    for body in [both, neither] {
        refused(
            app.api_as(None).activate(&body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ACCOUNT_REF_REQUIRED",
        );
    }

    for vat in ["IT00743110158", "IT123", "IT0074311015X"] {
        let e = error(
            activate_vat(&app, vat, &keys[0], &fp('a'), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VAT_NUMBER_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("vat_number"), "{vat}");
    }

    // A mistyped key is refused before any lookup.
    let mut mistyped: Vec<char> = keys[0].chars().collect();
    let last = mistyped.len() - 1;
    mistyped[last] = if mistyped[last] == '2' { '3' } else { '2' };
    let mistyped: String = mistyped.into_iter().collect();
    let e: ErrorBody = {
        let resp = activate(&app, EMAIL, &mistyped, &fp('a')).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        resp.json().await.unwrap()
    };
    assert!(e.code.starts_with("KEY_"), "{e:?}");
    assert_eq!(e.field.as_deref(), Some("product_key"));

    // Not JSON; far too large.
    let resp = app
        .http
        .post(format!("{}/api/v1/activations", app.base))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    error(resp, StatusCode::BAD_REQUEST, "MALFORMED_JSON").await;
    let huge = ActivationRequest {
        email: Some("x".repeat(300 * 1024)),
        vat_number: None,
        product_key: keys[0].clone(),
        fingerprint: fp('a'),
        installation: None,
    };
    refused(
        app.api_as(None).activate(&huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
    );

    for (id, key) in [(&jack_site, "registered"), (&anna_site, "revoked")] {
        let s = site(&app, id).await;
        assert_eq!(s.status, "registered");
        assert_eq!(s.fingerprint, None);
        assert_eq!(s.activated_at, None);
        assert_eq!(s.transfers, 0);
        assert_eq!(s.key_status, key);
    }
    let info = app.api().key(unregistered).await.unwrap();
    assert_eq!(info.status, "issued");
}
