//! A site user's operations log holds its own site's entries only, without people's
//! addresses, whatever site it asks for; its refused try on the other site is on that site's
//! record.

use super::*;

pub(super) async fn the_log_shows_the_own_site(app: &TestApp, story: &Story, signed_in: &SignedIn) {
    let (s0, s1) = (story.sites[0].as_str(), story.sites[1].as_str());
    let site_user = app.api_as(Some(&signed_in.at0));
    // The superadmin's activity on the other site is not in this site user's log.
    switch_on(app, &story.admin, s1).await.unwrap();
    // Asking for the other site's entries still gives its own, without people's addresses.
    let log = site_user
        .own_operations(&format!("?site={s1}"))
        .await
        .unwrap();
    assert!(!log.operations.is_empty());
    assert!(
        log.operations
            .iter()
            .all(|o| o.site_id.as_deref() == Some(s0) && o.ip.is_none()),
        "{:?}",
        log.operations
    );
    let csv = site_user
        .get_text(&format!("/api/v1/account/operations/export?site={s1}"))
        .await
        .unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert!(rows.len() >= log.operations.len(), "{csv}");
    assert!(rows.iter().all(|r| r[5] == s0 && r[10].is_empty()), "{csv}");
    assert!(log.operations.iter().any(|o| {
        o.actor == format!("siteuser:admin@{s0}")
            && o.operation.ends_with("/activate")
            && o.outcome == "ok"
    }));
    let everything = app
        .api_as(Some(&story.admin))
        .own_operations(&format!("?site={s1}"))
        .await
        .unwrap();
    assert!(
        everything
            .operations
            .iter()
            .any(|o| o.actor == "account:ib50")
    );
    // The site user's refused try on the other site is on that site's record.
    assert!(
        everything.operations.iter().any(|o| {
            o.actor == format!("siteuser:admin@{s0}")
                && o.operation.ends_with("/activate")
                && o.outcome == "refused"
        }),
        "{:?}",
        everything.operations
    );
}
