//! The cloud service over HTTP (E1–E6), seed 000's story: register, trial, enable three
//! sites (codes mailed to their representatives over SMTP and used by the client), purchase,
//! the provider's callback (also replayed and forged), a renewal that drops a site, reminders
//! and expiry by the hourly job with a settable clock; and the races.

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use tessera_api::{CloudOverview, CloudToken, Order, PaymentReceipt, Subscription};
use tessera_core::Clock;
use tessera_server::Config;

use crate::fixtures::*;
use crate::harness::*;

const SECRET: &str = "shared with the payment provider";

both_backends!(
    the_cloud_story_of_seed_000 with cloud_config,
    cloud_races_grant_once with racing_config,
);

/// The seller's details, VAT rates and the payment provider's secret.
pub(crate) fn cloud_config(config: &mut Config) {
    config.billing.seller_name = Some("Vendor S.p.A.".into());
    config.billing.seller_address = vec!["Via Roma 1".into(), "42100 Reggio Emilia".into()];
    config.billing.seller_country = Some("IT".into());
    config.billing.seller_vat_number = Some("IT00743110157".into());
    config.billing.vat_rates = [("IT".to_owned(), 2200), ("DE".to_owned(), 1900)].into();
    config.billing.payment_secret = Some(SECRET.into());
}

/// [`cloud_config`] with three wrong codes a minute per site code.
fn racing_config(config: &mut Config) {
    cloud_config(config);
    config.rate_limits.cloud_codes_per_site_code = 3;
}

/// Product `ssm2` with editions std < pro and size s10; a plan `cloud-s10` covering std/s10
/// at 300.00 EUR per site and year, trial 6 months for 3 sites; `n` std keys and one pro key
/// (the last).
pub(crate) async fn catalog(app: &TestApp, n: u32) -> Vec<String> {
    let _: Value = ok(
        app.post(
            "/api/v1/products",
            &json!({
                "code": "ssm2", "name": "SSM 2.0",
                "editions": [{"code": "std", "name": "Standard"}, {"code": "pro", "name": "Professional"}],
                "sizes": [{"code": "s10", "name": "10 vehicles", "limits": {"vehicles": 10}}],
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let mut keys = batch_keys(app, "ssm2", "std", "s10", n).await;
    keys.extend(batch_keys(app, "ssm2", "pro", "s10", 1).await);
    let _: Value = ok(
        app.post(
            "/api/v1/plans",
            &json!({
                "code": "cloud-s10", "service": "cloud", "name": "SSM 2.0 Cloud",
                "article_code": "F00772540", "price": 30000, "currency": "EUR",
                "trial_sites": 3, "product": "ssm2",
                "bundles": [{"edition": "std", "size": "s10"}],
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    keys
}

/// Registers `username` with all `keys`, activates each on its own machine and sends site
/// data naming `rep<i>@<username>.example` as representative; returns the portal token and
/// the site ids in key order.
pub(crate) async fn customer(
    app: &TestApp,
    username: &str,
    vat: &str,
    keys: &[String],
) -> (String, Vec<String>) {
    let email = format!("{username}@example.com");
    register(app, username, &email, vat, &keys[0]).await;
    let token = account_login(app, username).await;
    for key in &keys[1..] {
        add_key(app, &token, key).await;
    }
    let mut sites = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let machine = char::from_digit(i as u32 + 1, 16).unwrap();
        let done: Value = ok(
            activate(app, &email, key, &fp(machine)).await,
            StatusCode::CREATED,
        )
        .await;
        let site_token = done["site_token"].as_str().unwrap();
        let data = json!({
            "company": "Rossi Trasporti", "branch": format!("Depot {i}"), "address": "Via Emilia 4",
            "zip": "20121", "locality": "Milano", "province": "MI", "nation": "IT",
            "representative_name": "Nicola", "representative_surname": "Luzzara",
            "representative_email": format!("rep{i}@{username}.example"),
        });
        let resp = app
            .call(
                Method::PUT,
                "/api/v1/site/data",
                Some(&data),
                Some(site_token),
            )
            .await;
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "{}",
            resp.text().await.unwrap()
        );
        sites.push(done["site_id"].as_str().unwrap().to_owned());
    }
    (token, sites)
}

/// Asks for the trial of plan `cloud-s10`.
pub(crate) async fn start_trial(app: &TestApp, token: &str) -> Response {
    app.call(
        Method::POST,
        "/api/v1/account/cloud/trial",
        Some(&json!({"plan": "cloud-s10"})),
        Some(token),
    )
    .await
}

async fn overview(app: &TestApp, token: &str) -> CloudOverview {
    ok(
        app.call(Method::GET, "/api/v1/account/cloud", None, Some(token))
            .await,
        StatusCode::OK,
    )
    .await
}

fn cloud_of(view: &CloudOverview, site: &str) -> String {
    view.groups
        .iter()
        .flat_map(|g| &g.sites)
        .find(|s| s.site_id == site)
        .map(|s| s.cloud.clone())
        .unwrap()
}

pub(crate) async fn enable(app: &TestApp, token: &str, sites: &[&String]) -> Response {
    app.call(
        Method::POST,
        "/api/v1/account/cloud/sites",
        Some(&json!({"sites": sites})),
        Some(token),
    )
    .await
}

fn billing_it() -> Value {
    json!({
        "company": "Rossi Trasporti S.r.l.", "street": "Via Emilia 4", "place": "Milano",
        "postal_code": "20121", "country": "IT", "invoice_email": "invoices@rossi.example",
        "e_invoice_consent": true, "b2b": true, "vat_number": "IT01234567897",
    })
}

async fn order(app: &TestApp, token: &str, body: Value) -> Response {
    app.call(
        Method::POST,
        "/api/v1/account/cloud/orders",
        Some(&body),
        Some(token),
    )
    .await
}

/// The provider's callback, signed at `t` with `secret`.
async fn callback_signed(app: &TestApp, body: &Value, secret: &str, t: i64) -> Response {
    let raw = serde_json::to_vec(body).unwrap();
    app.http
        .post(format!("{}/api/v1/payments/callback", app.base))
        .header("content-type", "application/json")
        .header(
            "tessera-signature",
            tessera_core::payment::sign(secret.as_bytes(), t, &raw),
        )
        .body(raw)
        .send()
        .await
        .unwrap()
}

async fn callback(app: &TestApp, body: &Value) -> Response {
    callback_signed(app, body, SECRET, app.clock.now().as_second()).await
}

async fn pay(app: &TestApp, order: &Order, payment_id: &str) -> PaymentReceipt {
    ok(
        callback(
            app,
            &json!({"payment_id": payment_id, "order_id": order.order_id,
                    "amount": order.summary.total, "currency": order.summary.currency}),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

/// The value after `label` on a line of a mail's text.
pub(crate) fn code_after(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} in {text}"))
        .trim()
        .to_owned()
}

/// The mail the sink received for `to`, after letting the mail job run.
pub(crate) async fn mail_for(app: &TestApp, to: &str) -> String {
    app.clock.advance(SignedDuration::from_secs(11));
    app.run_jobs().await;
    until(&format!("mail to {to}"), async || {
        app.smtp
            .received()
            .into_iter()
            .find(|m| m.to.iter().any(|t| t == to))
            .map(|m| m.text())
    })
    .await
}

async fn cloud_status(app: &TestApp, token: &str) -> Response {
    app.call(Method::GET, "/api/v1/cloud/status", None, Some(token))
        .await
}

async fn exchange(app: &TestApp, site_code: &str, activation_code: &str) -> Response {
    app.call(
        Method::POST,
        "/api/v1/cloud/activate",
        Some(&json!({"site_code": site_code, "activation_code": activation_code})),
        None,
    )
    .await
}

/// Moves the clock to `at` (forward only), lets the jobs run and signs the operator in again.
async fn move_to(app: &mut TestApp, at: Timestamp) {
    app.clock.advance(at.duration_since(app.clock.now()));
    app.run_jobs().await;
    app.sign_in().await;
}

/// Waits for a finished run of the expiry job (of another period than `not`); its period.
async fn last_expiry_run(app: &TestApp, not: Option<&str>) -> String {
    until("an expiry run", async || {
        let runs: Value = ok(app.get("/api/v1/jobs?job=expiry").await, StatusCode::OK).await;
        let run = &runs["runs"][0];
        let period = run["period"].as_str()?;
        (run["outcome"] == "done" && Some(period) != not).then(|| period.to_owned())
    })
    .await
}

/// How many mails of `kind` the outbox holds for `to`.
async fn queued(app: &TestApp, to: &str, kind: &str) -> usize {
    app.store
        .mail_to(to)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.kind == kind)
        .count()
}

async fn the_cloud_story_of_seed_000(mut app: TestApp) {
    let keys = catalog(&app, 4).await;
    let (token, sites) = customer(&app, "ib50", IT_VATS[0], &keys).await;
    let pro_site = &sites[4];

    // The set-up page before anything: grouped by edition, nothing enabled.
    let view = overview(&app, &token).await;
    assert!(view.subscription.is_none());
    let groups: Vec<_> = view
        .groups
        .iter()
        .map(|g| (g.edition.as_str(), g.available, g.active))
        .collect();
    assert_eq!(groups, [("std", 4, 0), ("pro", 1, 0)]);
    error(
        enable(&app, &token, &[&sites[0]]).await,
        StatusCode::NOT_FOUND,
        "SUBSCRIPTION_NOT_FOUND",
    )
    .await;

    // Try & Buy: once.
    let trial: Subscription = ok(start_trial(&app, &token).await, StatusCode::CREATED).await;
    assert_eq!((trial.state.as_str(), trial.seats), ("trialing", 3));
    assert_eq!(trial.expires_at, "2027-05-23T09:00:00Z");
    error(
        start_trial(&app, &token).await,
        StatusCode::CONFLICT,
        "TRIAL_USED",
    )
    .await;

    // Enabling: only what the plan covers (std/s10), one edition and size, no more than the
    // seats; all or nothing. A site the plan does not cover never fixes the bundle, first or not.
    for selection in [vec![pro_site], vec![&sites[0], pro_site]] {
        let e = error(
            enable(&app, &token, &selection).await,
            StatusCode::CONFLICT,
            "PLAN_MISMATCH",
        )
        .await;
        assert!(e.message.contains(pro_site.as_str()), "{}", e.message);
    }
    error(
        enable(&app, &token, &[&sites[0], &sites[1], &sites[2], &sites[3]]).await,
        StatusCode::CONFLICT,
        "SEATS_EXCEEDED",
    )
    .await;
    assert_eq!(
        overview(&app, &token).await.active,
        0,
        "a refused selection enables nothing"
    );
    let view: CloudOverview = ok(
        enable(&app, &token, &[&sites[0], &sites[1], &sites[2]]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((view.available, view.active), (5, 3));
    assert_eq!(view.groups[0].active, 3);
    error(
        enable(&app, &token, &[pro_site]).await,
        StatusCode::CONFLICT,
        "PLAN_MISMATCH",
    )
    .await;
    error(
        enable(&app, &token, &[&sites[3]]).await,
        StatusCode::CONFLICT,
        "SEATS_EXCEEDED",
    )
    .await;

    // Each representative receives the two codes over SMTP; the client exchanges them.
    let mut cloud_tokens = Vec::new();
    for (i, site) in sites[..3].iter().enumerate() {
        let text = mail_for(&app, &format!("rep{i}@ib50.example")).await;
        let activation = code_after(&text, "Activation code:");
        let site_code = code_after(&text, "Site code:");
        error(
            exchange(&app, &site_code, "AAAA-BBBB-CCCC-DDDD").await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        )
        .await;
        error(
            exchange(&app, "ZZZZ-ZZZZ", &activation).await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        )
        .await;
        let got: CloudToken = ok(
            exchange(&app, &site_code.to_lowercase(), &activation).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            (got.site_id.as_str(), got.state.as_str()),
            (site.as_str(), "trialing")
        );
        let _: Value = ok(cloud_status(&app, &got.cloud_token).await, StatusCode::OK).await;
        cloud_tokens.push(got.cloud_token);
    }
    error(
        cloud_status(&app, "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // A site is not dropped mid-term.
    error(
        app.call(
            Method::DELETE,
            &format!("/api/v1/account/cloud/sites/{}", sites[0]),
            None,
            Some(&token),
        )
        .await,
        StatusCode::CONFLICT,
        "SITE_LOCKED_UNTIL_RENEWAL",
    )
    .await;

    // Purchase: the summary, then the provider's callback.
    let mut body = json!({"plan": "cloud-s10", "sites": 3, "billing": billing_it()});
    body["billing"]["vat_number"] = json!(null);
    error(
        order(&app, &token, body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VAT_NUMBER_REQUIRED",
    )
    .await;
    let bought: Order = ok(
        order(
            &app,
            &token,
            json!({"plan": "cloud-s10", "sites": 3, "billing": billing_it()}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (bought.kind.as_str(), bought.status.as_str()),
        ("purchase", "awaiting_payment")
    );
    let s = &bought.summary;
    assert_eq!(
        (s.article_code.as_str(), s.net, s.vat, s.total),
        ("F00772540", 90_000, 19_800, 109_800)
    );
    assert_eq!(
        (
            s.vat_rate.as_str(),
            s.vat_treatment.as_str(),
            s.purchase_date.as_str()
        ),
        ("22.00%", "charged", "2026-11-23")
    );

    let now = app.clock.now().as_second();
    let paid = json!({"payment_id": "Q10270", "order_id": bought.order_id, "amount": 109_800, "currency": "EUR"});
    error(
        callback_signed(&app, &paid, "guessed secret", now).await,
        StatusCode::UNAUTHORIZED,
        "SIGNATURE_INVALID",
    )
    .await;
    error(
        callback_signed(&app, &paid, SECRET, now - 600).await,
        StatusCode::UNAUTHORIZED,
        "SIGNATURE_STALE",
    )
    .await;
    let unsigned = app
        .http
        .post(format!("{}/api/v1/payments/callback", app.base))
        .json(&paid)
        .send()
        .await
        .unwrap();
    error(unsigned, StatusCode::UNAUTHORIZED, "SIGNATURE_MALFORMED").await;
    let mut wrong = paid.clone();
    wrong["amount"] = json!(100);
    wrong["payment_id"] = json!("Q-WRONG");
    error(
        callback(&app, &wrong).await,
        StatusCode::CONFLICT,
        "AMOUNT_MISMATCH",
    )
    .await;
    // A refused payment leaves its trace for the vendor to refund.
    let refused: tessera_api::OperationPage = ok(
        app.get("/api/v1/operations?outcome=refused").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        refused
            .operations
            .iter()
            .any(|o| o.operation == "POST /api/v1/payments/callback"
                && o.code.as_deref() == Some("AMOUNT_MISMATCH")),
        "{:?}",
        refused.operations
    );
    let mut unknown = paid.clone();
    unknown["order_id"] = json!("ord_unknown");
    unknown["payment_id"] = json!("Q-UNKNOWN");
    error(
        callback(&app, &unknown).await,
        StatusCode::NOT_FOUND,
        "ORDER_NOT_FOUND",
    )
    .await;
    let receipt: PaymentReceipt = ok(callback(&app, &paid).await, StatusCode::OK).await;
    assert_eq!(
        (receipt.invoice.as_str(), receipt.recorded),
        ("2026-000001", true)
    );
    let again: PaymentReceipt = ok(callback(&app, &paid).await, StatusCode::OK).await;
    assert_eq!(
        (again.invoice.as_str(), again.recorded),
        ("2026-000001", false)
    );
    let mut second = paid.clone();
    second["payment_id"] = json!("Q10271");
    for _ in 0..2 {
        error(
            callback(&app, &second).await,
            StatusCode::CONFLICT,
            "ORDER_ALREADY_PAID",
        )
        .await;
    }
    // Each refused payment is kept once for the vendor to refund, newest first.
    let unapplied: tessera_api::UnappliedPayments =
        ok(app.get("/api/v1/payments/unapplied").await, StatusCode::OK).await;
    let kept: Vec<(&str, &str, i64)> = unapplied
        .payments
        .iter()
        .map(|p| (p.payment_id.as_str(), p.reason.as_str(), p.amount))
        .collect();
    assert_eq!(
        kept,
        [
            ("Q10271", "ORDER_ALREADY_PAID", 109_800),
            ("Q-UNKNOWN", "ORDER_NOT_FOUND", 109_800),
            ("Q-WRONG", "AMOUNT_MISMATCH", 100),
        ]
    );
    error(
        app.call(
            Method::GET,
            "/api/v1/payments/unapplied",
            None,
            Some(&token),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // Active for a year from the payment; the trial's sites carried over; no trial again.
    let view = overview(&app, &token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.state.as_str(), sub.seats, sub.expires_at.as_str()),
        ("active", 3, "2027-11-23T09:00:33Z"),
        "a year from the payment (the mail job's clock steps moved it 33 s past 09:00)"
    );
    assert_eq!(view.active, 3);
    let standing: Value = ok(cloud_status(&app, &cloud_tokens[0]).await, StatusCode::OK).await;
    assert_eq!(standing["state"], "active");
    error(
        start_trial(&app, &token).await,
        StatusCode::CONFLICT,
        "TRIAL_AFTER_PURCHASE",
    )
    .await;

    // The invoice: listed, printable, mailed to the invoice address.
    let invoices: Value = ok(
        app.call(Method::GET, "/api/v1/account/invoices", None, Some(&token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(invoices["invoices"][0]["number"], "2026-000001");
    assert_eq!(invoices["invoices"][0]["total"], 109_800);
    let page = app
        .call(
            Method::GET,
            "/api/v1/account/invoices/2026-000001",
            None,
            Some(&token),
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
    let paid_mail = mail_for(&app, "invoices@rossi.example").await;
    assert!(paid_mail.contains("2026-000001"), "{paid_mail}");

    // The key of site 3 is upgraded to pro: "cloud disabled: license mismatch".
    let _: Value = ok(
        app.post(
            &format!("/api/v1/keys/{}/edition", keys[2]),
            &json!({"edition": "pro"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        cloud_of(&overview(&app, &token).await, &sites[2]),
        "license_mismatch"
    );
    error(
        cloud_status(&app, &cloud_tokens[2]).await,
        StatusCode::FORBIDDEN,
        "CLOUD_LICENSE_MISMATCH",
    )
    .await;
    // The site's own license comes first: suspended by the vendor, it is out of the cloud
    // until resumed.
    let suspend = async |action: &str| {
        app.post(
            &format!("/api/v1/sites/{}/{action}", sites[1]),
            &json!({"reason": "unpaid"}),
        )
        .await
    };
    assert_eq!(suspend("suspend").await.status(), StatusCode::OK);
    error(
        cloud_status(&app, &cloud_tokens[1]).await,
        StatusCode::FORBIDDEN,
        "LICENSE_SUSPENDED",
    )
    .await;
    assert_eq!(suspend("resume").await.status(), StatusCode::OK);
    let _: Value = ok(cloud_status(&app, &cloud_tokens[1]).await, StatusCode::OK).await;

    // Renewal before expiry, dropping site 3: extends from the old expiry.
    move_to(&mut app, "2027-10-01T10:00:00Z".parse().unwrap()).await;
    let token = account_login(&app, "ib50").await;
    let mut renewal = json!({"plan": "cloud-s10", "sites": 2, "keep": [&sites[0], &sites[1], &sites[2]], "billing": billing_it()});
    error(
        order(&app, &token, renewal.clone()).await,
        StatusCode::CONFLICT,
        "KEEP_EXCEEDS_QUANTITY",
    )
    .await;
    renewal["keep"] = json!([&sites[0], &sites[3]]);
    error(
        order(&app, &token, renewal.clone()).await,
        StatusCode::CONFLICT,
        "KEEP_UNKNOWN_SITE",
    )
    .await;
    renewal["keep"] = json!([&sites[0], &sites[1]]);
    let renewed: Order = ok(order(&app, &token, renewal).await, StatusCode::CREATED).await;
    assert_eq!(
        (renewed.kind.as_str(), renewed.summary.total),
        ("renewal", 73_200)
    );
    let receipt = pay(&app, &renewed, "Q20001").await;
    assert_eq!(receipt.invoice, "2027-000001", "numbers restart each year");
    // Paid early, the new year starts at the old expiry: until then the paid term runs as
    // bought (three seats, site 2 still in), and no second renewal can be ordered.
    let view = overview(&app, &token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.seats, sub.expires_at.as_str()),
        (3, "2028-11-23T09:00:33Z"),
        "the expiry moves at once, the seats when the new year starts"
    );
    assert_eq!(cloud_of(&view, &sites[2]), "license_mismatch");
    error(
        order(
            &app,
            &token,
            json!({"plan": "cloud-s10", "sites": 2, "billing": billing_it()}),
        )
        .await,
        StatusCode::CONFLICT,
        "RENEWAL_PENDING",
    )
    .await;
    let before = last_expiry_run(&app, None).await;
    move_to(&mut app, "2027-11-23T09:05:00Z".parse().unwrap()).await;
    last_expiry_run(&app, Some(&before)).await;
    let token = account_login(&app, "ib50").await;
    let view = overview(&app, &token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.seats, sub.state.as_str(), sub.expires_at.as_str()),
        (2, "active", "2028-11-23T09:00:33Z"),
        "the new year has started"
    );
    assert_eq!(cloud_of(&view, &sites[2]), "not_enabled");
    assert_eq!(cloud_of(&view, &sites[0]), "enabled");
    error(
        cloud_status(&app, &cloud_tokens[2]).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // Reminders 30, 7 and 1 day before, then expiry, each once, by the hourly job.
    let expiry: Timestamp = "2028-11-23T09:00:33Z".parse().unwrap();
    let account_mail = "ib50@example.com";
    for (days, kind, count) in [
        (30, "subscription.reminder", 1),
        (7, "subscription.reminder", 2),
        (1, "subscription.reminder", 3),
        (0, "subscription.expired", 1),
    ] {
        move_to(
            &mut app,
            expiry - SignedDuration::from_hours(days * 24) + SignedDuration::from_mins(5),
        )
        .await;
        until(&format!("{kind} {days}"), async || {
            (queued(&app, account_mail, kind).await == count).then_some(())
        })
        .await;
        // An hour later the job runs again and queues nothing new.
        let first = last_expiry_run(&app, None).await;
        move_to(
            &mut app,
            expiry - SignedDuration::from_hours(days * 24) + SignedDuration::from_mins(65),
        )
        .await;
        last_expiry_run(&app, Some(&first)).await;
        assert_eq!(
            queued(&app, account_mail, kind).await,
            count,
            "{kind} {days} once"
        );
    }
    let reminder = mail_for(&app, account_mail).await;
    assert!(reminder.contains("ib50"), "{reminder}");
    let subs: Value = ok(app.get("/api/v1/subscriptions").await, StatusCode::OK).await;
    assert_eq!(subs["subscriptions"][0]["state"], "expired");
    let stored = app
        .store
        .subscription(
            subs["subscriptions"][0]["account_id"].as_i64().unwrap(),
            "cloud",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.state.as_str(),
        "expired",
        "the job wrote the expiry down"
    );
    error(
        cloud_status(&app, &cloud_tokens[0]).await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_EXPIRED",
    )
    .await;
    let token = account_login(&app, "ib50").await;
    error(
        enable(&app, &token, &[&sites[3]]).await,
        StatusCode::CONFLICT,
        "SUBSCRIPTION_EXPIRED",
    )
    .await;

    // Renewed after expiry: the new year runs from the payment.
    move_to(&mut app, "2028-12-10T12:00:00Z".parse().unwrap()).await;
    let token = account_login(&app, "ib50").await;
    let late: Order = ok(
        order(
            &app,
            &token,
            json!({"plan": "cloud-s10", "sites": 2, "billing": billing_it()}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(pay(&app, &late, "Q30001").await.invoice, "2028-000001");
    let sub = overview(&app, &token).await.subscription.unwrap();
    assert_eq!(
        (sub.state.as_str(), sub.expires_at.as_str()),
        ("active", "2029-12-10T12:00:00Z")
    );
    let _: Value = ok(cloud_status(&app, &cloud_tokens[0]).await, StatusCode::OK).await;

    // Operators block and delete; each state refuses with its own code.
    let id = sub.id;
    for (state, status, code) in [
        ("blocked", StatusCode::FORBIDDEN, "SUBSCRIPTION_BLOCKED"),
        (
            "maintenance",
            StatusCode::FORBIDDEN,
            "SUBSCRIPTION_MAINTENANCE",
        ),
        ("deleted", StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
    ] {
        let path = format!("/api/v1/subscriptions/{id}/state");
        let _: Value = ok(
            app.post(&path, &json!({"state": state})).await,
            StatusCode::OK,
        )
        .await;
        error(cloud_status(&app, &cloud_tokens[0]).await, status, code).await;
    }
    error(
        app.post(
            &format!("/api/v1/subscriptions/{id}/state"),
            &json!({"state": "active"}),
        )
        .await,
        StatusCode::CONFLICT,
        "SUBSCRIPTION_DELETED",
    )
    .await;
    app.stop().await;
}

/// Two trials at once grant one; two enablements at once never pass the seats; wrong codes
/// are rate-limited; a callback delivered twice at once records one payment; payments at
/// once get gap-free invoice numbers.
async fn cloud_races_grant_once(app: TestApp) {
    let keys = catalog(&app, 4).await;
    let (token, sites) = customer(&app, "racer", IT_VATS[1], &keys[..4]).await;

    let plan = json!({"plan": "cloud-s10"});
    let trial = || {
        app.call(
            Method::POST,
            "/api/v1/account/cloud/trial",
            Some(&plan),
            Some(&token),
        )
    };
    let (a, b) = tokio::join!(trial(), trial());
    one_won(a, b, StatusCode::CREATED, "TRIAL_USED").await;

    // 3 seats: two selections of two at once; one wins, nothing beyond the seats.
    let (left, right) = ([&sites[0], &sites[1]], [&sites[2], &sites[3]]);
    let (a, b) = tokio::join!(enable(&app, &token, &left), enable(&app, &token, &right));
    one_won(a, b, StatusCode::OK, "SEATS_EXCEEDED").await;
    assert_eq!(overview(&app, &token).await.active, 2);

    // Wrong codes: three tries per site code a minute, then 429 even for the right ones.
    let enabled: Vec<String> = overview(&app, &token).await.groups[0]
        .sites
        .iter()
        .filter(|s| s.cloud == "enabled")
        .map(|s| s.email.clone().unwrap())
        .collect();
    let text = mail_for(&app, &enabled[0]).await;
    let (activation, site_code) = (
        code_after(&text, "Activation code:"),
        code_after(&text, "Site code:"),
    );
    for _ in 0..3 {
        error(
            exchange(&app, &site_code, "WRONG").await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        )
        .await;
    }
    error(
        exchange(&app, &site_code, &activation).await,
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
    )
    .await;

    // One callback delivered twice at the same moment: one payment, one invoice.
    let first: Order = ok(
        order(
            &app,
            &token,
            json!({"plan": "cloud-s10", "sites": 2, "billing": billing_it()}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let body = json!({"payment_id": "P-1", "order_id": first.order_id, "amount": first.summary.total, "currency": "EUR"});
    let (a, b) = tokio::join!(callback(&app, &body), callback(&app, &body));
    let a: PaymentReceipt = ok(a, StatusCode::OK).await;
    let b: PaymentReceipt = ok(b, StatusCode::OK).await;
    assert_eq!(a.invoice, b.invoice);
    assert_eq!([a.recorded, b.recorded].iter().filter(|r| **r).count(), 1);

    // Four payments at once (three new buyers and the racer's renewal): invoice numbers
    // 2..5, none missing, none twice.
    let mut orders = vec![
        ok::<Order>(
            order(
                &app,
                &token,
                json!({"plan": "cloud-s10", "sites": 2, "billing": billing_it()}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await,
    ];
    for (i, vat) in [IT_VATS[0], IT_VATS[2], IT_VATS[3]].into_iter().enumerate() {
        let name = format!("buyer{i}");
        let key = batch_keys(&app, "ssm2", "std", "s10", 1).await.remove(0);
        register(&app, &name, &format!("{name}@example.com"), vat, &key).await;
        let t = account_login(&app, &name).await;
        orders.push(
            ok::<Order>(
                order(
                    &app,
                    &t,
                    json!({"plan": "cloud-s10", "sites": 1, "billing": billing_it()}),
                )
                .await,
                StatusCode::CREATED,
            )
            .await,
        );
    }
    let paid = futures_join_all(&app, &orders).await;
    let mut numbers: Vec<String> = paid.into_iter().map(|r| r.invoice).collect();
    numbers.sort();
    let expected: Vec<String> = (2..=5).map(|n| format!("2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
    app.stop().await;
}

/// Of two racing requests, one answered `won` and the other 409 with `code`.
async fn one_won(a: Response, b: Response, won: StatusCode, code: &str) {
    let (winner, loser) = if a.status() == won { (a, b) } else { (b, a) };
    assert_eq!(winner.status(), won, "{}", winner.text().await.unwrap());
    error(loser, StatusCode::CONFLICT, code).await;
}

/// Pays every order at once.
async fn futures_join_all(app: &TestApp, orders: &[Order]) -> Vec<PaymentReceipt> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, o) in orders.iter().enumerate() {
        let http = app.http.clone();
        let url = format!("{}/api/v1/payments/callback", app.base);
        let raw = serde_json::to_vec(
            &json!({"payment_id": format!("BULK-{i}"), "order_id": o.order_id,
            "amount": o.summary.total, "currency": "EUR"}),
        )
        .unwrap();
        let signature =
            tessera_core::payment::sign(SECRET.as_bytes(), app.clock.now().as_second(), &raw);
        tasks.spawn(async move {
            http.post(url)
                .header("content-type", "application/json")
                .header("tessera-signature", signature)
                .body(raw)
                .send()
                .await
                .unwrap()
        });
    }
    let mut receipts = Vec::new();
    while let Some(resp) = tasks.join_next().await {
        receipts.push(ok::<PaymentReceipt>(resp.unwrap(), StatusCode::OK).await);
    }
    receipts
}
