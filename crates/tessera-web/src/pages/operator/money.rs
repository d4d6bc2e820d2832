//! Money in the console (E2, F2): payments that could not be applied (for a refund), the
//! invoices narrowed by number and period, one invoice as issued (printable), and one
//! month's monthly-service invoice lines with their totals.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tessera_api::{InvoiceLine, UnappliedPayment};
use tessera_core::money::money;
use tessera_server::AppState;
use tessera_server::accounts::customers;
use tessera_server::actors::Operator;
use tessera_server::billing::{invoice, payments};
use tessera_server::error::ApiError;
use tessera_server::services::lines;

use super::customers::InvoiceRow;
use crate::pages::cloud::invoices::InvoicePage;
use crate::view::{Chrome, Ctx, when};

const PATH: &str = "/operator/money";

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct MoneyQuery {
    /// The start of an invoice number.
    number: String,
    /// Issued on or after / before this day (`YYYY-MM-DD`).
    from: String,
    until: String,
    /// The month of the invoice lines (`YYYY-MM`), this month by default.
    month: String,
    /// The orders placed before this cursor (the next page's).
    before: Option<i64>,
}

/// A payment that was not applied, in words.
pub struct PaymentRow {
    pub payment: UnappliedPayment,
    pub amount: String,
    pub received: String,
}

/// A monthly-service invoice line, in words.
pub struct LineRow {
    pub line: InvoiceLine,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "operator/money.html")]
struct MoneyPage {
    chrome: Chrome,
    orders: Vec<super::customers::OrderRow>,
    /// The link to older orders, when there are more.
    older_orders: Option<String>,
    q: MoneyQuery,
    month: String,
    payments: Vec<PaymentRow>,
    invoices: Vec<InvoiceRow>,
    invoices_total: String,
    lines: Vec<LineRow>,
    lines_total: String,
}

/// Sums by currency, as `90.00 EUR · 12.00 CHF`.
fn totals<'a>(amounts: impl Iterator<Item = (i64, &'a str)>) -> String {
    let mut by: BTreeMap<&str, i64> = BTreeMap::new();
    for (amount, currency) in amounts {
        *by.entry(currency).or_default() += amount;
    }
    by.iter()
        .map(|(c, a)| money(*a, c))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `GET /operator/money`.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Query(q): Query<MoneyQuery>,
) -> Result<Html<String>, ApiError> {
    let zone = &state.zone;
    let today = state.clock.now().to_zoned(zone.clone()).date();
    let month = match q.month.trim() {
        "" => today.strftime("%Y-%m").to_string(),
        typed => typed.to_owned(),
    };
    let number = q.number.trim().to_uppercase();
    let (from, until) = (q.from.trim(), q.until.trim());
    let invoices: Vec<InvoiceRow> = customers::invoices(&state, &op, None)
        .await?
        .into_iter()
        .filter(|i| i.number.to_uppercase().starts_with(&number))
        .filter_map(|invoice| {
            let issued = when(Some(&invoice.issued_at), zone)?;
            let day = &issued[..10];
            let inside = (from.is_empty() || day >= from) && (until.is_empty() || day <= until);
            inside.then(|| InvoiceRow {
                total: money(invoice.total, &invoice.currency),
                issued,
                invoice,
            })
        })
        .collect();
    let invoices_total = totals(
        invoices
            .iter()
            .map(|r| (r.invoice.total, r.invoice.currency.as_str())),
    );
    let lines: Vec<LineRow> = lines::invoice_lines(&state, &op, None, Some(&month))
        .await?
        .into_iter()
        .map(|line| LineRow {
            amount: money(line.amount, &line.currency),
            line,
        })
        .collect();
    let lines_total = totals(
        lines
            .iter()
            .map(|r| (r.line.amount, r.line.currency.as_str())),
    );
    let (orders, next) = customers::all_orders(&state, &op, q.before, Some(50)).await?;
    let older_orders = next.map(|before| format!("{PATH}?before={before}#orders"));
    let page = MoneyPage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        orders: orders
            .into_iter()
            .map(|order| super::customers::OrderRow {
                total: money(order.summary.total, &order.summary.currency),
                order,
            })
            .collect(),
        older_orders,
        payments: payments::unapplied(&state, &op)
            .await?
            .into_iter()
            .map(|payment| PaymentRow {
                amount: money(payment.amount, &payment.currency),
                received: when(Some(&payment.received_at), zone).unwrap_or_default(),
                payment,
            })
            .collect(),
        invoices,
        invoices_total,
        lines,
        lines_total,
        month,
        q,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// `GET /operator/invoices/{number}`: any account's invoice as issued, printable.
pub async fn invoice(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let doc = invoice::any_invoice(&state, &op, &number).await?;
    let page = InvoicePage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        document: invoice::body_html(&doc)?,
        number: doc.number,
        back: PATH,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}
