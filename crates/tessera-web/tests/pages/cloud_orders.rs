//! Buying the cloud service on the pages (E2–E3): the invoicing data prefilled, the
//! summary's net, VAT and total for an Italian business and a German consumer, the test
//! provider paying (the order paid, its invoice listed and shown), the provider's page
//! where it is off, a configured provider's checkout URL, cancelling, a renewal's sites.

use reqwest::StatusCode;
use tessera_testkit::{Backend, TestApp, spawn_app};

use crate::cloud_given::{between, billing, csrf, customer, signed_in, trial};
use crate::visitor::{Page, Visitor};

/// The purchase form as prefilled, with `changes` made and the terms accepted.
async fn order_form(v: &mut Visitor, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let form = v.get("/cloud/buy").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let mut fields: Vec<(String, String)> = [
        "csrf",
        "company",
        "street",
        "postal_code",
        "place",
        "region",
        "country",
        "phone",
        "vat_number",
        "invoice_email",
    ]
    .iter()
    .map(|name| (name.to_string(), value(&form, name)))
    .collect();
    fields.extend([
        ("plan".into(), "cloud-s10".into()),
        ("b2b".into(), "yes".into()),
        ("e_invoice_consent".into(), "yes".into()),
        ("terms".into(), "yes".into()),
    ]);
    for (name, to) in changes {
        fields.retain(|(n, _)| n != name);
        if !to.is_empty() {
            fields.push((name.to_string(), to.to_string()));
        }
    }
    fields
}

/// The value of the input `name` on `page` (hidden or not).
fn value(page: &Page, name: &str) -> String {
    let at = page
        .text
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    between(&page.text[at..], "value=\"", "\"").to_owned()
}

/// Places the order of the prefilled form with `changes` and the fields `extra`; the
/// answer.
async fn place(v: &mut Visitor, changes: &[(&str, &str)], extra: &[(String, String)]) -> Page {
    let mut form = order_form(v, changes).await;
    form.extend(extra.iter().cloned());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    v.post("/cloud/buy", &form).await
}

/// Places the order and opens its page; its id and the page.
async fn placed(
    v: &mut Visitor,
    changes: &[(&str, &str)],
    extra: &[(String, String)],
) -> (String, Page) {
    let answer = place(v, changes, extra).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    let to = answer.location().to_owned();
    let id = to.trim_start_matches("/cloud/orders/").to_owned();
    (id, v.get(&to).await)
}

fn summary(page: &Page) -> (String, String, String) {
    let cell = |id: &str| {
        let raw = between(&page.text, &format!("id=\"{id}\">"), "</td>");
        raw.replace("<strong>", "").replace("</strong>", "")
    };
    (
        cell("summary-net"),
        cell("summary-vat"),
        cell("summary-total"),
    )
}

async fn app_with_customer(
    configure: impl FnOnce(&mut tessera_server::Config),
) -> (TestApp, String, Vec<String>) {
    let app = spawn_app(Backend::Sqlite, configure).await.unwrap();
    let (token, sites) = customer(&app, 3).await;
    (app, token, sites)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_sums_up_an_italian_business_and_a_german_consumer() {
    let (app, _, _) = app_with_customer(billing).await;
    let mut v = signed_in(&app, "ib50").await;

    let form = v.get("/cloud/buy").await;
    for prefilled in [
        "Rossi Trasporti S.r.l.",
        "Via Rossini 12",
        "IT00743110157",
        "office@ib50.example",
    ] {
        assert!(
            form.text.contains(&format!("value=\"{prefilled}\"")),
            "{prefilled}"
        );
    }
    assert!(
        form.text
            .contains("SSM 2.0 Cloud: 300.00 EUR a site for 12 months")
    );

    // Refused in words, the form kept as typed, the field marked.
    let no_terms = place(&mut v, &[("sites", "2"), ("terms", "")], &[]).await;
    assert_eq!(no_terms.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_terms.text.contains("Accept the terms"));
    let no_vat = place(&mut v, &[("sites", "2"), ("vat_number", "")], &[]).await;
    assert_eq!(no_vat.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_vat
            .text
            .contains("VAT number: A business in the EU gives its VAT number."),
        "{}",
        no_vat.text
    );
    assert!(
        no_vat
            .text
            .contains("name=\"vat_number\" value=\"\" type=\"text\" aria-invalid=\"true\"")
    );
    assert!(
        no_vat.text.contains("value=\"Via Rossini 12\""),
        "kept as typed"
    );

    // An Italian business pays Italian VAT.
    let (id, page) = placed(&mut v, &[("sites", "2")], &[]).await;
    assert!(id.starts_with("ord_"), "{id}");
    assert_eq!(
        summary(&page),
        (
            "600.00 EUR".into(),
            "132.00 EUR <span class=\"muted\">(22.00%)</span>".into(),
            "732.00 EUR".into()
        )
    );
    for shown in [
        "F00772540",
        "SSM 2.0 Cloud",
        "2 × CLOUD-S10",
        "2026-11-23",
        "awaiting payment",
    ] {
        assert!(page.text.contains(shown), "{shown}");
    }
    assert!(page.text.contains("aria-current=\"step\">2. Summary"));
    assert!(page.text.contains("2026-11-26 09:00"), "pay by: 72 hours");

    // A German consumer pays German VAT (OSS).
    let consumer = [
        ("sites", "2"),
        ("b2b", ""),
        ("vat_number", ""),
        ("country", "DE"),
        ("postal_code", "10115"),
        ("place", "Berlin"),
    ];
    let (_, page) = placed(&mut v, &consumer, &[]).await;
    assert_eq!(
        summary(&page),
        (
            "600.00 EUR".into(),
            "114.00 EUR <span class=\"muted\">(19.00%)</span>".into(),
            "714.00 EUR".into()
        )
    );

    let list = v.get("/cloud/orders").await;
    assert_eq!(list.text.matches("data-order=").count(), 2);
    assert!(list.text.contains("732.00 EUR") && list.text.contains("714.00 EUR"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_test_provider_pays_the_order_and_its_invoice_is_listed_and_shown() {
    let (app, token, _) = app_with_customer(billing).await;
    trial(&app, &token).await;
    let mut v = signed_in(&app, "ib50").await;
    let (id, page) = placed(&mut v, &[("sites", "3")], &[]).await;
    assert!(
        page.text.contains(&format!("href=\"/test-payments/{id}\"")),
        "{}",
        page.text
    );

    let provider = v.get(&format!("/test-payments/{id}")).await;
    assert_eq!(provider.status, StatusCode::OK);
    assert!(provider.text.contains("no money moves"));
    assert!(provider.text.contains("1098.00 EUR"));
    let csrf = provider.hidden("csrf").unwrap();
    let paid = v
        .post(&format!("/test-payments/{id}/pay"), &[("csrf", &csrf)])
        .await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text);
    assert_eq!(paid.location(), format!("/cloud/orders/{id}?done=paid"));
    let order = v.get(paid.location()).await;
    assert!(order.text.contains("the payment is confirmed"));
    assert!(order.text.contains("id=\"order-status\">paid<"));
    assert!(order.text.contains("aria-current=\"step\">4. Confirmation"));
    let number = between(&order.text, "id=\"invoice-link\">", "<").to_owned();
    assert!(!order.text.contains("id=\"pay\""), "paid: nothing to pay");

    // Paying again (a double click) is the same payment: recorded once.
    let twice = v
        .post(&format!("/test-payments/{id}/pay"), &[("csrf", &csrf)])
        .await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER, "{}", twice.text);

    let invoices = v.get("/invoices").await;
    assert_eq!(invoices.status, StatusCode::OK);
    assert_eq!(invoices.text.matches("data-invoice=").count(), 1);
    assert!(
        invoices
            .text
            .contains(&format!("data-invoice=\"{number}\""))
    );
    assert!(invoices.text.contains("1098.00 EUR"));
    let invoice = v.get(&format!("/invoices/{number}")).await;
    assert_eq!(invoice.status, StatusCode::OK);
    assert!(invoice.text.contains(&format!("Invoice {number}")));
    assert!(invoice.text.contains("900.00 EUR") && invoice.text.contains("198.00 EUR"));
    assert!(
        invoice.text.contains("Rossi Trasporti S.r.l.") && invoice.text.contains("Vendor S.p.A.")
    );
    assert!(
        !invoice.text.contains("<style") && !invoice.text.contains("style="),
        "CSP: no inline style"
    );
    let csp = invoice.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(invoice.text.contains("data-print"));
    assert_eq!(
        v.get("/invoices/2026-999999").await.status,
        StatusCode::NOT_FOUND
    );

    // The purchase made the subscription active: the set-up page offers the renewal.
    let setup = v.get("/cloud").await;
    assert!(setup.text.contains("Renew the service"));
    assert!(setup.text.contains("id=\"subscription-state\">active<"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_test_provider_its_pages_are_not_there_and_pay_leads_to_the_provider() {
    let (app, _, _) = app_with_customer(|c| {
        billing(c);
        c.billing.test_payments = false;
        c.billing.checkout_url = Some(
            "https://pay.example/checkout?ref={order}&amount={amount}&currency={currency}".into(),
        );
    })
    .await;
    let mut v = signed_in(&app, "ib50").await;
    let (id, page) = placed(&mut v, &[("sites", "1")], &[]).await;
    let expected = format!(
        "href=\"https://pay.example/checkout?ref={id}&#38;amount=366.00&#38;currency=EUR\""
    );
    assert!(page.text.contains(&expected), "{}", page.text);

    let csrf = csrf(&mut v).await;
    assert_eq!(
        v.get(&format!("/test-payments/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let forced = v
        .post(&format!("/test-payments/{id}/pay"), &[("csrf", &csrf)])
        .await;
    assert_eq!(forced.status, StatusCode::NOT_FOUND);
    assert!(
        v.get(&format!("/cloud/orders/{id}"))
            .await
            .text
            .contains("awaiting payment")
    );
    // Without any provider there is no pay link, and it says so.
    app.stop().await;
    let (app, _, _) = app_with_customer(|c| {
        billing(c);
        c.billing.test_payments = false;
    })
    .await;
    let mut v = signed_in(&app, "ib50").await;
    let (_, page) = placed(&mut v, &[("sites", "1")], &[]).await;
    assert!(!page.text.contains("id=\"pay\""));
    assert!(page.text.contains("Paying online is not set up yet"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_order_is_cancelled_and_then_cannot_be_paid() {
    let (app, _, _) = app_with_customer(billing).await;
    let mut v = signed_in(&app, "ib50").await;
    let (id, page) = placed(&mut v, &[("sites", "1")], &[]).await;
    let csrf = page.hidden("csrf").unwrap();
    let cancelled = v
        .post(&format!("/cloud/orders/{id}/cancel"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.text
    );
    let page = v.get(cancelled.location()).await;
    assert!(page.text.contains("The order is cancelled."));
    assert!(page.text.contains("id=\"order-status\">cancelled<"));
    assert!(!page.text.contains("id=\"cancel-order\"") && !page.text.contains("id=\"pay\""));

    let again = v
        .post(&format!("/cloud/orders/{id}/cancel"), &[("csrf", &csrf)])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.text.contains("The order was cancelled."),
        "{}",
        again.text
    );
    let paid = v
        .post(&format!("/test-payments/{id}/pay"), &[("csrf", &csrf)])
        .await;
    assert_eq!(paid.status, StatusCode::CONFLICT);
    assert!(paid.text.contains("The order was cancelled."));
    let other = v
        .post("/cloud/orders/ord_not-mine/cancel", &[("csrf", &csrf)])
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_chooses_the_enabled_sites_to_keep() {
    let (app, token, sites) = app_with_customer(billing).await;
    trial(&app, &token).await;
    let mut v = signed_in(&app, "ib50").await;
    let csrf = csrf(&mut v).await;
    v.post(
        "/cloud/sites",
        &[("csrf", &csrf), ("sites", &sites[0]), ("sites", &sites[1])],
    )
    .await;
    // The first purchase: no sites to choose.
    let form = v.get("/cloud/buy").await;
    assert!(form.text.contains("Buy the cloud service") && !form.text.contains("name=\"keep\""));
    let (id, _) = placed(&mut v, &[("sites", "2")], &[]).await;
    v.post(&format!("/test-payments/{id}/pay"), &[("csrf", &csrf)])
        .await;

    let form = v.get("/cloud/buy").await;
    assert!(
        form.text.contains("Renew the cloud service"),
        "{}",
        form.text
    );
    for site in &sites[..2] {
        assert!(
            form.text
                .contains(&format!("name=\"keep\" value=\"{site}\" checked"))
        );
    }
    // Keeping both but buying one: refused in words.
    let one_site = [("sites", "1")];
    let both: Vec<(String, String)> = sites[..2]
        .iter()
        .map(|s| ("keep".to_owned(), s.clone()))
        .collect();
    let refused = place(&mut v, &one_site, &both).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.text.contains("More sites are kept than bought"),
        "{}",
        refused.text
    );

    let second = [("keep".to_owned(), sites[1].clone())];
    let (_, page) = placed(&mut v, &one_site, &second).await;
    assert!(page.text.contains("renewal"));
    assert!(page.text.contains(&format!(
        "Sites kept: <span class=\"mono\">{}</span>",
        sites[1]
    )));
    assert!(page.text.contains("366.00 EUR"));
}
