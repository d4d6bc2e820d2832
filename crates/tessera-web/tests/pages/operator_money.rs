//! Money in the console: a paid order's invoice is listed (narrowed by number and period)
//! and shown as issued; a payment for a cancelled order waits among the unapplied ones for
//! a refund; a month that is no month is refused.

use reqwest::StatusCode;

use crate::cloud_given::{app_with_customer, between, billing, placed, signed_in, trial};
use crate::operator::operator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoices_and_payments_not_applied_are_in_the_consoles_money_page() {
    let (app, token, _) = app_with_customer(billing).await;
    trial(&app, &token).await;
    let mut v = signed_in(&app, "ib50").await;
    let (paid_id, page) = placed(&mut v, &[("sites", "3")], &[]).await;
    let csrf = page.hidden("csrf").unwrap();
    let paid = v
        .post(&format!("/test-payments/{paid_id}/pay"), &[("csrf", &csrf)])
        .await;
    let order = v.get(paid.location()).await;
    let number = between(&order.text, "id=\"invoice-link\">", "<").to_owned();
    let (cancelled_id, _) = placed(&mut v, &[("sites", "1")], &[]).await;
    v.post(
        &format!("/cloud/orders/{cancelled_id}/cancel"),
        &[("csrf", &csrf)],
    )
    .await;
    let late = v
        .post(
            &format!("/test-payments/{cancelled_id}/pay"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);

    let mut op = operator(&app).await;
    let money = op.get("/operator/money").await;
    assert_eq!(money.status, StatusCode::OK, "{}", money.text);
    assert!(
        money
            .text
            .contains(&format!("data-payment=\"test-{cancelled_id}\"")),
        "{}",
        money.text
    );
    assert!(money.text.contains(&format!("data-invoice=\"{number}\"")));
    assert!(
        money
            .text
            .contains(&format!("data-order=\"{paid_id}\" data-status=\"paid\""))
    );
    assert!(money.text.contains(&format!(
        "data-order=\"{cancelled_id}\" data-status=\"cancelled\""
    )));
    assert!(money.text.contains("id=\"invoices-total\">1098.00 EUR<"));

    let year = &number[..4];
    let narrowed = op.get(&format!("/operator/money?number={year}")).await;
    assert!(
        narrowed
            .text
            .contains(&format!("data-invoice=\"{number}\""))
    );
    let other = op.get("/operator/money?number=1999").await;
    assert!(other.text.contains("No invoice matches."));
    let later = op.get("/operator/money?from=2099-01-01").await;
    assert!(later.text.contains("No invoice matches."));

    let invoice = op.get(&format!("/operator/invoices/{number}")).await;
    assert_eq!(invoice.status, StatusCode::OK);
    assert!(invoice.text.contains(&format!("Invoice {number}")));
    assert!(invoice.text.contains("href=\"/operator/money\""));
    assert_eq!(
        op.get("/operator/invoices/2026-999999").await.status,
        StatusCode::NOT_FOUND
    );
    let lines = op.get("/operator/money?month=2026-11").await;
    assert!(lines.text.contains("Nothing was billed for this month."));
    let bad = op.get("/operator/money?month=2026-13").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Customers never reach it.
    assert_eq!(v.get("/operator/money").await.status, StatusCode::SEE_OTHER);
}
