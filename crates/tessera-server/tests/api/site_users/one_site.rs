//! A site user sees its one site, with the rights of its groups: the tabs and actions they
//! open, the site's services; the other site is not found, the technician's right not held.

use tessera_api::SiteTechnicalData;

use super::*;

pub(super) async fn one_site_with_the_groups_rights(
    app: &TestApp,
    story: &Story,
    signed_in: &SignedIn,
) {
    let (s0, s1) = (story.sites[0].as_str(), story.sites[1].as_str());
    let site_user = app.api_as(Some(&signed_in.at0));
    // One site, with the group's rights.
    let view = site_user.portal_ui().await.unwrap();
    assert_eq!(
        (
            view.superadmin,
            view.site_id.as_deref(),
            view.tabs.clone(),
            view.actions.clone()
        ),
        (
            false,
            Some(s0),
            ["sites", "services", "operations"]
                .map(str::to_owned)
                .to_vec(),
            vec!["services.switch".to_owned()]
        )
    );
    let listed = site_user.own_sites().await.unwrap();
    let seen: Vec<_> = listed.sites.iter().map(|s| s.site_id.as_str()).collect();
    assert_eq!(seen, [s0]);
    let key = &listed.sites[0].product_key;
    assert!(
        key.starts_with("****-****-****-") && story.keys[0].ends_with(&key[15..]),
        "{key}"
    );
    switch_on(app, &signed_in.at0, s0).await.unwrap();
    refused(
        site_user.site_services(s1).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    refused(
        site_user.own_technical(s1).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    refused(
        switch_on(app, &signed_in.at0, s1).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    let no_equipment = SiteTechnicalData {
        technician: None,
        evse_ids: vec![],
    };
    let e = refused(
        site_user.set_own_technical(s0, &no_equipment).await,
        StatusCode::FORBIDDEN,
        "RIGHT_REQUIRED",
    );
    assert_eq!(e.field.as_deref(), Some("sites.technical.edit"));
}
