//! The cloud routes as the stories call them: typed calls whose refusals the stories check
//! with `refused`, and the payment provider's signed callback.

use tessera_api::{
    Billing, CloudActivation, CloudStanding, CloudToken, EnableSites, StartTrial, Subscription,
};

use super::*;

/// Asks for the trial of plan `cloud-s10`.
pub(crate) async fn start_trial(app: &TestApp, token: &str) -> ApiResult<Subscription> {
    let plan = StartTrial {
        plan: "cloud-s10".into(),
        terms_accepted: true,
    };
    app.api_as(Some(token)).start_trial(&plan).await
}

/// The account's cloud set-up page.
pub(crate) async fn overview(app: &TestApp, token: &str) -> CloudOverview {
    app.api_as(Some(token)).cloud().await.unwrap()
}

/// Where `site` stands on the set-up page (`enabled`, `not_enabled`, `license_mismatch`…).
pub(crate) fn cloud_of(view: &CloudOverview, site: &str) -> String {
    view.groups
        .iter()
        .flat_map(|g| &g.sites)
        .find(|s| s.site_id == site)
        .map(|s| s.cloud.clone())
        .unwrap()
}

/// Enables `sites` for the cloud, all or nothing.
pub(crate) async fn enable(
    app: &TestApp,
    token: &str,
    sites: &[&String],
) -> ApiResult<CloudOverview> {
    let sites = EnableSites {
        sites: sites.iter().map(|s| s.to_string()).collect(),
    };
    app.api_as(Some(token)).enable_sites(&sites).await
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
pub(crate) fn new_order(sites: u32) -> NewOrder {
    NewOrder {
        plan: "cloud-s10".into(),
        sites,
        keep: None,
        billing: billing_it(),
        terms_accepted: true,
    }
}

/// Orders, as sent (the stories also send the refused ones).
pub(crate) async fn order(app: &TestApp, token: &str, body: &NewOrder) -> ApiResult<Order> {
    app.api_as(Some(token)).create_order(body).await
}

/// The provider's confirmation that `order` was paid in full.
pub(crate) fn payment(order: &Order, payment_id: &str) -> PaymentCallback {
    PaymentCallback {
        payment_id: payment_id.into(),
        order_id: order.order_id.clone(),
        amount: order.summary.total,
        currency: order.summary.currency.clone(),
    }
}

/// The provider's callback, signed at `t` with `secret`.
pub(crate) async fn callback_signed(
    app: &TestApp,
    body: &PaymentCallback,
    secret: &str,
    t: i64,
) -> Response {
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

/// The provider's callback, signed now with the shared secret.
pub(crate) async fn callback(app: &TestApp, body: &PaymentCallback) -> Response {
    callback_signed(app, body, SECRET, app.clock.now().as_second()).await
}

/// Pays `order` in full; the receipt.
pub(crate) async fn pay(app: &TestApp, order: &Order, payment_id: &str) -> PaymentReceipt {
    ok(
        callback(app, &payment(order, payment_id)).await,
        StatusCode::OK,
    )
    .await
}

/// Where a site's cloud access stands, asked with its cloud token.
pub(crate) async fn cloud_status(app: &TestApp, token: &str) -> ApiResult<CloudStanding> {
    app.api_as(Some(token)).cloud_status().await
}

/// The client's exchange of the mailed codes for a cloud token.
pub(crate) async fn exchange(
    app: &TestApp,
    site_code: &str,
    activation_code: &str,
) -> ApiResult<CloudToken> {
    exchange_at(app, site_code, activation_code, None).await
}

/// The exchange by a program that says its version (`product_version`).
pub(crate) async fn exchange_at(
    app: &TestApp,
    site_code: &str,
    activation_code: &str,
    product_version: Option<&str>,
) -> ApiResult<CloudToken> {
    let codes = CloudActivation {
        site_code: site_code.into(),
        activation_code: activation_code.into(),
        product_version: product_version.map(str::to_owned),
    };
    app.api_as(None).cloud_activate(&codes).await
}
