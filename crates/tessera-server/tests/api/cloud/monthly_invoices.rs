//! The monthly services' invoice lines become numbered invoices (F2, I3): the billing job
//! issues one per account and month, in the cloud invoices' gap-free yearly sequence, listed
//! and printable where the cloud's are, with VAT by the cloud's rules, and mailed.

use tessera_api::NewService;

use super::*;

both_backends!(monthly_services_are_invoiced_in_the_clouds_sequence with cloud_config);

/// The account's invoice `number` as its printable page.
async fn invoice_page(app: &TestApp, token: &str, number: &str) -> String {
    let path = format!("/api/v1/account/invoices/{number}");
    let page = app
        .call(reqwest::Method::GET, &path, None, Some(token))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    page.text().await.unwrap()
}

async fn monthly_services_are_invoiced_in_the_clouds_sequence(mut app: TestApp) {
    let keys = catalog(&app, 2).await;
    let (token, sites) = customer(&app, "mi50", IT_VATS[3], &keys[..2]).await;
    // A cloud purchase takes the year's first number.
    let bought = order(&app, &token, &new_order(1)).await.unwrap();
    assert_eq!(pay(&app, &bought, "P1").await.invoice, "2026-000001");
    let support = NewService {
        code: "support".into(),
        name: "24/7 support".into(),
        monthly_price: 4900,
        currency: "EUR".into(),
    };
    app.api().create_service(&support).await.unwrap();
    let account = app.api_as(Some(&token));
    for site in &sites {
        account.switch_service_on(site, "support").await.unwrap();
    }

    // 1 December: November is billed and invoiced with the next number.
    move_to(&mut app, "2026-12-01T03:00:00Z".parse().unwrap()).await;
    let mail = until("the services' invoice mail", async || {
        app.mail_to("mi50@example.com")
            .await
            .into_iter()
            .find(|m| m.kind == "services.invoice")
    })
    .await;
    assert_eq!(
        mail.subject,
        "Invoice 2026-000002 for your monthly services of 2026-11"
    );
    assert!(mail.body.contains("119.56 EUR"), "{}", mail.body);
    let token = account_login(&app, "mi50").await;
    let listed = app.api_as(Some(&token)).own_invoices().await.unwrap();
    let numbers: Vec<_> = listed.invoices.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["2026-000002", "2026-000001"],
        "no gap, newest first"
    );
    let monthly = &listed.invoices[0];
    assert_eq!((monthly.order_id.as_deref(), monthly.total), (None, 11_956));
    // Two sites at 49.00, Italian VAT (seller and customer in Italy) once on the total.
    let html = invoice_page(&app, &token, "2026-000002").await;
    for shown in [
        "support, Rossi Trasporti — Depot 0, Milano, 2026-11",
        "support, Rossi Trasporti — Depot 1, Milano, 2026-11",
        "2026-11-01",
        "2026-11-30",
        "98.00 EUR",
        "21.56 EUR",
        "22.00%",
        "119.56 EUR",
    ] {
        assert!(html.contains(shown), "the invoice shows {shown}: {html}");
    }

    // The job run again for the same month issues nothing twice; the next year starts over.
    app.run_jobs().await;
    move_to(&mut app, "2027-01-01T03:00:00Z".parse().unwrap()).await;
    until("December's invoice", async || {
        let all = app.api().invoices().await.unwrap();
        (all.invoices.len() == 3).then_some(())
    })
    .await;
    let all = app.api().invoices().await.unwrap();
    let numbers: Vec<_> = all.invoices.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers, ["2027-000001", "2026-000002", "2026-000001"]);
    let mails = app.mail_to("mi50@example.com").await;
    let invoiced = mails.iter().filter(|m| m.kind == "services.invoice");
    assert_eq!(invoiced.count(), 2, "one mail per invoice");
    app.stop().await;
}
