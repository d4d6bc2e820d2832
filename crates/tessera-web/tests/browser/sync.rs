//! The sync conflicts page in a real browser (G3): two sites' first syncs brought two
//! drivers with one iButton; the superadmin opens the conflicts from the menu, reads both
//! records side by side (also at a tablet's width) and keeps the site's.

use tessera_testkit::browser::Browser;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::sync::identifier_conflict;
use tessera_testkit::{Backend, spawn_app};

use crate::assert_accessible;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_superadmin_settles_a_first_sync_conflict() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, tessera_testkit::cloud::billing)
        .await
        .unwrap();
    let world = identifier_conflict(&app).await;
    let base = &app.base;
    browser.goto(&format!("{base}/sign-in")).await;
    browser.fill("#login", "ib50").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("Sync conflicts").await;
    browser.click("a[href='/sync/conflicts']").await;
    browser
        .wait_for_text("ibutton IB-7 is in two records")
        .await;
    assert_accessible(&browser, "the sync conflicts").await;
    browser.screenshot("sync-conflict").await;
    browser.client.set_window_size(768, 1024).await.unwrap();
    assert!(
        !browser.scrolls_sideways().await,
        "768 px: nothing scrolls sideways"
    );
    browser.client.set_window_size(1280, 900).await.unwrap();

    browser.click("button.keep-site").await;
    browser.wait_for_text("The conflict is settled").await;
    assert!(
        browser
            .text()
            .await
            .contains("There are no conflicts to settle.")
    );
    let portal = app.api_as(Some(&world.token));
    assert!(
        portal
            .sync_conflicts(false)
            .await
            .unwrap()
            .conflicts
            .is_empty()
    );
    let settled = portal.sync_conflicts(true).await.unwrap().conflicts;
    assert_eq!(settled[0].resolution.as_deref(), Some("site"));

    // A user the site's software marks "web user" (H2): invited by mail, it sets its
    // password in the browser and signs in as the site's user.
    let jack = tessera_api::PushChange {
        collection: "users".into(),
        id: "u-jack".into(),
        base_version: 0,
        data: Some(serde_json::json!({"nickname": "jack", "web_user": true,
                                      "email": "jack@ib50.example"})),
        deleted: false,
    };
    tessera_testkit::sync::first_sync(&app, &world.cloud[0], "web-user", vec![jack]).await;
    let invited = tessera_testkit::sync::invitations_to(&app, "jack@ib50.example").await;
    let code = tessera_testkit::sync::invitation_code(&invited[0].body);
    let (_, site_code) = tessera_testkit::cloud::mailed_codes(&app, "rep0@ib50.example").await;
    browser.goto(&format!("{base}/invitation")).await;
    browser.wait_for_text("Invitation code").await;
    assert_accessible(&browser, "the invitation").await;
    browser.fill("#code", &code).await;
    browser.fill("#password", PASSWORD).await;
    browser.fill("#password_confirm", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("The password of jack is set").await;
    browser.goto(&format!("{base}/sign-in?tab=site")).await;
    browser.wait_for_element("#site_code").await;
    browser.fill("#login", "jack").await;
    browser.fill("#site_code", &site_code).await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser
        .wait_for_text(&format!("jack · {}", world.sites[0]))
        .await;
    assert_eq!(browser.path().await, "/sites");
    browser.close().await;
}
