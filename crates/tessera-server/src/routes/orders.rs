//! Buying the cloud service (E2–E3): the portal places an order (a purchase, or a renewal
//! that may drop sites) and gets its summary, lists its orders and cancels one not yet
//! paid; the payment provider's signed callback records the payment, extends the
//! subscription and issues the invoice; invoices are listed and downloaded as printable
//! HTML.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tessera_api::{
    InvoiceList, NewOrder, Order, OrderList, PaymentCallback, PaymentReceipt, UnappliedPayments,
};
use tessera_core::payment::SIGNATURE_HEADER;
use tessera_store::{InvoiceDocument, PaymentOutcome};
use utoipa::IntoParams;

use crate::actors::{AccountUser, Holds, Operator, right};
use crate::billing::{invoice, orders, payments};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

/// Place an order awaiting payment (E2): a purchase, or a renewal (the account has bought
/// before) that keeps the sites listed in `keep`. The answer's summary is what the customer
/// confirms before paying; its `order_id` goes to the payment provider, which must confirm
/// the payment before `expires_at`. Needs `actions.costly.approve`.
#[utoipa::path(post, path = "/api/v1/account/cloud/orders", tag = "cloud", request_body = NewOrder,
    security(("account_token" = [])),
    responses(
        (status = 201, body = Order),
        (status = 404, description = "PLAN_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "PLAN_MISMATCH, KEEP_UNKNOWN_SITE, KEEP_EXCEEDS_QUANTITY, RENEWAL_PENDING, SUBSCRIPTION_BLOCKED, SUBSCRIPTION_DELETED", body = tessera_api::ErrorBody),
        (status = 422, description = "TERMS_NOT_ACCEPTED, SITES_INVALID, VAT_NUMBER_REQUIRED, VAT_RATE_UNKNOWN, a billing field", body = tessera_api::ErrorBody),
        (status = 503, description = "BILLING_NOT_CONFIGURED", body = tessera_api::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    me: Holds<right::ApproveCosts>,
    ApiJson(req): ApiJson<NewOrder>,
) -> ApiResult<(StatusCode, ApiJson<Order>)> {
    let created = orders::place_order(&state, &me, &req).await?;
    let body = orders::order_view(&created, &state.zone, state.clock.now())?;
    Ok((StatusCode::CREATED, ApiJson(body)))
}

/// The account's orders, newest first, each with its status: `awaiting_payment`, `paid`,
/// `cancelled` or `expired`.
#[utoipa::path(get, path = "/api/v1/account/cloud/orders", tag = "cloud",
    security(("account_token" = [])),
    responses((status = 200, body = OrderList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn own_orders(
    State(state): State<AppState>,
    me: AccountUser,
) -> ApiResult<ApiJson<OrderList>> {
    Ok(ApiJson(OrderList {
        orders: orders::account_orders(&state, &me).await?,
        next_before: None,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AllOrdersQuery {
    /// Orders placed before this cursor (from `next_before`).
    pub before: Option<i64>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// Every account's orders, newest first, each with its account and status (operators).
#[utoipa::path(get, path = "/api/v1/orders", tag = "cloud", params(AllOrdersQuery),
    security(("operator_token" = [])),
    responses(
        (status = 200, body = OrderList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 422, description = "INVALID_LIMIT", body = tessera_api::ErrorBody),
    ))]
pub async fn all(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<AllOrdersQuery>,
) -> ApiResult<ApiJson<OrderList>> {
    let (orders, next_before) =
        crate::accounts::customers::all_orders(&state, &op, q.before, q.limit).await?;
    Ok(ApiJson(OrderList {
        orders,
        next_before,
    }))
}

/// One of the account's orders.
#[utoipa::path(get, path = "/api/v1/account/cloud/orders/{order_id}", tag = "cloud",
    params(("order_id" = String, Path)), security(("account_token" = [])),
    responses((status = 200, body = Order), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: AccountUser,
    ApiPath(order_id): ApiPath<String>,
) -> ApiResult<ApiJson<Order>> {
    Ok(ApiJson(
        orders::account_order(&state, &me, &order_id).await?,
    ))
}

/// Cancel one of the account's orders while it awaits payment; answers the order, now
/// `cancelled`. A payment the provider confirms for it afterwards is refused
/// (`ORDER_CANCELLED`) and kept for a refund. Needs `actions.costly.approve`, like placing
/// it.
#[utoipa::path(post, path = "/api/v1/account/cloud/orders/{order_id}/cancel", tag = "cloud",
    params(("order_id" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = Order),
        (status = 403, description = "RIGHT_REQUIRED", body = tessera_api::ErrorBody),
        (status = 404, description = "ORDER_NOT_FOUND (also another account's order)", body = tessera_api::ErrorBody),
        (status = 409, description = "ORDER_ALREADY_PAID, ORDER_CANCELLED, ORDER_EXPIRED", body = tessera_api::ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    me: Holds<right::ApproveCosts>,
    ApiPath(order_id): ApiPath<String>,
) -> ApiResult<ApiJson<Order>> {
    let cancelled = orders::cancel_order(&state, &me, &order_id).await?;
    let body = orders::order_view(&cancelled, &state.zone, state.clock.now())?;
    Ok(ApiJson(body))
}

/// The payment provider confirms a payment. The body is signed: header
/// `Tessera-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
/// shared secret; a stale (over 5 minutes) or wrong signature is 401 and nothing is read.
/// The same payment delivered again answers 200 with `recorded: false`.
#[utoipa::path(post, path = "/api/v1/payments/callback", tag = "cloud", request_body = PaymentCallback,
    responses(
        (status = 200, body = PaymentReceipt),
        (status = 401, description = "SIGNATURE_MALFORMED, SIGNATURE_STALE, SIGNATURE_INVALID", body = tessera_api::ErrorBody),
        (status = 404, description = "ORDER_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "AMOUNT_MISMATCH, ORDER_ALREADY_PAID, ORDER_CANCELLED, ORDER_EXPIRED, PAYMENT_ID_REUSED, SUBSCRIPTION_DELETED, RENEWAL_PENDING", body = tessera_api::ErrorBody),
        (status = 503, description = "PAYMENTS_NOT_CONFIGURED", body = tessera_api::ErrorBody),
    ))]
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<ApiJson<PaymentReceipt>> {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (order_id, outcome) = payments::confirm_payment(&state, signature, &body).await?;
    let receipt = match outcome {
        PaymentOutcome::Recorded { order, invoice, .. } => {
            tracing::info!(order = %order.id, %invoice, "payment recorded");
            PaymentReceipt {
                order_id: order.id,
                invoice,
                recorded: true,
            }
        }
        PaymentOutcome::AlreadyRecorded { invoice } => PaymentReceipt {
            order_id,
            invoice,
            recorded: false,
        },
    };
    Ok(ApiJson(receipt))
}

/// Confirmed payments that could not be applied, newest first: each for a refund or a manual
/// fix (amount or currency not the order's, an order paid twice, cancelled, expired or
/// unknown, a deleted subscription).
#[utoipa::path(get, path = "/api/v1/payments/unapplied", tag = "cloud",
    security(("operator_token" = [])),
    responses((status = 200, body = UnappliedPayments), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn unapplied(
    State(state): State<AppState>,
    op: Operator,
) -> ApiResult<ApiJson<UnappliedPayments>> {
    Ok(ApiJson(UnappliedPayments {
        payments: crate::billing::payments::unapplied(&state, &op).await?,
    }))
}

fn invoice_page(doc: &InvoiceDocument) -> ApiResult<Response> {
    let html = invoice::html(doc)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"invoice-{}.html\"", doc.number),
            ),
        ],
        html,
    )
        .into_response())
}

/// The account's invoices, newest first. Needs `invoices.view`.
#[utoipa::path(get, path = "/api/v1/account/invoices", tag = "cloud",
    security(("account_token" = [])),
    responses((status = 200, body = InvoiceList), (status = 403, body = tessera_api::ErrorBody)))]
pub async fn own_list(
    State(state): State<AppState>,
    me: Holds<right::ViewInvoices>,
) -> ApiResult<ApiJson<InvoiceList>> {
    Ok(ApiJson(InvoiceList {
        invoices: invoice::account_invoices(&state, &me).await?,
    }))
}

/// One of the account's invoices as a printable page (print it to PDF). Needs
/// `invoices.view`.
#[utoipa::path(get, path = "/api/v1/account/invoices/{number}", tag = "cloud",
    params(("number" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, description = "INVOICE_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn own_page(
    State(state): State<AppState>,
    me: Holds<right::ViewInvoices>,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<Response> {
    invoice_page(&invoice::account_invoice(&state, &me, &number).await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoicesQuery {
    /// Only this account's.
    pub account: Option<i64>,
}

/// Every invoice, newest first (operators).
#[utoipa::path(get, path = "/api/v1/invoices", tag = "cloud", params(InvoicesQuery),
    security(("operator_token" = [])),
    responses((status = 200, body = InvoiceList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<InvoicesQuery>,
) -> ApiResult<ApiJson<InvoiceList>> {
    let invoices = crate::accounts::customers::invoices(&state, &op, q.account).await?;
    Ok(ApiJson(InvoiceList { invoices }))
}

/// One invoice as a printable page (operators).
#[utoipa::path(get, path = "/api/v1/invoices/{number}", tag = "cloud",
    params(("number" = String, Path)), security(("operator_token" = [])),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, description = "INVOICE_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn page(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<Response> {
    invoice_page(&invoice::any_invoice(&state, &op, &number).await?)
}
