//! Buying the cloud service on the pages (E2–E3): the invoicing data prefilled, the
//! summary's net, VAT and total for an Italian business and a German consumer, cancelling
//! an unpaid order, a renewal's sites to keep.

use reqwest::StatusCode;

use crate::cloud_given::{
    app_with_customer, billing, csrf, place, placed, signed_in, summary, trial,
};

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
