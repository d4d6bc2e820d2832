//! The account's invoices (E2, F2), with `invoices.view`: the list, and one invoice in the
//! page's layout, ready to print (the print stylesheet leaves the invoice alone on the
//! paper). The invoice's content is the server's own rendering of the issued document
//! (`billing::invoice::body_html`, every value escaped there), the same the API serves.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use tessera_core::money::money;
use tessera_server::AppState;
use tessera_server::actors::{Holds, right};
use tessera_server::billing::invoice;
use tessera_server::error::ApiError;

use super::{day, html};
use crate::view::{Chrome, Ctx};

/// One invoice in the list.
#[derive(Debug, Clone)]
pub struct InvoiceRow {
    pub number: String,
    pub date: String,
    pub order: Option<String>,
    pub total: String,
}

#[derive(Template)]
#[template(path = "cloud_invoices.html")]
struct ListPage {
    chrome: Chrome,
    invoices: Vec<InvoiceRow>,
}

/// One invoice inside the layout, printable; the customers' page and the console's.
#[derive(Template)]
#[template(path = "cloud_invoice.html")]
pub(crate) struct InvoicePage {
    pub chrome: Chrome,
    pub number: String,
    /// The server's rendering of the invoice, escaped there.
    pub document: String,
    /// The list it belongs to.
    pub back: &'static str,
}

/// `GET /invoices`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ViewInvoices>,
) -> Result<Response, ApiError> {
    let found = invoice::account_invoices(&state, &me).await?;
    let page = ListPage {
        chrome: Chrome::signed_in(&ctx, &me, "/invoices"),
        invoices: found
            .into_iter()
            .map(|i| InvoiceRow {
                date: day(&i.issued_at, &state.zone),
                total: money(i.total, &i.currency),
                number: i.number,
                order: i.order_id,
            })
            .collect(),
    };
    Ok(html(&page)?.into_response())
}

/// `GET /invoices/{number}`: the invoice, printable.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ViewInvoices>,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let doc = invoice::account_invoice(&state, &me, &number).await?;
    let page = InvoicePage {
        chrome: Chrome::signed_in(&ctx, &me, "/invoices"),
        document: invoice::body_html(&doc)?,
        number: doc.number,
        back: "/invoices",
    };
    Ok(html(&page)?.into_response())
}
