//! An account signs in, finds a site in its list as it types, reads the list in German, on
//! a tablet and a phone without anything scrolling sideways, and signs out.

use tessera_testkit::browser::Browser;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::account_with_sites;
use tessera_testkit::{Backend, spawn_app};

use crate::assert_accessible;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_signs_in_and_finds_its_sites() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let sites = account_with_sites(&app, 3).await;
    let base = &app.base;

    // A form refused before its page could show it again (a control character pasted into
    // the code): the error page's "Back to the form" returns to the form with what was typed.
    browser
        .goto(&format!("{base}/password-reset/confirm"))
        .await;
    browser
        .eval(
            "document.getElementById('token').value = 'AB\\u0007CD';",
            vec![],
        )
        .await;
    browser.fill("#password", PASSWORD).await;
    browser.fill("#password_confirm", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("Back to the form").await;
    assert!(browser.text().await.contains("422 CONTROL_CHARACTER"));
    let shown = browser
        .eval(
            "const b = document.querySelector('button[data-history-back]'); \
             return !b.hidden && b.getClientRects().length > 0;",
            vec![],
        )
        .await;
    assert_eq!(shown, serde_json::json!(true), "the way back is shown");
    assert_accessible(&browser, "a form's error page").await;
    browser.screenshot("error-after-form").await;
    crate::fits(
        &browser,
        "a form's error page",
        Some("error-after-form-768"),
    )
    .await;
    browser.click("button[data-history-back]").await;
    let started = std::time::Instant::now();
    while browser
        .eval(
            "return location.pathname === '/password-reset/confirm' \
               && document.getElementById('token').value === 'AB\\u0007CD';",
            vec![],
        )
        .await
        != serde_json::json!(true)
    {
        assert!(
            started.elapsed().as_secs() < 10,
            "never back at the form with what was typed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    browser.goto(&format!("{base}/sites")).await;
    assert_eq!(browser.path().await, "/sign-in?next=/sites");
    browser.wait_for_text("Username or email").await;
    assert_accessible(&browser, "sign-in").await;
    browser.screenshot("sign-in").await;

    browser.fill("#login", "office@ib50.example").await;
    browser.fill("#password", PASSWORD).await;
    // Our script runs under the page's Content-Security-Policy: the toggle shows the password.
    browser.click("input[data-shows-password]").await;
    let shown = browser
        .eval("return document.getElementById('password').type;", vec![])
        .await;
    assert_eq!(shown, "text");
    browser.click("button.primary").await;

    browser.wait_for_text("All sites").await;
    assert_eq!(browser.path().await, "/sites");
    let text = browser.text().await;
    for site in &sites {
        assert!(text.contains(site.as_str()), "{site} not listed");
    }
    assert!(text.contains("3 sites"));
    // uPlot draws both charts from the JSON the server keeps (under the same policy).
    let started = std::time::Instant::now();
    loop {
        let drawn = browser
            .eval(
                "return document.querySelectorAll('figure[data-drawn=\"yes\"] canvas').length;",
                vec![],
            )
            .await;
        if drawn == 2 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the charts were not drawn: {drawn}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_accessible(&browser, "sites").await;
    browser.screenshot("sites").await;

    // htmx (under the same policy) swaps the table in as the reader types.
    browser.fill("#q", &sites[1]).await;
    browser.wait_for_text("One site").await;
    let rows = browser
        .eval(
            "return document.querySelectorAll('tr[data-site]').length;",
            vec![],
        )
        .await;
    assert_eq!(rows, 1);
    assert!(
        browser.path().await.contains(&format!("q={}", sites[1])),
        "the URL follows"
    );

    browser
        .goto(&format!("{base}/language?set=de&next=/sites"))
        .await;
    browser.wait_for_text("Alle Standorte").await;
    assert_accessible(&browser, "sites (de)").await;
    browser
        .goto(&format!("{base}/language?set=it&next=/sites"))
        .await;
    browser.wait_for_text("Tutti gli impianti").await;
    browser
        .goto(&format!("{base}/language?set=en&next=/sites"))
        .await;

    // The first site is released from its machine (X2): asked first, then done.
    browser.goto(&format!("{base}/sites/{}", sites[0])).await;
    browser
        .click("form[action$='/release#licence'] button")
        .await;
    browser.wait_for_text("from its machine?").await;
    assert_accessible(&browser, "the release asked").await;
    browser.screenshot("site-release-asked").await;
    browser
        .click("form[action$='/release#licence'] button.danger")
        .await;
    browser.wait_for_text("Released from its machine").await;
    assert_eq!(
        browser.path().await,
        format!("/sites/{}?done=released", sites[0])
    );
    let card = browser
        .eval(
            "return document.querySelector('#licence').innerText;",
            vec![],
        )
        .await;
    let card = card.as_str().unwrap_or_default();
    assert!(
        card.contains("deactivated") && !card.contains("Release from its machine"),
        "{card}"
    );

    for (width, height, name) in [(768, 1024, "sites-768"), (390, 844, "sites-phone")] {
        browser.client.set_window_size(width, height).await.unwrap();
        browser.goto(&format!("{base}/sites")).await;
        browser.wait_for_text("All sites").await;
        assert!(
            !browser.scrolls_sideways().await,
            "{width} px: the page scrolls sideways"
        );
        browser.screenshot(name).await;
    }

    browser.click("form[action='/sign-out'] button").await;
    browser.wait_for_text("Username or email").await;
    assert_eq!(browser.path().await, "/sign-in");
    browser.close().await;
}

/// The accessibility check can fail: a page given an image without a text alternative and a
/// button without a name is reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accessibility_check_finds_what_is_wrong() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    browser.goto(&format!("{}/sign-in", app.base)).await;
    browser
        .eval(
            "document.querySelector('main').insertAdjacentHTML('beforeend', \
             '<img src=\"/assets/none.png\"><button></button>');",
            vec![],
        )
        .await;
    let found = browser.accessibility_violations(crate::AXE).await;
    assert!(found.iter().any(|v| v.contains("image-alt")), "{found:?}");
    assert!(found.iter().any(|v| v.contains("button-name")), "{found:?}");
    browser.close().await;
}
