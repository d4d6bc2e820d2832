//! A customer registers its product key through the pages, signs in, opens its site and
//! switches a monthly service on, confirming the cost first; the confirmation is mailed. A
//! user of the account without the right to approve costs sees the service but no switch.

use serde_json::json;
use tessera_api::NewService;
use tessera_testkit::browser::Browser;
use tessera_testkit::fixtures::{IT_VATS, PASSWORD};
use tessera_testkit::scenarios::{account_login, activate, fp, product_with_keys, user_with};
use tessera_testkit::{Backend, spawn_app, until};

use crate::assert_accessible;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_registers_and_switches_a_service_on_after_seeing_its_cost() {
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let keys = product_with_keys(&app, "crm", 1, 3).await;
    app.api()
        .create_service(&NewService {
            code: "support".into(),
            name: "24/7 Support".into(),
            monthly_price: 4900,
            currency: "EUR".into(),
        })
        .await
        .unwrap();
    let base = &app.base;

    // The forgotten-password page, as anyone opens it from the sign-in page.
    browser.goto(&format!("{base}/password-reset")).await;
    browser.wait_for_text("Email").await;
    assert_accessible(&browser, "password reset").await;

    browser.goto(&format!("{base}/sign-in")).await;
    browser.click("a[href='/register']").await;
    browser.wait_for_text("Check the key").await;
    assert_accessible(&browser, "register: the key").await;
    browser.fill("[name='product_key']", &keys[0]).await;
    browser.click("button.primary").await;
    browser
        .wait_for_text("This product key can be registered")
        .await;
    assert_accessible(&browser, "register: the form").await;

    let fields = [
        ("username", "rossi"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("email", "office@rossi.example"),
        ("email_confirm", "office@rossi.example"),
        ("company.name", "Rossi Trasporti S.r.l."),
        ("company.region", "Lombardia"),
        ("company.city", "Milano"),
        ("company.street", "Via Rossini"),
        ("company.number", "12"),
        ("company.postcode", "20121"),
        ("company.vat_number", IT_VATS[1]),
        ("company.sector", "transport"),
        ("company.tanks", "2"),
        ("company.drivers", "5"),
        ("company.vehicles", "5"),
        ("contact.first_name", "Anna"),
        ("contact.last_name", "Rossi"),
        ("contact.mobile", "0039 348 96666"),
        ("contact.phone", "0039 02 62626"),
        ("reseller.company_name", "Company s.p.a."),
        ("reseller.region", "Milano"),
        ("reseller.city", "Milano"),
        ("reseller.postcode", "20100"),
    ];
    for (name, value) in fields {
        browser.fill(&format!("[name='{name}']"), value).await;
    }
    for (name, value) in [("company.country", "IT"), ("reseller.country", "IT")] {
        browser
            .eval(
                "const f = document.querySelector(`[name='${arguments[0]}']`); \
                 f.value = arguments[1]; return f.value;",
                vec![json!(name), json!(value)],
            )
            .await;
    }
    browser.click("[name='privacy_accepted']").await;
    browser.screenshot("register").await;
    browser
        .click("form[action='/register'] button.primary")
        .await;
    browser.wait_for_text("Registration completed").await;
    assert!(browser.text().await.contains("office@rossi.example"));
    assert_accessible(&browser, "registered").await;
    until("the confirmation mail", async || {
        (!app.mail_to("office@rossi.example").await.is_empty()).then_some(())
    })
    .await;

    // The program at the site activates its installation.
    let activated = activate(&app, "office@rossi.example", &keys[0], &fp('a')).await;
    assert_eq!(activated.status(), reqwest::StatusCode::CREATED);

    browser.goto(&format!("{base}/sign-in")).await;
    browser.fill("#login", "rossi").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("One site").await;
    browser.goto(&format!("{base}/account/keys/new")).await;
    browser.wait_for_text("Product key").await;
    assert_accessible(&browser, "add a key").await;
    browser.goto(&format!("{base}/sites")).await;
    browser.wait_for_text("One site").await;
    browser.click("tr[data-site] a").await;
    browser.wait_for_text("24/7 Support").await;
    assert_accessible(&browser, "the site page").await;

    // Switching on asks first, with the price and the billing rule.
    browser.click("#service-support form button").await;
    browser.wait_for_text("this month is charged in full").await;
    assert!(browser.text().await.contains("49.00 EUR"));
    browser.screenshot("site-service-confirm").await;
    browser
        .click("#service-support .confirm button.primary")
        .await;
    until("the service is on", async || {
        let on = browser
            .eval(
                "return document.querySelector('#service-support').dataset.on;",
                vec![],
            )
            .await;
        (on == "true").then_some(())
    })
    .await;
    browser.screenshot("site").await;
    let mails = until("the switch's confirmation mail", async || {
        let mails = app.mail_to("office@rossi.example").await;
        (mails.len() >= 2).then_some(mails)
    })
    .await;
    assert!(
        mails
            .iter()
            .any(|m| format!("{m:?}").contains("service.activated")),
        "{mails:?}"
    );

    // One of the account's users who may see the services but not approve costs finds the
    // service on, and no switch.
    let site_page = format!("{base}{}", browser.path().await);
    let admin = account_login(&app, "rossi").await;
    user_with(&app, &admin, "tab.only", &["sites.operations.view"]).await;
    browser.click("form[action='/sign-out'] button").await;
    browser.wait_for_text("Sign in").await;
    browser.fill("#login", "tab.only").await;
    browser.fill("#password", PASSWORD).await;
    browser.click("button.primary").await;
    browser.wait_for_text("One site").await;
    browser.goto(&site_page).await;
    browser.wait_for_text("24/7 Support").await;
    let seen = browser
        .eval(
            "const s = document.querySelector('#service-support'); \
             return [s.dataset.on, s.querySelectorAll('form button').length];",
            vec![],
        )
        .await;
    assert_eq!(seen, json!(["true", 0]), "the state shows, no switch");
    assert!(
        browser
            .text()
            .await
            .contains("needs the right to approve actions with follow-up costs")
    );
    browser.close().await;
}
