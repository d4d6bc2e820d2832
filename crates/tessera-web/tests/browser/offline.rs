//! Activation by file (X1) in a real browser, on SQLite and PostgreSQL: the superadmin of an
//! air-gapped site's account opens "Activation by file" from the menu, chooses the request
//! file the site wrote, answers it and downloads the response file, which holds the licence
//! bound to that request's machine and nonce. At 768 px the page fits the tablet.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use tessera_api::{OfflineRequestKind, OfflineResponseFile};
use tessera_testkit::browser::Browser;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::{
    account_login, account_with_sites, fp, offline_policy, offline_request,
};
use tessera_testkit::{Backend, spawn_app};

use crate::assert_accessible;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_superadmin_uploads_a_request_file_and_downloads_the_response() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let sites = account_with_sites(&app, 2).await;
        offline_policy(&app, "crm", "periodic", Some(90)).await;
        let admin = account_login(&app, "ib50").await;
        let own = app.api_as(Some(&admin)).own_sites().await.unwrap();
        let key = &own
            .sites
            .iter()
            .find(|s| s.site_id == sites[1])
            .unwrap()
            .product_key;
        // The request file the air-gapped site's program wrote.
        let request = offline_request(
            OfflineRequestKind::Activation,
            key,
            "office@ib50.example",
            &fp('b'),
            jiff::Timestamp::now(),
        );
        let dir = tempfile::tempdir().unwrap();
        let request_path = dir.path().join("tessera-request.json");
        std::fs::write(&request_path, request.to_file()).unwrap();

        let base = &app.base;
        browser.goto(&format!("{base}/sign-in")).await;
        browser.fill("#login", "ib50").await;
        browser.fill("#password", PASSWORD).await;
        browser.click("button.primary").await;
        browser.wait_for_text("All sites").await;
        browser.click("nav a[href='/offline']").await;
        browser.wait_for_text("Content of the request file").await;
        assert_eq!(browser.path().await, "/offline");
        assert_accessible(&browser, "activation by file").await;

        // Choosing the file puts its content into the box the form posts.
        browser.choose_file("#offline-file", &request_path).await;
        let started = std::time::Instant::now();
        while browser
            .eval(
                "return document.getElementById('offline-request').value.includes(arguments[0]);",
                vec![json!(request.nonce)],
            )
            .await
            != json!(true)
        {
            assert!(
                started.elapsed().as_secs() < 10,
                "the file never filled the box"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        browser.click("#offline-submit").await;
        browser
            .wait_for_text(&format!(
                "Site {} is activated on the requesting machine.",
                sites[1]
            ))
            .await;
        assert_accessible(&browser, "activation by file, answered").await;
        if backend == Backend::Sqlite {
            browser.screenshot("offline-answered").await;
        }

        // The download link gives the response file: the licence for this machine,
        // answering this request.
        let link = browser
            .eval(
                "return document.getElementById('offline-download').getAttribute('href');",
                vec![],
            )
            .await;
        let (status, text) = browser.fetch_text(link.as_str().unwrap()).await;
        assert_eq!(status, 200, "{text}");
        let response: OfflineResponseFile = serde_json::from_str(&text).unwrap();
        assert_eq!(response.site_id, sites[1]);
        let payload: Value =
            serde_json::from_slice(&B64.decode(&response.license.payload).unwrap()).unwrap();
        assert_eq!(payload["fingerprint"], fp('b'));
        assert_eq!(payload["offline"]["nonce"], request.nonce.as_str());
        assert_eq!(payload["offline"]["policy"], "periodic");
        let site = app.api().site(&sites[1]).await.unwrap();
        assert_eq!(site.fingerprint.as_deref(), Some(fp('b').as_str()));

        browser.click("form[action='/sign-out'] button").await;
        browser.wait_for_text("Username or email").await;
        app.stop().await;
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_fits_a_tablet() {
    let Some(browser) = Browser::start(768, 1024).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let base = &app.base;
    browser.goto(&format!("{base}/sign-in")).await;
    browser.fill("#login", "ib50").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("All sites").await;
    browser.goto(&format!("{base}/offline")).await;
    browser.wait_for_text("Content of the request file").await;
    assert!(
        !browser.scrolls_sideways().await,
        "no sideways scrolling at 768 px"
    );
    assert_accessible(&browser, "activation by file at 768 px").await;
    browser.screenshot("offline-768").await;
    browser.close().await;
}
