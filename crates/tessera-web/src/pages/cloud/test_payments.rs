//! The built-in test payment provider, mounted only with `[billing] test_payments = true`
//! (otherwise its paths are 404 like any unknown page). It stands where a real provider's
//! payment page would: it shows the order and "pay" or "decline". Paying does what a
//! provider does — a confirmation signed with the shared `payment_secret` — and hands it to
//! the very use case the provider's callback reaches (`billing::payments::confirm_payment`),
//! in-process, never over HTTP; then the customer is back on the order's page. No money
//! moves: never switch it on in production.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tessera_api::PaymentCallback;
use tessera_core::payment::sign;
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, Holds, right};
use tessera_server::billing::{orders, payments};
use tessera_server::error::ApiError;

use super::orders::OrderView;
use super::{PURCHASE_STEPS, Shown, Step, SummaryView, html, steps};
use crate::view::{Chrome, Ctx};

#[derive(Template)]
#[template(path = "cloud_test_payment.html")]
struct TestPaymentPage {
    chrome: Chrome,
    steps: Vec<Step>,
    order: OrderView,
    summary: SummaryView,
    approve: bool,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    me: &AccountUser,
    id: &str,
    refused: Option<Shown>,
) -> Result<Response, ApiError> {
    let order = orders::account_order(state, me, id).await?;
    let page = TestPaymentPage {
        chrome: Chrome::signed_in(ctx, me, "/cloud"),
        steps: steps(&ctx.tr, &PURCHASE_STEPS, 2),
        order: OrderView::of(&ctx.tr, &order, &state.zone),
        summary: SummaryView::of(&ctx.tr, &order.summary),
        approve: me
            .rights
            .contains(&tessera_core::rights::Right::ApproveCosts),
        error: refused.as_ref().map(|r| r.text.clone()),
    };
    let body = html(&page)?;
    Ok(match refused {
        Some(r) => r.answer(body),
        None => body.into_response(),
    })
}

/// `GET /test-payments/{order}`: the test provider's payment page.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    me: AccountUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    render(&state, &ctx, &me, &id, None).await
}

/// `POST /test-payments/{order}/pay`: the order paid in full, confirmed as the provider
/// confirms it. The payment's id is the order's, so paying twice records one payment.
pub async fn pay(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let order = orders::account_order(&state, &me, &id).await?;
    let callback = PaymentCallback {
        payment_id: format!("test-{}", order.order_id),
        order_id: order.order_id.clone(),
        amount: order.summary.total,
        currency: order.summary.currency.clone(),
    };
    let body = serde_json::to_vec(&callback).map_err(anyhow::Error::from)?;
    let secret = state
        .config
        .billing
        .payment_secret
        .clone()
        .unwrap_or_default();
    let signature = sign(secret.as_bytes(), state.clock.now().as_second(), &body);
    match payments::confirm_payment(&state, &signature, &body).await {
        Ok(_) => {
            tracing::warn!(order = %order.order_id, "order paid by the TEST payment provider");
            let to = format!("/cloud/orders/{}?done=paid", order.order_id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let refused = Shown::of(&ctx.tr, e)?;
            render(&state, &ctx, &me, &id, Some(refused)).await
        }
    }
}

/// `POST /test-payments/{order}/decline`: the payment declined; the order still waits.
pub async fn decline(
    State(state): State<AppState>,
    me: Holds<right::ApproveCosts>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let order = orders::account_order(&state, &me, &id).await?;
    let to = format!("/cloud/orders/{}?done=declined", order.order_id);
    Ok(Redirect::to(&to).into_response())
}
