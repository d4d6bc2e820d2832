//! Seed 000's "change of identification data": the account changes a site's name and
//! address data after registration; the label follows, the change is logged, and another
//! account's site is not found.

use tessera_api::SiteData;

use super::*;

both_backends!(the_account_changes_a_sites_identification_data,);

fn identification(branch: &str) -> SiteData {
    SiteData {
        company: "Rossi Trasporti".into(),
        branch: Some(branch.into()),
        address: "Eagle Rock Ave 12".into(),
        zip: "07052".into(),
        locality: "New Jersey".into(),
        province: "NJ".into(),
        nation: "us".into(),
        representative_name: "Bill".into(),
        representative_surname: "Foster".into(),
        representative_email: "BillFoster@example.com".into(),
    }
}

async fn the_account_changes_a_sites_identification_data(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let jack = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    register(&app, "bob", "bob@example.com", IT_VATS[1], &keys[1]).await;
    let site = jack.installations[0].site_id.clone();
    let portal = app.api_as(Some(&account_login(&app, "jack").await));

    let changed = portal
        .change_site_data(&site, &identification("Site 1"))
        .await
        .unwrap();
    assert_eq!(changed.label, "Rossi Trasporti — Site 1, New Jersey");
    let data = changed.data.expect("the data is shown");
    assert_eq!(
        (data.nation.as_str(), data.representative_email.as_str()),
        ("US", "billfoster@example.com")
    );
    let mine = portal.own_account().await.unwrap();
    assert_eq!(mine.installations[0].label, changed.label);

    // Bad input names its field and changes nothing.
    let mut bad = identification("Site 2");
    bad.representative_email = "bill".into();
    let e = refused(
        portal.change_site_data(&site, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EMAIL_INVALID",
    );
    assert_eq!(e.field.as_deref(), Some("representative_email"));
    let mut bad = identification("Site 2");
    bad.zip = " ".into();
    let e = refused(
        portal.change_site_data(&site, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "FIELD_REQUIRED",
    );
    assert_eq!(e.field.as_deref(), Some("zip"));
    assert_eq!(
        portal.own_account().await.unwrap().installations[0].label,
        changed.label
    );

    // Another account's site is not found, and stays as it was.
    let bob = app.api_as(Some(&account_login(&app, "bob").await));
    refused(
        bob.change_site_data(&site, &identification("Taken over"))
            .await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    refused(
        app.api_as(None)
            .change_site_data(&site, &identification("Anyone"))
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    let seen = app.api().site(&site).await.unwrap();
    assert_eq!(seen.label, changed.label);

    // The operations log keeps who changed it, and who tried.
    let page = app
        .api()
        .operations(&format!("?site_id={site}"))
        .await
        .unwrap();
    let changes: Vec<(String, String)> = page
        .operations
        .iter()
        .filter(|o| o.operation == "PUT /api/v1/account/sites/{site_id}/data")
        .map(|o| (o.actor.clone(), o.outcome.clone()))
        .collect();
    assert!(
        changes.contains(&("account:jack".to_owned(), "ok".to_owned())),
        "{changes:?}"
    );
    assert!(
        changes.contains(&("account:bob".to_owned(), "refused".to_owned())),
        "{changes:?}"
    );
}
