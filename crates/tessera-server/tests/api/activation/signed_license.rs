//! The happy path and the signed license (C1, C3).

use super::*;

both_backends!(activation_returns_a_license_that_verifies,);

async fn activation_returns_a_license_that_verifies(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let before = site(&app, &site_id).await;
    assert_eq!(
        (before.status.as_str(), before.fingerprint.as_deref()),
        ("registered", None)
    );

    // The email, key and fingerprint in other spellings name the same account, key, machine.
    let typed_key = format!(" {} ", keys[0].to_lowercase());
    let resp = activated(
        activate(
            &app,
            " Jack@Example.COM ",
            &typed_key,
            &fp('a').to_uppercase(),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(resp.activation, "activated");
    assert_eq!(resp.site_id, site_id);
    assert!(
        resp.site_token.len() >= 32,
        "a site token: {}",
        resp.site_token
    );
    assert!(resp.site_data_required);

    let keys_published = published(&app).await;
    assert_eq!(keys_published.len(), 1);
    assert!(keys_published[0].active);
    assert_eq!(resp.license.key_id, keys_published[0].key_id);
    let lic = open_license(&resp.license, &keys_published);
    assert_eq!(lic.site_id, site_id);
    assert_eq!(lic.licensee, "Rossi Trasporti S.r.l.");
    assert_eq!(
        (lic.product.as_str(), lic.product_name.as_str()),
        ("crm", "CRM")
    );
    assert_eq!(
        (lic.edition.as_str(), lic.edition_name.as_str()),
        ("std", "Standard")
    );
    assert_eq!(lic.size, "s10");
    assert_eq!(lic.limits, [("users".to_owned(), 10)].into_iter().collect());
    assert_eq!(lic.modules, vec!["mail".to_owned()]);
    assert_eq!(lic.user_count, Some(10));
    assert_eq!(lic.expires_at, None);
    assert_eq!(lic.fingerprint, fp('a'), "stored lower case");
    assert_eq!(lic.issued_at, start_time());
    assert_eq!(lic.grace_days, 10);
    assert_eq!(lic.check_deadline, lic.issued_at + GRACE);
    assert_eq!(lic.key_id, resp.license.key_id);

    let after = site(&app, &site_id).await;
    assert_eq!(after.status, "active");
    assert_eq!(after.fingerprint.as_deref(), Some(fp('a').as_str()));
    assert_eq!(after.key_status, "activated");
    assert_eq!(after.transfers, 0);
    assert!(after.activated_at.is_some());

    // One flipped bit of the payload: the signature no longer matches.
    let mut payload = B64.decode(&resp.license.payload).unwrap();
    payload[10] ^= 0x01;
    let tampered = SignedDocument {
        payload: B64.encode(&payload),
        ..resp.license.clone()
    };
    assert_eq!(
        license::open::<License>(&tampered, DocumentKind::License, trust(&keys_published)),
        Err(VerifyError::BadSignature)
    );
    // One flipped bit of the signature.
    let mut signature = B64.decode(&resp.license.signature).unwrap();
    assert_eq!(signature.len(), 64);
    signature[5] ^= 0x80;
    let tampered = SignedDocument {
        signature: B64.encode(&signature),
        ..resp.license.clone()
    };
    assert!(
        license::open::<License>(&tampered, DocumentKind::License, trust(&keys_published)).is_err()
    );
    // A license is not a validation response, even relabelled.
    assert!(matches!(
        license::open::<Validation>(
            &resp.license,
            DocumentKind::Validation,
            trust(&keys_published)
        ),
        Err(VerifyError::WrongKind { .. })
    ));
    let relabelled = SignedDocument {
        kind: "tessera-validation/v2".into(),
        ..resp.license.clone()
    };
    assert_eq!(
        license::open::<Validation>(
            &relabelled,
            DocumentKind::Validation,
            trust(&keys_published)
        ),
        Err(VerifyError::BadSignature)
    );
    // A key the verifier does not know.
    assert_eq!(
        license::open::<License>(&resp.license, DocumentKind::License, |_| None),
        Err(VerifyError::UnknownKey(resp.license.key_id.clone()))
    );
}
