//! Validation: states, what is granted, the nonce (D5, D6).

use tessera_api::{RevokeKey, SetExpiry};

use super::*;

both_backends!(validation_states_and_nonce,);

async fn validation_states_and_nonce(app: TestApp) {
    let (keys, site_id) = jack(&app, 3, 0).await;
    let token = account_login(&app, "jack").await;
    let account = add_key(&app, &token, &keys[1]).await;
    let other_site = site_ids(&account)
        .into_iter()
        .find(|s| *s != site_id)
        .unwrap();
    let published = published(&app).await;
    activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(site(&app, &site_id).await.last_validated_at, None);

    // Valid: the grant, the installations, the nonce.
    let n = nonce();
    let (v, doc) = checked(&app, &published, &site_id, &fp('a'), &n).await;
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(v.nonce, n);
    assert_eq!(v.server_time, start_time());
    let grant = v.grant.clone().expect("a valid license has a grant");
    assert_eq!(
        (grant.product.as_str(), grant.edition.as_str()),
        ("crm", "std")
    );
    assert_eq!(grant.modules, vec!["mail".to_owned()]);
    assert_eq!(grant.user_count, Some(10));
    assert_eq!(grant.expires_at, None);
    assert_eq!(grant.grace_days, 10);
    assert_eq!(grant.next_check_deadline, v.server_time + GRACE);
    let mut listed: Vec<(String, SiteStatus)> = v
        .installations
        .iter()
        .map(|i| (i.site_id.clone(), i.status))
        .collect();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![
        (site_id.clone(), SiteStatus::Active),
        (other_site.clone(), SiteStatus::Registered),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(listed, expected);
    for i in &v.installations {
        assert_eq!((i.product.as_str(), i.edition.as_str()), ("crm", "std"));
    }

    // The time of the last successful check reaches the database in batches.
    let started = Instant::now();
    let last = loop {
        let s = site(&app, &site_id).await;
        if let Some(t) = s.last_validated_at {
            break t;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "last_validated_at not recorded after 3 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(last.parse::<Timestamp>().unwrap(), start_time());

    // A key added to the account shows in the next validation's list (the cache follows).
    let account = add_key(&app, &token, &keys[2]).await;
    assert_eq!(site_ids(&account).len(), 3);
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.installations.len(), 3);

    // The shortest and the longest nonce.
    for n in ["0f".repeat(16), "A0".repeat(64)] {
        let (v, _) = checked(&app, &published, &site_id, &fp('a'), &n.to_lowercase()).await;
        assert_eq!(v.state, LicenseState::Valid);
    }

    // A validation response is not a license; a response for one nonce is not one for another.
    assert!(matches!(
        license::open::<License>(&doc, DocumentKind::License, trust(&published)),
        Err(VerifyError::WrongKind { .. })
    ));
    let relabelled = SignedDocument {
        kind: "tessera-license/v1".into(),
        ..doc.clone()
    };
    assert_eq!(
        license::open::<License>(&relabelled, DocumentKind::License, trust(&published)),
        Err(VerifyError::BadSignature)
    );
    let other_nonce = nonce();
    let (v2, doc2) = checked(&app, &published, &site_id, &fp('a'), &other_nonce).await;
    assert_ne!(
        v.nonce, other_nonce,
        "the recorded response does not carry the new nonce"
    );
    assert_eq!(v2.nonce, other_nonce);
    assert_ne!(doc.signature, doc2.signature);
    // A client's nonce in upper case comes back as the documented lower-case hex.
    let upper = nonce().to_uppercase();
    let doc: SignedDocument = ok(
        validate(&app, &site_id, &fp('a'), &upper).await,
        StatusCode::OK,
    )
    .await;
    let v: Validation = license::open(&doc, DocumentKind::Validation, trust(&published)).unwrap();
    assert_eq!(v.nonce, upper.to_lowercase());

    // Another machine learns only that it is not the bound one.
    let (v, _) = checked(&app, &published, &site_id, &fp('b'), &nonce()).await;
    assert_eq!(v.state, LicenseState::FingerprintMismatch);
    assert_eq!(v.grant, None);
    assert!(v.installations.is_empty());

    // No such installation; one never activated.
    let unknown = "0123456789abcdef0123456789abcdef";
    let (v, _) = checked(&app, &published, unknown, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::UnknownSite);
    assert_eq!(v.grant, None);
    assert!(v.installations.is_empty());
    let (v, _) = checked(&app, &published, &other_site, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::NotActivated);
    assert!(v.installations.is_empty());

    // Suspended, resumed.
    let operator = app.api();
    let s = operator.suspend_site(&site_id).await.unwrap();
    assert_eq!(s.status, "suspended");
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Suspended);
    assert_eq!(v.grant, None);
    error(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CONFLICT,
        "SITE_SUSPENDED",
    )
    .await;
    let s = operator.resume_site(&site_id).await.unwrap();
    assert_eq!(s.status, "active");
    assert_eq!(
        state(&app, &published, &site_id, &fp('a')).await,
        LicenseState::Valid
    );

    // Expired, then without expiry again.
    let set_expiry = async |at: Option<&str>| {
        let expiry = SetExpiry {
            expires_at: at.map(str::to_owned),
        };
        operator.set_site_expiry(&site_id, &expiry).await
    };
    let s = set_expiry(Some("2026-11-01T00:00:00Z")).await.unwrap();
    assert_eq!(
        s.expires_at.map(|t| t.parse::<Timestamp>().unwrap()),
        Some("2026-11-01T00:00:00Z".parse().unwrap())
    );
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Expired);
    assert_eq!(v.grant, None);
    refused(
        set_expiry(Some("next tuesday")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_TIMESTAMP",
    );
    let s = set_expiry(None).await.unwrap();
    assert_eq!(s.expires_at, None);
    assert_eq!(
        state(&app, &published, &site_id, &fp('a')).await,
        LicenseState::Valid
    );
    // An expiry in the future is granted as such.
    set_expiry(Some("2027-06-30T00:00:00Z")).await.unwrap();
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Valid);
    assert_eq!(
        v.grant.unwrap().expires_at,
        Some("2027-06-30T00:00:00Z".parse().unwrap())
    );

    // Revoked key.
    let chargeback = RevokeKey {
        reason: "chargeback".into(),
    };
    operator.revoke_key(&keys[0], &chargeback).await.unwrap();
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::Revoked);
    assert_eq!(v.grant, None);
    error(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    )
    .await;

    // Deactivated.
    operator.deactivate_site(&site_id).await.unwrap();
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.state, LicenseState::NotActivated);
    assert!(v.installations.is_empty());

    // Malformed requests.
    for bad in [
        "0f".repeat(15),
        format!("{}0", "0f".repeat(16)),
        "zz".repeat(16),
        "0f".repeat(65),
        String::new(),
    ] {
        let e = error(
            validate(&app, &site_id, &fp('a'), &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "NONCE_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("nonce"), "{bad}");
    }
    for bad in ["", "../../etc/passwd", "site id", &"a".repeat(65)] {
        let e = error(
            validate(&app, bad, &fp('a'), &nonce()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "SITE_ID_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("site_id"), "{bad}");
    }
    error(
        validate(&app, &site_id, "machine-serial-12345", &nonce()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "FINGERPRINT_INVALID",
    )
    .await;
}
