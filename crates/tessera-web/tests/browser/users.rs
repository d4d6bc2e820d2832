//! The superadmin gives a new group the log's right with one click on its switch (seed 001's
//! "Rechteverwaltung"), adds a user to the group, disables and enables it with a click each,
//! signs out; the user signs in and reads the operations log the right opens, narrowing it
//! to what was done.

use std::time::{Duration, Instant};

use serde_json::json;
use tessera_api::NewGroup;
use tessera_testkit::browser::Browser;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::{account_login, account_with_sites};
use tessera_testkit::{Backend, spawn_app};

use crate::{assert_accessible, fits};

/// Signs in on the account's tab and waits for the sites.
async fn sign_in(browser: &Browser, base: &str, login: &str) {
    browser.goto(&format!("{base}/sign-in")).await;
    browser.fill("#login", login).await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("All sites").await;
}

/// Waits (up to 10 s) until `script` returns true.
async fn wait_until(browser: &Browser, script: &str, what: &str) {
    let started = Instant::now();
    while browser.eval(script, vec![]).await != json!(true) {
        assert!(started.elapsed() < Duration::from_secs(10), "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_superadmin_gives_a_group_a_right_and_its_new_user_uses_it() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 2).await;
    let base = &app.base;

    sign_in(&browser, base, "ib50").await;
    browser.click("nav a[href='/users']").await;
    browser.wait_for_text("Users and groups").await;
    assert_eq!(browser.path().await, "/users");
    assert_accessible(&browser, "users (none yet)").await;

    browser.fill("#name", "Log readers").await;
    browser.click("form[action='/users/groups'] button").await;
    browser.wait_for_text("The group is created").await;
    let group_page = browser.path().await;
    assert!(group_page.starts_with("/users/groups/"), "{group_page}");

    // One click on the switch: htmx swaps the row, the page stays.
    let switch = "li[data-right='operations.view'] button.switch";
    browser.click(switch).await;
    browser
        .wait_for_text("hold this right from their next click")
        .await;
    let state = browser
        .eval(
            "return document.querySelector(arguments[0]).getAttribute('aria-checked');",
            vec![json!(switch)],
        )
        .await;
    assert_eq!(state, "true");
    assert_eq!(browser.path().await, group_page, "no page was loaded");
    assert_accessible(&browser, "group").await;
    browser.screenshot("group").await;

    // A click refused with no row to show again: another group's page is open while the
    // group is removed elsewhere; its switch answers 404 with an error page, and the reason
    // shows in the row (the page stays) instead of nothing happening.
    let portal = app.api_as(Some(&account_login(&app, "ib50").await));
    let spare = portal
        .create_group(&NewGroup {
            name: "Spare".into(),
            rights: Vec::new(),
        })
        .await
        .unwrap();
    let spare_page = format!("/users/groups/{}", spare.id);
    browser.goto(&format!("{base}{spare_page}")).await;
    browser.wait_for_text("Spare").await;
    portal.delete_group(spare.id).await.unwrap();
    browser.click(switch).await;
    wait_until(
        &browser,
        "return !!document.querySelector(\"li[data-right='operations.view'] [data-request-error]\");",
        "the refusal in the row",
    )
    .await;
    let said = browser
        .eval(
            "return document.querySelector('[data-request-error]').textContent;",
            vec![],
        )
        .await;
    assert_eq!(said, "There is no such group.");
    assert_eq!(browser.path().await, spare_page, "no page was loaded");
    assert_accessible(&browser, "a refused click").await;
    browser.screenshot("refused-click").await;
    fits(&browser, "a refused click", Some("refused-click-768")).await;
    browser.goto(&format!("{base}{group_page}")).await;
    browser.wait_for_text("Log readers").await;

    browser.click("a.back").await;
    browser.wait_for_text("Users and groups").await;
    browser.fill("#username", "lena.log").await;
    browser.fill("#password", PASSWORD).await;
    browser.fill("#password_confirm", PASSWORD).await;
    browser.click("input[name='groups']").await;
    browser
        .click("form[action='/users#users'] button.primary")
        .await;
    browser.wait_for_text("The user is added").await;
    let text = browser.text().await;
    assert!(text.contains("lena.log"), "{text}");
    assert!(
        text.contains("Operations log"),
        "the group's right is listed"
    );
    assert_accessible(&browser, "users").await;
    browser.eval("window.scrollTo(0, 0);", vec![]).await;
    browser.screenshot("users").await;

    // Disabled with one click and enabled again: htmx swaps her row, the page stays.
    let users_page = browser.path().await;
    browser
        .click("li[data-user] button[aria-label='Disable lena.log']")
        .await;
    browser.wait_for_text("The user is disabled").await;
    assert_eq!(browser.path().await, users_page, "no page was loaded");
    assert_accessible(&browser, "users (one disabled)").await;
    browser
        .eval(
            "document.querySelector('li[data-user]').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await;
    browser.screenshot("user-disabled").await;
    browser
        .click("li[data-user] button[aria-label='Enable lena.log']")
        .await;
    browser.wait_for_text("The user is enabled again").await;

    browser.click("form[action='/sign-out'] button").await;
    browser.wait_for_text("Username or email").await;

    // Lena holds her group's right: the log is in her menu; the users are not.
    sign_in(&browser, base, "lena.log").await;
    let menu = browser
        .eval(
            "return [...document.querySelectorAll('nav a')].map(a => a.getAttribute('href'));",
            vec![],
        )
        .await;
    assert_eq!(
        menu,
        json!(["/sites", "/cloud", "/operations", "/downloads"])
    );
    browser.click("nav a[href='/operations']").await;
    browser.wait_for_text("Operations log").await;
    let text = browser.text().await;
    assert!(text.contains("POST /users/groups"), "{text}");
    assert!(text.contains("account:ib50"), "{text}");
    assert_accessible(&browser, "operations").await;
    browser.screenshot("operations").await;

    // Narrowed to what was done as she types: htmx swaps the table, the URL follows.
    browser.fill("#operation", "rights").await;
    wait_until(
        &browser,
        "const rows = [...document.querySelectorAll('tr[data-operation]')]; \
         return rows.length > 0 && rows.every(r => r.textContent.includes('/rights/'));",
        "only the switched right",
    )
    .await;
    assert!(browser.path().await.contains("operation=rights"));
    assert_accessible(&browser, "operations (filtered)").await;

    browser.client.set_window_size(768, 1024).await.unwrap();
    browser.goto(&format!("{base}/operations")).await;
    browser.wait_for_text("Operations log").await;
    assert!(
        !browser.scrolls_sideways().await,
        "768 px: the log scrolls sideways"
    );
    browser.close().await;
}
