//! The cloud service over HTTP (E1–E6), seed 000's story: register, trial, enable three
//! sites (codes mailed to their representatives over SMTP and used by the client), purchase,
//! the provider's callback (also replayed and forged), a renewal that drops a site, reminders
//! and expiry by the hourly job with a settable clock; and the races.

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use tessera_api::{
    ActivationRequest, Billing, BundleRef, CloudOverview, CloudToken, CreateProduct, NewEntry,
    NewOrder, NewPlan, NewSize, Order, PaymentReceipt, SiteData, Subscription,
};
use tessera_core::Clock;
use tessera_server::Config;

use crate::fixtures::*;
use crate::harness::*;

const SECRET: &str = "shared with the payment provider";

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
    let entry = |code: &str, name: &str| NewEntry {
        code: code.into(),
        name: name.into(),
    };
    let api = app.api();
    api.create_product(&CreateProduct {
        code: "ssm2".into(),
        name: "SSM 2.0".into(),
        editions: vec![entry("std", "Standard"), entry("pro", "Professional")],
        sizes: vec![NewSize {
            code: "s10".into(),
            name: "10 vehicles".into(),
            limits: [("vehicles".to_owned(), 10)].into(),
        }],
        modules: vec![],
        grace_days: None,
        max_transfers: None,
    })
    .await
    .unwrap();
    let mut keys = batch_keys(app, "ssm2", "std", "s10", n).await;
    keys.extend(batch_keys(app, "ssm2", "pro", "s10", 1).await);
    api.create_plan(&NewPlan {
        code: "cloud-s10".into(),
        service: "cloud".into(),
        name: "SSM 2.0 Cloud".into(),
        article_code: "F00772540".into(),
        price: 30000,
        currency: "EUR".into(),
        period_months: 12,
        trial_months: 6,
        trial_sites: 3,
        product: "ssm2".into(),
        bundles: vec![BundleRef {
            edition: "std".into(),
            size: "s10".into(),
        }],
    })
    .await
    .unwrap();
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
        let done = app
            .api_as(None)
            .activate(&ActivationRequest {
                email: Some(email.clone()),
                vat_number: None,
                product_key: key.clone(),
                fingerprint: fp(machine),
                installation: None,
            })
            .await
            .unwrap();
        let data = SiteData {
            company: "Rossi Trasporti".into(),
            branch: Some(format!("Depot {i}")),
            address: "Via Emilia 4".into(),
            zip: "20121".into(),
            locality: "Milano".into(),
            province: "MI".into(),
            nation: "IT".into(),
            representative_name: "Nicola".into(),
            representative_surname: "Luzzara".into(),
            representative_email: format!("rep{i}@{username}.example"),
        };
        app.api_as(Some(&done.site_token))
            .put_site_data(&data)
            .await
            .unwrap();
        sites.push(done.site_id);
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

fn billing_it() -> Billing {
    Billing {
        company: "Rossi Trasporti S.r.l.".into(),
        street: "Via Emilia 4".into(),
        place: "Milano".into(),
        postal_code: "20121".into(),
        region: None,
        country: "IT".into(),
        phone: None,
        invoice_email: "invoices@rossi.example".into(),
        e_invoice_consent: true,
        b2b: true,
        vat_number: Some("IT01234567897".into()),
    }
}

/// An order of `sites` seats of plan `cloud-s10`, billed to Rossi in Italy.
fn new_order(sites: u32) -> NewOrder {
    NewOrder {
        plan: "cloud-s10".into(),
        sites,
        keep: None,
        billing: billing_it(),
    }
}

/// Orders, as sent (the stories also send the refused ones).
async fn order(app: &TestApp, token: &str, body: &NewOrder) -> Response {
    let body = serde_json::to_value(body).unwrap();
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

// The stories, one file per idea.
mod license;
mod races;
mod seed_000;
