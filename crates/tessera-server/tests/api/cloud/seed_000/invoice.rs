//! Paid: active for a year from the payment with the trial's sites carried over, no trial
//! again; the invoice listed, printable and mailed to the invoice address.

use super::*;

pub(super) async fn the_paid_year_and_its_invoice(app: &TestApp, story: &Story) {
    let token = story.token.as_str();
    // Active for a year from the payment; the trial's sites carried over; no trial again.
    let view = overview(app, token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.state.as_str(), sub.seats, sub.expires_at.as_str()),
        ("active", 3, "2027-11-23T09:00:33Z"),
        "a year from the payment (the mail job's clock steps moved it 33 s past 09:00)"
    );
    assert_eq!(view.active, 3);
    let standing = cloud_status(app, &story.cloud_tokens[0]).await.unwrap();
    assert_eq!(standing.state, "active");
    refused(
        start_trial(app, token).await,
        StatusCode::CONFLICT,
        "TRIAL_AFTER_PURCHASE",
    );

    // The invoice: listed, printable, mailed to the invoice address.
    let invoices = app.api_as(Some(token)).own_invoices().await.unwrap();
    assert_eq!(invoices.invoices[0].number, "2026-000001");
    assert_eq!(invoices.invoices[0].total, 109_800);
    let page = app
        .call(
            reqwest::Method::GET,
            "/api/v1/account/invoices/2026-000001",
            None,
            Some(token),
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    for shown in [
        "2026-000001",
        "Vendor S.p.A.",
        "Rossi Trasporti S.r.l.",
        "F00772540",
        "900.00 EUR",
        "198.00 EUR",
        "1098.00 EUR",
        "IT01234567897",
    ] {
        assert!(html.contains(shown), "the invoice shows {shown}");
    }
    let paid_mail = mail_for(app, "invoices@rossi.example").await;
    assert!(paid_mail.contains("2026-000001"), "{paid_mail}");
}
