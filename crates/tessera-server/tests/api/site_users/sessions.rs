//! Removing a site user ends its session; so does its own logout.

use super::*;

pub(super) async fn removal_and_logout_end_sessions(
    app: &TestApp,
    story: &Story,
    signed_in: &SignedIn,
) {
    let s1 = story.sites[1].as_str();
    // Removing a site user ends its session; so does its own logout.
    app.api_as(Some(&story.admin))
        .delete_site_user(s1, story.second.id)
        .await
        .unwrap();
    refused(
        app.api_as(Some(&signed_in.at1)).portal_ui().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    let at0 = app.api_as(Some(&signed_in.at0));
    at0.account_logout().await.unwrap();
    refused(
        at0.portal_ui().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
