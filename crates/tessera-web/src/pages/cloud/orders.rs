//! The account's orders (E2): the list, and one order's page — its status (awaiting
//! payment until its deadline, paid, cancelled, expired), the summary the customer
//! confirms, whom the invoice will name, "pay" (to the payment provider) and "cancel"
//! while it is unpaid, for a user holding `actions.costly.approve`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::Order;
use tessera_core::money::money;
use tessera_core::rights::Right;
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, Holds, right};
use tessera_server::billing::{orders, payments};
use tessera_server::error::ApiError;

use super::{PURCHASE_STEPS, Shown, Step, SummaryView, day, html, steps, when};
use crate::i18n::Tr;
use crate::view::{Chrome, Ctx};

/// An order as its page and the list show it.
#[derive(Debug, Clone)]
pub struct OrderView {
    pub id: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub sites: u32,
    pub total: String,
    pub placed: String,
    /// The payment deadline.
    pub pay_by: String,
    pub paid_at: Option<String>,
    pub invoice: Option<String>,
    pub awaiting: bool,
    /// The sites a renewal keeps.
    pub keep: Option<Vec<String>>,
    /// Whom the invoice names: company, address lines, VAT number, email.
    pub billed_to: Vec<String>,
}

impl OrderView {
    pub fn of(tr: &Tr, o: &Order, zone: &jiff::tz::TimeZone) -> OrderView {
        let b = &o.billing;
        let region = b
            .region
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let mut billed_to = vec![
            b.company.clone(),
            format!(
                "{}, {} {}{region}, {}",
                b.street, b.postal_code, b.place, b.country
            ),
        ];
        billed_to.push(match &b.vat_number {
            Some(vat) => format!("{vat} · {}", b.invoice_email),
            None => b.invoice_email.clone(),
        });
        OrderView {
            id: o.order_id.clone(),
            kind_label: tr.t(&format!("cloud-kind-{}", o.kind)),
            status_label: tr.t(&format!("cloud-order-{}", o.status)),
            status: o.status.clone(),
            sites: o.sites,
            total: money(o.summary.total, &o.summary.currency),
            placed: day(&o.created_at, zone),
            pay_by: when(&o.expires_at, zone),
            paid_at: o.paid_at.as_deref().map(|t| when(t, zone)),
            invoice: o.invoice.clone(),
            awaiting: o.status == "awaiting_payment",
            keep: o.keep.clone(),
            billed_to,
        }
    }
}

#[derive(Template)]
#[template(path = "cloud_orders.html")]
struct ListPage {
    chrome: Chrome,
    orders: Vec<OrderView>,
}

#[derive(Template)]
#[template(path = "cloud_order.html")]
struct OrderPage {
    chrome: Chrome,
    steps: Vec<Step>,
    order: OrderView,
    summary: SummaryView,
    /// Where "pay" leads; None when no payment provider is set up.
    pay_url: Option<String>,
    /// `actions.costly.approve`: pay, cancel.
    approve: bool,
    invoices: bool,
    notice: Option<String>,
    error: Option<String>,
}

/// `GET /cloud/orders`: the account's orders, newest first.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    me: AccountUser,
) -> Result<Response, ApiError> {
    let found = orders::account_orders(&state, &me).await?;
    let page = ListPage {
        chrome: Chrome::signed_in(&ctx, &me, "/cloud"),
        orders: found
            .iter()
            .map(|o| OrderView::of(&ctx.tr, o, &state.zone))
            .collect(),
    };
    Ok(html(&page)?.into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// The page of the order `id`, with a notice or why an action was refused.
pub(crate) async fn render(
    state: &AppState,
    ctx: &Ctx,
    me: &AccountUser,
    id: &str,
    notice: Option<String>,
    refused: Option<Shown>,
) -> Result<Response, ApiError> {
    let tr = ctx.tr;
    let order = orders::account_order(state, me, id).await?;
    let view = OrderView::of(&tr, &order, &state.zone);
    let at = match order.status.as_str() {
        "awaiting_payment" => 1,
        "paid" => 3,
        _ => usize::MAX,
    };
    let page = OrderPage {
        chrome: Chrome::signed_in(ctx, me, "/cloud"),
        steps: if at == usize::MAX {
            Vec::new()
        } else {
            steps(&tr, &PURCHASE_STEPS, at)
        },
        summary: SummaryView::of(&tr, &order.summary),
        pay_url: payments::checkout_url(state, &order),
        approve: me.rights.contains(&Right::ApproveCosts),
        invoices: me.rights.contains(&Right::ViewInvoices),
        order: view,
        notice,
        error: refused.as_ref().map(|r| r.text.clone()),
    };
    let body = html(&page)?;
    Ok(match refused {
        Some(r) => r.answer(body),
        None => body.into_response(),
    })
}

/// `GET /cloud/orders/{id}`.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    me: AccountUser,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, ApiError> {
    let notice = match q.done.as_str() {
        "paid" | "declined" | "cancelled" => {
            Some(ctx.tr.t(&format!("cloud-order-notice-{}", q.done)))
        }
        _ => None,
    };
    render(&state, &ctx, &me, &id, notice, None).await
}

/// `POST /cloud/orders/{id}/cancel`: cancels the order while it is unpaid.
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    match orders::cancel_order(&state, &me, &id).await {
        Ok(o) => {
            Ok(Redirect::to(&format!("/cloud/orders/{}?done=cancelled", o.id)).into_response())
        }
        Err(e) => {
            let refused = Shown::of(&ctx.tr, e)?;
            render(&state, &ctx, &me, &id, None, Some(refused)).await
        }
    }
}
