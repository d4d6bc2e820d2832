//! The web pages' stories in a real headless Chromium (see tessera_testkit::browser): what a
//! person does, at a desktop width and at a tablet's 768 px, with an accessibility check of
//! every page and the screenshots shown in docs/.

mod cloud;
mod offline;
mod operator;
mod register;
mod sign_in;
mod sync;
mod users;

use tessera_testkit::browser::Browser;

/// axe-core, vendored (tests/fixtures/README.md).
pub const AXE: &str = include_str!("../fixtures/axe-4.14.1.min.js");

/// Fails on any serious or critical accessibility violation of the page shown.
pub async fn assert_accessible(browser: &Browser, page: &str) {
    let violations = browser.accessibility_violations(AXE).await;
    assert!(
        violations.is_empty(),
        "{page}: accessibility violations:\n{}",
        violations.join("\n")
    );
}

/// The page fits a tablet's 768 px without scrolling sideways (its screenshot `shot`); the
/// window is 1280 px wide again afterwards.
pub async fn fits(browser: &Browser, page: &str, shot: Option<&str>) {
    browser.client.set_window_size(768, 1024).await.unwrap();
    assert!(
        !browser.scrolls_sideways().await,
        "{page} at 768 px scrolls sideways"
    );
    if let Some(name) = shot {
        browser.screenshot(name).await;
    }
    browser.client.set_window_size(1280, 900).await.unwrap();
}
