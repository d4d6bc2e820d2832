//! Paying on the pages (E2): the test provider pays an order (paid, its invoice listed
//! and shown printable under the page's CSP); without it its pages are not there, and
//! "pay" leads to the configured provider's checkout URL, or says payment is not set up.

use reqwest::StatusCode;

use crate::cloud_given::{app_with_customer, between, billing, csrf, placed, signed_in, trial};

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
