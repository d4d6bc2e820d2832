//! The same machine again; site data (C1).

use super::*;

both_backends!(same_machine_again_and_site_data,);

async fn same_machine_again_and_site_data(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let published = published(&app).await;
    let first = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;

    app.clock.advance(SignedDuration::from_mins(90));
    let again = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.activation, "again");
    assert_eq!(again.site_id, site_id);
    assert_ne!(again.site_token, first.site_token, "a new site token");
    assert_ne!(again.license, first.license, "a new license");
    let lic = open_license(&again.license, &published);
    assert_eq!(lic.issued_at, start_time() + SignedDuration::from_mins(90));
    assert_eq!(lic.check_deadline, lic.issued_at + GRACE);
    assert_eq!(lic.fingerprint, fp('a'));
    let s = site(&app, &site_id).await;
    assert_eq!(
        (s.status.as_str(), s.fingerprint.as_deref(), s.transfers),
        ("active", Some(fp('a').as_str()), 0)
    );
    assert_eq!(
        s.activated_at
            .as_deref()
            .map(|t| t.parse::<Timestamp>().unwrap()),
        Some(start_time()),
        "activating again keeps the first activation time"
    );

    // The old token is gone, the new one works.
    refused(
        put_site_data(&app, &first.site_token, &site_data()).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    refused(
        app.api_as(None).put_site_data(&site_data()).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    // An operator's token is not a site token.
    refused(
        put_site_data(&app, app.token(), &site_data()).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );

    let mut bad = site_data();
    bad.representative_email = "jack.white@".into();
    let e = refused(
        put_site_data(&app, &again.site_token, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EMAIL_INVALID",
    );
    assert_eq!(e.field.as_deref(), Some("representative_email"));
    assert!(site(&app, &site_id).await.data.is_none(), "nothing stored");

    let updated: Site = put_site_data(&app, &again.site_token, &site_data())
        .await
        .unwrap();
    assert_eq!(updated.label, "Rossi Trasporti S.r.l. — Depot Nord, Milano");
    let data = updated.data.expect("site data stored");
    assert_eq!(data.branch.as_deref(), Some("Depot Nord"));
    assert_eq!(data.representative_email, "jack.white@example.com");
    assert_eq!(site(&app, &site_id).await.label, updated.label);

    // Without a branch: "Company, Locality".
    let mut no_branch = site_data();
    no_branch.branch = None;
    let updated: Site = put_site_data(&app, &again.site_token, &no_branch)
        .await
        .unwrap();
    assert_eq!(updated.label, "Rossi Trasporti S.r.l., Milano");

    // The validation's installation list carries the new label; the next activation says the
    // data is in.
    let (v, _) = checked(&app, &published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.installations.len(), 1);
    assert_eq!(v.installations[0].label, "Rossi Trasporti S.r.l., Milano");
    let third = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::OK,
    )
    .await;
    assert!(!third.site_data_required);
    assert_eq!(site(&app, &site_id).await.transfers, 0);
}
