//! Invoices (E2): the account's invoices and the printable HTML of one (the document itself,
//! frozen at issue, is `tessera_store::InvoiceDocument`: the store issues it in the
//! payment's transaction). The invoice's content is one template, `invoice_body.html`:
//! the API serves it as a page of its own (`invoice.html`, with its style), the web
//! application inside its layout (no inline style there: its stylesheet styles it).

use minijinja::{Environment, context};
use tessera_api::Invoice;
use tessera_core::money::{money, rate};
use tessera_store::{InvoiceDocument, InvoiceRecord};

use crate::actors::{Holds, right};
use crate::error::ApiResult;
use crate::state::AppState;

/// The account's invoices, newest first.
pub async fn account_invoices(
    app: &AppState,
    who: &Holds<right::ViewInvoices>,
) -> ApiResult<Vec<Invoice>> {
    listed(app, Some(who.id)).await
}

/// Every invoice, or `account`'s only, newest first, as a list shows them (the caller
/// has checked who may read them).
pub(crate) async fn listed(app: &AppState, account: Option<i64>) -> ApiResult<Vec<Invoice>> {
    app.store
        .invoices(account)
        .await?
        .iter()
        .map(invoice_view)
        .collect()
}

/// One of the account's invoices, as issued; `INVOICE_NOT_FOUND` for another account's.
pub async fn account_invoice(
    app: &AppState,
    who: &Holds<right::ViewInvoices>,
    number: &str,
) -> ApiResult<InvoiceDocument> {
    document(&app.store.invoice(number.trim(), Some(who.id)).await?)
}

/// Any account's invoice `number`, as issued (operators).
pub async fn any_invoice(
    app: &AppState,
    _op: &crate::actors::Operator,
    number: &str,
) -> ApiResult<InvoiceDocument> {
    document(&app.store.invoice(number.trim(), None).await?)
}

/// The invoice as a list shows it.
pub fn invoice_view(i: &InvoiceRecord) -> ApiResult<Invoice> {
    let doc = document(i)?;
    Ok(Invoice {
        number: i.number.clone(),
        account_id: i.account_id,
        order_id: i.order.clone(),
        issued_at: i.issued_at.to_string(),
        total: doc.total,
        currency: doc.currency,
    })
}

/// The document an invoice was issued as.
pub fn document(i: &InvoiceRecord) -> ApiResult<InvoiceDocument> {
    Ok(serde_json::from_str(&i.document)
        .map_err(|e| anyhow::anyhow!("document of invoice {}: {e}", i.number))?)
}

/// The printable page of `doc` (the browser's "Save as PDF" makes the PDF). Every value is
/// escaped: buyer data is the customer's own typing.
pub fn html(doc: &InvoiceDocument) -> anyhow::Result<String> {
    render("invoice.html", doc)
}

/// The invoice's content alone (an `<article class="invoice">`), escaped like [`html`], for
/// a page that shows it inside its own layout and stylesheet.
pub fn body_html(doc: &InvoiceDocument) -> anyhow::Result<String> {
    render("invoice_body.html", doc)
}

fn render(template: &str, doc: &InvoiceDocument) -> anyhow::Result<String> {
    let mut env = Environment::new();
    env.add_template("invoice.html", include_str!("invoice.html"))?;
    env.add_template("invoice_body.html", include_str!("invoice_body.html"))?;
    let c = &doc.currency;
    let lines: Vec<_> = doc
        .lines
        .iter()
        .map(|l| {
            context! {
                article_code => &l.article_code,
                description => &l.description,
                quantity => l.quantity,
                unit_price => money(l.unit_price, c),
                amount => money(l.amount, c),
            }
        })
        .collect();
    Ok(env.get_template(template)?.render(context! {
        doc => minijinja::value::Serde(doc),
        lines => lines,
        net => money(doc.net, c),
        vat => money(doc.vat, c),
        vat_rate => rate(doc.vat_rate_bp),
        total => money(doc.total, c),
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_api::Billing;
    use tessera_store::{Line, Seller};

    fn doc() -> InvoiceDocument {
        InvoiceDocument {
            number: "2026-000001".into(),
            date: "2026-11-23".into(),
            order_id: Some("ord_1".into()),
            seller: Seller {
                name: "Vendor S.p.A.".into(),
                address: vec!["Via Roma 1".into(), "42100 Reggio Emilia".into()],
                country: "IT".into(),
                vat_number: Some("IT00743110157".into()),
            },
            buyer: Billing {
                company: "<script>alert(1)</script> & Co".into(),
                street: "Via Emilia 4".into(),
                place: "Milano".into(),
                postal_code: "20121".into(),
                region: None,
                country: "IT".into(),
                phone: None,
                invoice_email: "a@b.example".into(),
                e_invoice_consent: true,
                b2b: true,
                vat_number: Some("IT12345678903".into()),
            },
            lines: vec![Line {
                article_code: "F00772540".into(),
                description: "SSM 2.0 Cloud (subscription), 3 sites".into(),
                quantity: 3,
                unit_price: 30_000,
                amount: 90_000,
            }],
            period_from: "2026-11-23".into(),
            period_to: "2027-11-23".into(),
            net: 90_000,
            vat: 19_800,
            vat_rate_bp: 2200,
            vat_note: None,
            total: 109_800,
            currency: "EUR".into(),
        }
    }

    #[test]
    fn the_page_shows_the_amounts_and_escapes_what_customers_typed() {
        let html = html(&doc()).unwrap();
        assert!(html.contains("2026-000001"));
        assert!(html.contains("900.00 EUR") && html.contains("198.00 EUR"));
        assert!(html.contains("1098.00 EUR") && html.contains("22.00%"));
        assert!(!html.contains("<script>alert"), "buyer data is escaped");
        assert!(html.contains("&lt;script&gt;"));
        let body = body_html(&doc()).unwrap();
        assert!(body.starts_with("<article class=\"invoice\">"), "{body}");
        assert!(
            !body.contains("<style") && !body.contains("style="),
            "{body}"
        );
        assert!(body.contains("1098.00 EUR") && body.contains("&lt;script&gt;"));
        assert!(
            html.contains(body.trim()),
            "the page holds the same content"
        );
    }
}
