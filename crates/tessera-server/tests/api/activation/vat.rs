//! One VAT number, several installations (B4).

use super::*;

both_backends!(vat_number_with_several_installations,);

async fn vat_number_with_several_installations(app: TestApp) {
    let keys = product_with_keys(&app, "crm", 5, 0).await;
    register(&app, "jack", EMAIL, IT_VATS[0], &keys[0]).await;
    let token = account_login(&app, "jack").await;
    add_key(&app, &token, &keys[1]).await;
    let account = add_key(&app, &token, &keys[2]).await;
    let sites = site_ids(&account);
    assert_eq!(sites.len(), 3);
    let vat = format!("IT{}", IT_VATS[0]);

    // Many clients asking at once all get their list: building it never needs a second
    // database connection while the activation's transaction holds one (the pool has 16).
    let app = Arc::new(app);
    let asks: Vec<_> = (0..40)
        .map(|_| {
            let (app, vat, key) = (app.clone(), vat.clone(), keys[0].clone());
            tokio::spawn(async move {
                activate_vat(&app, &vat, &key, &fp('a'), None)
                    .await
                    .status()
            })
        })
        .collect();
    for ask in asks {
        assert_eq!(ask.await.unwrap(), StatusCode::CONFLICT);
    }
    let app = Arc::into_inner(app).expect("every task ended");

    // No installation named: the list to choose from, nothing bound.
    let resp = activate_vat(&app, &vat, &keys[0], &fp('a'), None).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let choice: InstallationChoice = resp.json().await.unwrap();
    assert_eq!(choice.code, "INSTALLATION_CHOICE_REQUIRED");
    assert!(!choice.message.is_empty());
    let listed: Vec<&str> = choice
        .installations
        .iter()
        .map(|i| i.site_id.as_str())
        .collect();
    assert_eq!(listed.len(), 3);
    for s in &sites {
        assert!(listed.contains(&s.as_str()), "{s} listed: {listed:?}");
    }
    for i in &choice.installations {
        assert_eq!(
            (i.product.as_str(), i.edition.as_str(), i.status.as_str()),
            ("crm", "std", "registered")
        );
        assert!(i.label.starts_with("Installation …"), "{}", i.label);
    }
    for s in &sites {
        assert_eq!(site(&app, s).await.status, "registered");
    }

    // Naming one binds that one, whichever of the account's keys proves the request.
    let bound = activated(
        activate_vat(&app, &vat, &keys[0], &fp('a'), Some(&sites[1])).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(bound.site_id, sites[1]);
    assert_eq!(bound.activation, "activated");
    let published = published(&app).await;
    let lic = open_license(&bound.license, &published);
    assert_eq!(
        (lic.site_id.as_str(), lic.fingerprint.as_str()),
        (sites[1].as_str(), fp('a').as_str())
    );
    let s = site(&app, &sites[1]).await;
    assert_eq!(
        (
            s.status.as_str(),
            s.fingerprint.as_deref(),
            s.product_key.as_str()
        ),
        ("active", Some(fp('a').as_str()), keys[1].as_str())
    );
    assert_eq!(site(&app, &sites[0]).await.status, "registered");
    assert_eq!(site(&app, &sites[2]).await.status, "registered");

    // The list shows what changed.
    let resp = activate_vat(&app, &vat, &keys[0], &fp('b'), None).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let choice: InstallationChoice = resp.json().await.unwrap();
    let statuses: Vec<(String, String)> = choice
        .installations
        .into_iter()
        .map(|i| (i.site_id, i.status))
        .collect();
    assert!(
        statuses.contains(&(sites[1].clone(), "active".into())),
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| s.1 == "registered").count(), 2);

    // A site id that is not one of this account's installations.
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[1], &keys[3]).await;
    let anna_site = site_ids(&anna).remove(0);
    for foreign in [
        anna_site.clone(),
        "0123456789abcdef0123456789abcdef".to_owned(),
    ] {
        error(
            activate_vat(&app, &vat, &keys[0], &fp('c'), Some(&foreign)).await,
            StatusCode::NOT_FOUND,
            "INSTALLATION_NOT_FOUND",
        )
        .await;
    }
    assert_eq!(site(&app, &anna_site).await.status, "registered");

    // The VAT number in another spelling names the same account.
    let resp = activate_vat(&app, "it 007 431 101 57", &keys[0], &fp('c'), None).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let bound = activated(
        activate_vat(
            &app,
            "it 007 431 101 57",
            &keys[0],
            &fp('c'),
            Some(&sites[0]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(bound.site_id, sites[0]);
    assert_eq!(site(&app, &sites[0]).await.fingerprint, Some(fp('c')));

    // By email the key names its own installation: no choice.
    let by_email = activated(
        activate(&app, EMAIL, &keys[2], &fp('d')).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(by_email.site_id, sites[2]);

    // An account with one installation activates by VAT number without choosing.
    let single = activated(
        activate_vat(&app, &format!("IT{}", IT_VATS[1]), &keys[3], &fp('e'), None).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(single.site_id, anna_site);
    // Another account's key does not prove jack's VAT number.
    error(
        activate_vat(&app, &vat, &keys[3], &fp('f'), None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    )
    .await;
}
