//! The operator console in a real browser (issue 18's story): the operator signs in, creates
//! a product and a plan, orders 10 000 keys and watches the batch fill to the end, downloads
//! the keys, finds one as typed and revokes it, finds a customer by VAT number, blocks its
//! subscription with a note the customer then reads on its cloud page, rotates the
//! signing key, declares a sync collection and registers a webhook endpoint. Every console page passes the accessibility check; screenshots for docs/.

use serde_json::json;
use tessera_testkit::browser::Browser;
use tessera_testkit::cloud::{billing, customer, trial};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{ADMIN_PASSWORD, Backend, spawn_app};

use crate::{assert_accessible, fits};

/// Chooses `value` in the select `css`.
async fn choose(browser: &Browser, css: &str, value: &str) {
    browser.wait_for_element(css).await;
    let script = "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
                  return s.value;";
    let chosen = browser.eval(script, vec![json!(css), json!(value)]).await;
    assert_eq!(chosen, json!(value), "{css} has no choice {value}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_runs_the_catalog_keys_customers_and_signing_from_the_console() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, billing).await.unwrap();
    let (token, _) = customer(&app, 2).await;
    trial(&app, &token).await;
    let vat = app
        .api_as(Some(&token))
        .own_account()
        .await
        .unwrap()
        .company
        .vat_number;
    let base = &app.base;

    browser.goto(&format!("{base}/operator")).await;
    browser.wait_for_text("Operator sign-in").await;
    assert_accessible(&browser, "the console's sign-in").await;
    browser.fill("#login", "admin").await;
    browser.fill("#password", ADMIN_PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("Active sites").await;
    assert_eq!(
        browser.path().await,
        "/operator/fleet",
        "the console starts at the fleet"
    );

    // A product with an edition and a size, then a plan for it.
    browser.goto(&format!("{base}/operator/catalog")).await;
    browser.wait_for_text("New product").await;
    browser.fill("#code", "evcharge").await;
    browser.fill("#name", "EV Charge").await;
    browser.click("#new-product button.primary").await;
    browser.wait_for_text("Add an edition").await;
    browser.fill("#edition-code", "std").await;
    browser.fill("#edition-name", "Standard").await;
    browser.click("#add-edition button.primary").await;
    browser.wait_for_text("The edition was added.").await;
    browser.fill("#size-code", "s50").await;
    browser.fill("#size-name", "Up to 50 points").await;
    browser.fill("#size-limits", "points=50").await;
    browser.click("#add-size button.primary").await;
    browser.wait_for_text("The size was added.").await;
    assert!(browser.text().await.contains("points 50"));
    assert_accessible(&browser, "a product").await;
    browser.screenshot("operator-product").await;

    // A release of the customer's product, and the minimum version (X6).
    browser
        .goto(&format!("{base}/operator/catalog/ssm2/releases"))
        .await;
    browser.wait_for_text("Publish a release").await;
    for (field, value) in [
        ("#release-version", "1.2.11"),
        (
            "#release-url",
            "https://downloads.vendor.example/ssm2-1.2.11.exe",
        ),
        ("#release-sha256", &"5e".repeat(32)),
        ("#release-notes", "Cloud sync of drivers and vehicles."),
    ] {
        browser.fill(field, value).await;
    }
    browser.click("#publish button.primary").await;
    browser.wait_for_text("The release was published").await;
    browser.fill("#minimum_version", "1.2.11").await;
    browser.click("#minimum button.primary").await;
    browser.wait_for_text("The minimum version was set.").await;
    assert_accessible(&browser, "a product's releases").await;
    fits(&browser, "a product's releases", None).await;
    browser.screenshot("operator-releases").await;

    // The product's sync collections (G1): one declared from the console.
    browser
        .goto(&format!("{base}/operator/catalog/ssm2/collections"))
        .await;
    browser.wait_for_text("Declare a collection").await;
    browser.fill("#name", "pumps").await;
    choose(&browser, "#scope", "site").await;
    browser.fill("#unique", "serial").await;
    browser.fill("#required", "serial, litres_total").await;
    browser.click("#declare button.primary").await;
    browser.wait_for_text("The collection was declared").await;
    assert!(browser.text().await.contains("serial, litres_total"));
    assert_accessible(&browser, "a product's sync collections").await;
    fits(&browser, "a product's sync collections", None).await;
    browser.screenshot("operator-collections").await;

    browser.goto(&format!("{base}/operator/plans")).await;
    browser.wait_for_text("New plan").await;
    for (field, value) in [
        ("#code", "ev-cloud"),
        ("#name", "EV Cloud"),
        ("#article_code", "EV-0001"),
        ("#price", "120.00"),
        ("#bundles", "std/s50"),
    ] {
        browser.fill(field, value).await;
    }
    choose(&browser, "#product", "evcharge").await;
    browser.click("#new-plan button.primary").await;
    browser.wait_for_text("The plan was added.").await;
    assert!(
        browser
            .text()
            .await
            .contains("120.00 EUR per site for 12 months")
    );
    assert_accessible(&browser, "the plans").await;

    // A monthly service (F1), from the plans page's link.
    browser.click("a[href='/operator/services']").await;
    browser.wait_for_text("Add a service").await;
    for (field, value) in [
        ("#code", "support247"),
        ("#name", "24/7 support"),
        ("#monthly_price", "49.00"),
    ] {
        browser.fill(field, value).await;
    }
    browser.click("#new-service button.primary").await;
    browser.wait_for_text("The service was added").await;
    assert!(browser.text().await.contains("49.00 EUR a month"));
    assert_accessible(&browser, "the monthly services").await;

    // 10 000 keys, filled a thousand at a time while the page shows how far it got.
    browser.goto(&format!("{base}/operator/keys")).await;
    browser.wait_for_text("Order a batch").await;
    assert_accessible(&browser, "the keys").await;
    choose(&browser, "#kind", "evcharge/std/s50").await;
    browser.fill("#count", "10000").await;
    browser.fill("#note", "reseller ACME, order 42").await;
    browser.click("#order button.primary").await;
    browser.wait_for_text("keys made").await;
    let seen = browser
        .eval("return document.querySelector('#batch-bar').value;", vec![])
        .await;
    assert!(
        seen.as_u64().unwrap() < 10_000,
        "it fills while the page is shown"
    );
    browser
        .wait_long_for_text("10000 of 10000 keys made", 120)
        .await;
    assert_accessible(&browser, "a batch").await;
    browser.screenshot("operator-batch").await;
    let csv = browser
        .eval(
            "return document.querySelector('a[href$=\"keys.csv\"]').getAttribute('href');",
            vec![],
        )
        .await;
    let (status, text) = browser.fetch_text(csv.as_str().unwrap()).await;
    assert_eq!(status, 200);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 10_001, "a header and 10 000 keys");
    let key = rows[1].split(',').next().unwrap().to_owned();

    // Found as typed on a phone's keyboard, revoked with a reason.
    browser.goto(&format!("{base}/operator/keys")).await;
    browser
        .fill("#find-key", &key.to_lowercase().replace('-', ""))
        .await;
    browser.click("#find button.primary").await;
    browser.wait_for_text("issued, not yet registered").await;
    assert_accessible(&browser, "a key").await;
    browser.fill("#reason", "order 42 refunded").await;
    browser.click("#revoke button.danger").await;
    browser.wait_for_text("The key was revoked.").await;
    assert!(browser.text().await.contains("order 42 refunded"));
    browser.screenshot("operator-key").await;

    // Keys sold before Tessera: the product's key format set, the file chosen (our script
    // puts it into the box), imported, the batch linked.
    browser.goto(&format!("{base}/operator/keys/import")).await;
    browser.wait_for_text("Key formats").await;
    choose(&browser, "#format-product", "evcharge").await;
    browser.fill("#format-pattern", "EV[0-9]{6}").await;
    browser.click("#formats button").await;
    browser.wait_for_text("The key format is set.").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old-keys.csv");
    std::fs::write(
        &file,
        "key;product;edition;size\nEV-100001;evcharge;std;s50\nev100002;evcharge;std;s50\n",
    )
    .unwrap();
    browser.choose_file("#import-file", &file).await;
    let started = std::time::Instant::now();
    while browser
        .eval(
            "return document.getElementById('csv').value.includes('EV-100001');",
            vec![],
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
    browser.click("#import button.primary").await;
    browser.wait_for_text("2 lines: 2 keys imported").await;
    assert_accessible(&browser, "keys imported").await;
    browser.screenshot("operator-key-import").await;

    // The customer by its VAT number, its subscription blocked with a note.
    browser.goto(&format!("{base}/operator/customers")).await;
    browser.fill("#q", &vat[..8]).await;
    browser.click("form[role='search'] button").await;
    browser.wait_for_text("ib50").await;
    browser.click("tr[data-account] a").await;
    browser.wait_for_text("Installations").await;
    assert_accessible(&browser, "a customer").await;
    browser.screenshot("operator-customer").await;
    // Its operations log kept for 30 days instead of the server's 90 (I2).
    browser.fill("#retention-days", "30").await;
    browser.click("form[action$='/log-retention'] button").await;
    browser
        .wait_for_text("The operations log's retention was saved.")
        .await;
    assert!(browser.text().await.contains("30 days (its own setting)"));
    let own = app.api_as(Some(&token)).own_account().await.unwrap();
    assert_eq!(own.log_retention_days, Some(30));
    browser
        .goto(&format!("{base}/operator/subscriptions"))
        .await;
    browser.wait_for_text("Set the state").await;
    assert_accessible(&browser, "the subscriptions").await;
    choose(&browser, "tr[data-subscription] select", "blocked").await;
    browser
        .fill(
            "tr[data-subscription] input[name='note']",
            "Invoice 2026-000042 unpaid",
        )
        .await;
    browser.click("tr[data-subscription] form button").await;
    browser.wait_for_text("The state was set.").await;

    // The customer, in the same browser (its own cookie), reads why.
    browser.goto(&format!("{base}/sign-in")).await;
    browser.fill("#login", "ib50").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("sites").await;
    browser.goto(&format!("{base}/cloud")).await;
    browser
        .wait_for_text("The vendor's note: Invoice 2026-000042 unpaid")
        .await;
    assert!(browser.text().await.contains("blocked"));
    // Its download centre has the release the console published.
    browser.goto(&format!("{base}/downloads")).await;
    browser
        .wait_for_text("Version 1.2.11 or later is required")
        .await;
    assert!(
        browser
            .text()
            .await
            .contains("Cloud sync of drivers and vehicles.")
    );
    assert_accessible(&browser, "the downloads").await;
    browser.screenshot("downloads").await;

    // The console's desk for request files of sites without internet (X1).
    browser.goto(&format!("{base}/operator/catalog")).await;
    browser.click("a[href='/operator/offline']").await;
    browser.wait_for_text("Answer the request").await;
    assert_accessible(&browser, "the console's activation by file").await;

    // A new signing key.
    browser.goto(&format!("{base}/operator/signing-keys")).await;
    browser.wait_for_text("Make a new signing key").await;
    browser.click("#rotate button.primary").await;
    browser.wait_for_text("A new key signs from now on.").await;
    assert_accessible(&browser, "the signing keys").await;
    assert_eq!(app.api().public_keys().await.unwrap().keys.len(), 2);

    // A webhook endpoint (X7): its secret shown once, then its (empty) deliveries.
    browser.goto(&format!("{base}/operator/webhooks")).await;
    browser.wait_for_text("Register an endpoint").await;
    browser
        .fill("#url", "https://erp.vendor.example/tessera")
        .await;
    browser
        .click("input[name='events'][value='order.paid']")
        .await;
    browser.click("#add button.primary").await;
    browser.wait_for_text("The endpoint was registered").await;
    assert!(browser.text().await.contains("whsec_"));
    assert_accessible(&browser, "the webhooks").await;
    fits(&browser, "the webhooks", None).await;
    browser.screenshot("operator-webhooks").await;
    let id = app.api().webhooks().await.unwrap().webhooks[0].id;
    browser
        .click(&format!("tr[data-webhook='{id}'] td a"))
        .await;
    browser.wait_for_text("No delivery yet").await;
    assert_accessible(&browser, "a webhook's deliveries").await;

    // The whole operations log, narrowed to refusals. One refusal on record first: a
    // retention out of range.
    let refusal = tessera_api::SetLogRetention { days: Some(0) };
    assert!(app.api().set_log_retention(own.id, &refusal).await.is_err());
    browser.goto(&format!("{base}/operator/operations")).await;
    browser.wait_for_text("Operations log").await;
    let outcomes = async || {
        let shown = browser
            .eval(
                "return [...document.querySelectorAll('tr[data-outcome]')]
                     .map(r => r.dataset.outcome);",
                vec![],
            )
            .await;
        let shown: Vec<String> = serde_json::from_value(shown).unwrap();
        shown
    };
    let before = outcomes().await;
    assert!(
        before.iter().any(|o| o == "ok") && before.iter().any(|o| o == "refused"),
        "{before:?}"
    );
    choose(&browser, "#outcome", "refused").await;
    browser.click(".filter-actions button").await;
    // htmx swaps the table and puts the filter in the address.
    let mut tries = 0;
    while !browser.path().await.contains("outcome=refused") {
        tries += 1;
        assert!(tries < 50, "the filter never reached the address");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let after = outcomes().await;
    assert!(!after.is_empty());
    assert!(after.iter().all(|o| o == "refused"), "{after:?}");
    assert_accessible(&browser, "the operations log").await;
    fits(
        &browser,
        "the operations log",
        Some("operator-operations-768"),
    )
    .await;

    browser.goto(&format!("{base}/operator/money")).await;
    browser.wait_for_text("Payments not applied").await;
    assert_accessible(&browser, "money").await;

    // The fleet dashboard counts what this story made: the customer's two active sites of
    // ssm2's standard edition, one trial started this month and not bought.
    browser.goto(&format!("{base}/operator/fleet")).await;
    browser.wait_for_text("Active sites").await;
    let figures = browser
        .eval(
            "const text = s => document.querySelector(s).textContent.trim();
             return [text('#fleet-active-total'),
                     text(\"tr[data-edition='ssm2/std'] .count\"),
                     text(\"tr[data-trials='2026-11'] .started\"),
                     text(\"tr[data-trials='2026-11'] .converted\")];",
            vec![],
        )
        .await;
    assert_eq!(figures, json!(["2", "2", "1", "0"]));
    assert_accessible(&browser, "the fleet").await;
    browser.screenshot("operator-fleet").await;

    // The mail job run from the dashboard, then the outbox it emptied.
    browser
        .click("form[action='/operator/jobs/mail/run'] button")
        .await;
    browser.wait_for_text("The job mail ran now").await;
    // That run on the job's own page.
    browser.click("a[href='/operator/jobs/mail']").await;
    browser.wait_for_text("The job mail").await;
    let outcome = browser
        .eval(
            "return document.querySelector('tr[data-outcome]').dataset.outcome;",
            vec![],
        )
        .await;
    assert_eq!(outcome, json!("done"));
    assert_accessible(&browser, "a job's runs").await;
    fits(&browser, "a job's runs", None).await;
    browser.goto(&format!("{base}/operator/fleet")).await;
    browser.click("a[href='/operator/outbox']").await;
    browser.wait_for_text("Mails, newest first").await;
    assert_accessible(&browser, "the mail outbox").await;
    fits(&browser, "the mail outbox", None).await;
    browser.close().await;
}
