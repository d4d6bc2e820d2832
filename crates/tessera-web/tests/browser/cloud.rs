//! Seed 000's cloud story in a real browser: the account signs in on the cloud set-up page,
//! starts the free trial through the wizard, enables two sites, orders the service and
//! reads the summary; the codes arrive at the first site's email, and its user signs in
//! with that site code and sees that one site only. Every page passes the accessibility
//! check and fits a tablet.

use jiff::SignedDuration;
use tessera_api::NewSiteUser;
use tessera_testkit::browser::Browser;
use tessera_testkit::cloud::{billing, customer};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, TestApp, spawn_app, until};

use crate::{assert_accessible, fits};

/// The site code in the codes mail the sink received for `to` (after the mail job ran).
async fn site_code(app: &TestApp, to: &str) -> String {
    app.clock.advance(SignedDuration::from_secs(11));
    app.run_jobs().await;
    let text = until(&format!("mail to {to}"), async || {
        app.smtp
            .received()
            .into_iter()
            .find(|m| m.to.iter().any(|t| t == to))
            .map(|m| m.text())
    })
    .await;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Site code:"))
        .unwrap_or_else(|| panic!("no site code in {text}"))
        .trim()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_tries_the_cloud_enables_two_sites_and_a_site_user_signs_in_with_the_code() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, billing).await.unwrap();
    let (token, sites) = customer(&app, 3).await;
    // The superadmin gives the first site its user (site users are the superadmin's).
    let admin = NewSiteUser {
        username: "admin".into(),
        password: PASSWORD.into(),
        groups: vec![],
    };
    app.api_as(Some(&token))
        .create_site_user(&sites[0], &admin)
        .await
        .unwrap();
    let base = &app.base;

    // Signing in leads back to the set-up page.
    browser.goto(&format!("{base}/cloud")).await;
    browser.wait_for_text("Username or email").await;
    browser.fill("#login", "ib50").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("Set up your cloud").await;
    assert_eq!(browser.path().await, "/cloud");
    let text = browser.text().await;
    assert!(text.contains("Available sites: 3") && text.contains("Active sites: 0"));
    assert!(
        text.contains("Professional · 10 vehicles"),
        "the empty groups"
    );
    assert_accessible(&browser, "cloud").await;
    fits(&browser, "cloud", None).await;
    browser.screenshot("cloud").await;

    // The trial: choose (the registry shown), summary at 0.00, confirmation.
    browser.click("a[href='/cloud/trial']").await;
    browser.wait_for_text("Try the cloud free").await;
    assert!(browser.text().await.contains("Rossi Trasporti S.r.l."));
    assert_accessible(&browser, "trial").await;
    browser.click("input[name='terms']").await;
    browser.click("form.wizard button.primary").await;
    browser.wait_for_text("Your free trial: summary").await;
    assert!(browser.text().await.contains("0.00 EUR"));
    assert_accessible(&browser, "trial summary").await;
    fits(&browser, "trial summary", None).await;
    browser.screenshot("trial-summary").await;
    browser.click("#start-trial").await;
    browser.wait_for_text("Your trial has started").await;
    assert_accessible(&browser, "trial started").await;
    browser.click("a.button.primary[href='/cloud']").await;

    // Two sites enabled, "select all" of the group tried first.
    browser.wait_for_text("Set up your cloud").await;
    browser
        .click("input[data-select-all='group-std-s10']")
        .await;
    let ticked = browser
        .eval(
            "return document.querySelectorAll('input[name=sites]:checked').length;",
            vec![],
        )
        .await;
    assert_eq!(ticked, 3, "select all ticks the group");
    browser.click(&format!("input[value='{}']", sites[2])).await;
    browser.click("#enable-button").await;
    browser.wait_for_text("2 sites are enabled").await;
    assert!(browser.text().await.contains("Active sites: 2"));
    assert_accessible(&browser, "cloud, two sites enabled").await;
    fits(&browser, "cloud, two sites enabled", Some("cloud-768")).await;

    // Ordering: the invoicing data prefilled, the summary with VAT.
    browser.goto(&format!("{base}/cloud/buy")).await;
    browser.wait_for_text("Buy the cloud service").await;
    assert_accessible(&browser, "buy").await;
    fits(&browser, "buy", Some("cloud-buy-768")).await;
    browser.fill("#sites", "2").await;
    browser.click("input[name='terms']").await;
    browser.click("#place-order").await;
    browser.wait_for_text("awaiting payment").await;
    let text = browser.text().await;
    assert!(
        text.contains("600.00 EUR") && text.contains("732.00 EUR"),
        "{text}"
    );
    assert_accessible(&browser, "order summary").await;
    fits(&browser, "order summary", None).await;
    browser.screenshot("order-summary").await;

    // The test provider pays; the invoice is there to print.
    browser.click("#pay").await;
    browser.wait_for_text("no money moves").await;
    assert_accessible(&browser, "test payment").await;
    browser.click("#test-pay").await;
    browser.wait_for_text("the payment is confirmed").await;
    browser.click("#invoice-link").await;
    browser.wait_for_text("Bill to").await;
    assert_accessible(&browser, "invoice").await;
    fits(&browser, "invoice", None).await;

    // The first site's codes came by mail; its user signs in with the site code.
    let code = site_code(&app, "rep0@ib50.example").await;
    browser.click("form[action='/sign-out'] button").await;
    browser.wait_for_text("Username or email").await;
    browser.goto(&format!("{base}/sign-in?tab=site")).await;
    browser.wait_for_text("Site code").await;
    browser.fill("#login", "admin").await;
    browser.fill("#site_code", &code).await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("All sites").await;
    let text = browser.text().await;
    assert!(text.contains(sites[0].as_str()), "its own site");
    assert!(
        !text.contains(sites[1].as_str()) && !text.contains(sites[2].as_str()),
        "no other site"
    );
    assert!(!text.contains("Invoices"), "no account-wide menu");
    assert_accessible(&browser, "sites of a site user").await;
    browser.close().await;
}
