//! Per-site monthly services (F1–F3) over HTTP: the catalog, switching on and off with
//! confirmation mail, and the monthly billing job charging by the rule, driven by the clock.

use jiff::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tessera_api::{InvoiceLine, InvoiceLines, JobRuns, NewService, SiteServices};
use tessera_core::Clock;

use crate::fixtures::*;
use crate::harness::*;

both_backends!(
    services_are_switched_mailed_and_billed_by_the_rule,
    amounts_are_written_in_their_currencys_decimals,
);

async fn switch(
    app: &TestApp,
    token: &str,
    site: &str,
    code: &str,
    on: bool,
) -> ApiResult<SiteServices> {
    let account = app.api_as(Some(token));
    match on {
        true => account.switch_service_on(site, code).await,
        false => account.switch_service_off(site, code).await,
    }
}

fn service(code: &str, name: &str, monthly_price: i64, currency: &str) -> NewService {
    NewService {
        code: code.into(),
        name: name.into(),
        monthly_price,
        currency: currency.into(),
    }
}

/// Moves the clock to `at` (forward only), lets the jobs run and signs the operator in again.
async fn move_to(app: &mut TestApp, at: &str) {
    let at: Timestamp = at.parse().unwrap();
    app.clock.advance(at.duration_since(app.clock.now()));
    app.run_jobs().await;
    app.sign_in().await;
}

/// Asserts that the billing job has run, once, for `period` (`2026-12` bills November).
async fn billed(app: &TestApp, period: &str) {
    let runs: JobRuns = ok(app.get("/api/v1/jobs?job=billing").await, StatusCode::OK).await;
    let run = runs
        .runs
        .iter()
        .find(|r| r.period == period && r.outcome == "done")
        .unwrap_or_else(|| panic!("billing {period} did not run: {:?}", runs.runs));
    assert_eq!(run.attempts, 1);
}

async fn services_are_switched_mailed_and_billed_by_the_rule(mut app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;

    for (code, name, price) in [
        ("support", "24/7 support", 4900),
        ("backup", "Backup", 1500),
    ] {
        app.api()
            .create_service(&service(code, name, price, "eur"))
            .await
            .unwrap();
    }
    refused(
        app.api()
            .create_service(&service("support", "x", 1, "EUR"))
            .await,
        StatusCode::CONFLICT,
        "SERVICE_EXISTS",
    );
    refused(
        app.api()
            .create_service(&service("x", "x", 1, "EURO"))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "CURRENCY_INVALID",
    );

    let mut body = registration("anna", "anna@example.com", IT_VATS[0], &keys[0]);
    body.language = Some("de".into());
    app.api_as(None).register(&body).await.unwrap();
    let bruno = register(&app, "bruno", "bruno@example.com", IT_VATS[1], &keys[1]).await;
    let not_active = bruno.installations[0].site_id.clone();
    let activated: Value = ok(
        activate(&app, "anna@example.com", &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let site = activated["site_id"].as_str().unwrap().to_owned();
    let anna = account_login(&app, "anna").await;
    let bruno = account_login(&app, "bruno").await;

    // 23 November: support on (November is charged in full).
    let on: SiteServices = switch(&app, &anna, &site, "support", true).await.unwrap();
    let support = on.services.iter().find(|s| s.code == "support").unwrap();
    assert!(support.on);
    assert_eq!(support.stretches[0].on, "2026-11-23");
    refused(
        switch(&app, &anna, &site, "support", true).await,
        StatusCode::CONFLICT,
        "SERVICE_ALREADY_ON",
    );
    refused(
        switch(&app, &anna, &site, "backup", false).await,
        StatusCode::CONFLICT,
        "SERVICE_NOT_ON",
    );
    refused(
        switch(&app, &anna, &site, "nothing", true).await,
        StatusCode::NOT_FOUND,
        "SERVICE_NOT_FOUND",
    );
    refused(
        switch(&app, &bruno, &site, "support", false).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    refused(
        switch(&app, &bruno, &not_active, "support", true).await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    );
    let mails = app.mail_to("anna@example.com").await;
    let confirmation = mails
        .iter()
        .find(|m| m.kind == "service.activated")
        .unwrap();
    // The mail names the installation by its label, as people know it.
    let shown: Value = ok(
        app.get(&format!("/api/v1/sites/{site}")).await,
        StatusCode::OK,
    )
    .await;
    let label = shown["label"].as_str().unwrap();
    assert_eq!(
        confirmation.subject,
        format!("24/7 support ist für {label} aktiviert")
    );
    assert!(
        confirmation.body.contains("49.00 EUR"),
        "{}",
        confirmation.body
    );

    // 1 December: November is billed.
    move_to(&mut app, "2026-12-01T03:00:00Z").await;
    billed(&app, "2026-12").await;
    // 5 and 20 December: backup on and off in one month costs nothing.
    move_to(&mut app, "2026-12-05T10:00:00Z").await;
    let anna = account_login(&app, "anna").await;
    let _: SiteServices = switch(&app, &anna, &site, "backup", true).await.unwrap();
    move_to(&mut app, "2026-12-20T10:00:00Z").await;
    let anna = account_login(&app, "anna").await;
    let off: SiteServices = switch(&app, &anna, &site, "backup", false).await.unwrap();
    let backup = off.services.iter().find(|s| s.code == "backup").unwrap();
    assert!(!backup.on);
    assert_eq!(backup.stretches[0].off.as_deref(), Some("2026-12-20"));
    move_to(&mut app, "2027-01-01T03:00:00Z").await;
    billed(&app, "2027-01").await;
    // 10 January: support off: January is not charged, it stops at once.
    move_to(&mut app, "2027-01-10T10:00:00Z").await;
    let anna = account_login(&app, "anna").await;
    let _: SiteServices = switch(&app, &anna, &site, "support", false).await.unwrap();
    move_to(&mut app, "2027-02-01T03:00:00Z").await;
    billed(&app, "2027-02").await;

    let lines: InvoiceLines = ok(app.get("/api/v1/invoice-lines").await, StatusCode::OK).await;
    let got: Vec<(String, String, i64)> = lines
        .lines
        .iter()
        .map(|l: &InvoiceLine| (l.month.clone(), l.service.clone(), l.amount))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2026-11".to_owned(), "support".to_owned(), 4900),
            ("2026-12".to_owned(), "support".to_owned(), 4900),
        ]
    );
    assert!(
        lines
            .lines
            .iter()
            .all(|l| l.site_id == site && l.currency == "EUR")
    );
    let anna = account_login(&app, "anna").await;
    let own: InvoiceLines = ok(
        app.call(
            Method::GET,
            "/api/v1/account/invoice-lines?month=2026-12",
            None,
            Some(&anna),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own.lines.len(), 1);
    let bruno = account_login(&app, "bruno").await;
    let none: InvoiceLines = ok(
        app.call(
            Method::GET,
            "/api/v1/account/invoice-lines",
            None,
            Some(&bruno),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(none.lines.is_empty());
    let kinds: Vec<String> = app
        .store
        .mail_to("anna@example.com")
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .filter(|k| k.starts_with("service."))
        .collect();
    assert_eq!(
        kinds,
        [
            "service.activated",
            "service.activated",
            "service.deactivated",
            "service.deactivated"
        ]
    );
    app.stop().await;
}

/// A yen has no decimals and a Bahraini dinar three: the confirmation mail writes each price
/// as that currency is written, not with two decimals always.
async fn amounts_are_written_in_their_currencys_decimals(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    for (code, price, currency) in [("support", 4900, "JPY"), ("backup", 1500, "bhd")] {
        app.api()
            .create_service(&service(code, code, price, currency))
            .await
            .unwrap();
    }
    register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let activated: Value = ok(
        activate(&app, "anna@example.com", &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let site = activated["site_id"].as_str().unwrap().to_owned();
    let anna = account_login(&app, "anna").await;
    for code in ["support", "backup"] {
        switch(&app, &anna, &site, code, true).await.unwrap();
    }
    let bodies: Vec<String> = app
        .mail_to("anna@example.com")
        .await
        .into_iter()
        .filter(|m| m.kind == "service.activated")
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies.len(), 2);
    assert!(bodies[0].contains("4900 JPY"), "{}", bodies[0]);
    assert!(!bodies[0].contains("49.00"), "{}", bodies[0]);
    assert!(bodies[1].contains("1.500 BHD"), "{}", bodies[1]);
}
