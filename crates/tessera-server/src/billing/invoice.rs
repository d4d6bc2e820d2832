//! Invoices (E2): the document frozen at issue (everything the invoice shows, JSON in the
//! database, so a later change of prices, seller data or VAT rates never rewrites an issued
//! invoice) and its printable HTML page.

use minijinja::{Environment, context};
use serde::{Deserialize, Serialize};
use tessera_api::Billing;
use tessera_store::{OrderRecord, SubscriptionRecord};

use crate::billing::money::{money, rate};
use crate::config::BillingConfig;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub name: String,
    pub address: Vec<String>,
    pub country: String,
    pub vat_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub article_code: String,
    pub description: String,
    pub quantity: u32,
    pub unit_price: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDocument {
    pub number: String,
    /// Calendar date of issue.
    pub date: String,
    pub order_id: String,
    pub seller: Seller,
    pub buyer: Billing,
    pub lines: Vec<Line>,
    /// The term paid for, as calendar dates.
    pub period_from: String,
    pub period_to: String,
    pub net: i64,
    pub vat: i64,
    pub vat_rate_bp: u32,
    pub vat_note: Option<String>,
    pub total: i64,
    pub currency: String,
}

impl InvoiceDocument {
    /// The invoice for a paid order.
    pub fn issue(
        order: &OrderRecord,
        number: &str,
        subscription: &SubscriptionRecord,
        config: &BillingConfig,
        zone: &jiff::tz::TimeZone,
        now: jiff::Timestamp,
    ) -> anyhow::Result<InvoiceDocument> {
        let buyer: Billing = serde_json::from_str(&order.billing)?;
        let date = |t: jiff::Timestamp| t.to_zoned(zone.clone()).date().to_string();
        let unit_price = if order.quantity == 0 {
            0
        } else {
            order.net / i64::from(order.quantity)
        };
        let note = tessera_core::subscription::VatTreatment::note_of(&order.vat_treatment);
        Ok(InvoiceDocument {
            number: number.to_owned(),
            date: date(now),
            order_id: order.id.clone(),
            seller: Seller {
                name: config.seller_name.clone().unwrap_or_default(),
                address: config.seller_address.clone(),
                country: config.seller_country.clone().unwrap_or_default(),
                vat_number: config.seller_vat_number.clone(),
            },
            buyer,
            lines: vec![Line {
                article_code: order.article_code.clone(),
                description: format!(
                    "{} ({}), {} {}",
                    order.plan_name,
                    if order.kind == "renewal" {
                        "renewal"
                    } else {
                        "subscription"
                    },
                    order.quantity,
                    if order.quantity == 1 { "site" } else { "sites" }
                ),
                quantity: order.quantity,
                unit_price,
                amount: order.net,
            }],
            period_from: date(subscription.starts_at),
            period_to: date(subscription.expires_at),
            net: order.net,
            vat: order.vat,
            vat_rate_bp: order.vat_rate_bp,
            vat_note: note.map(str::to_owned),
            total: order.total,
            currency: order.currency.clone(),
        })
    }

    /// The printable page (the browser's "Save as PDF" makes the PDF). Every value is
    /// escaped: buyer data is the customer's own typing.
    pub fn html(&self) -> anyhow::Result<String> {
        let mut env = Environment::new();
        env.add_template("invoice.html", include_str!("invoice.html"))?;
        let c = &self.currency;
        let lines: Vec<_> = self
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
        Ok(env.get_template("invoice.html")?.render(context! {
            doc => minijinja::value::Serde(self),
            lines => lines,
            net => money(self.net, c),
            vat => money(self.vat, c),
            vat_rate => rate(self.vat_rate_bp),
            total => money(self.total, c),
        })?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> InvoiceDocument {
        InvoiceDocument {
            number: "2026-000001".into(),
            date: "2026-11-23".into(),
            order_id: "ord_1".into(),
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
        let html = doc().html().unwrap();
        assert!(html.contains("2026-000001"));
        assert!(html.contains("900.00 EUR") && html.contains("198.00 EUR"));
        assert!(html.contains("1098.00 EUR") && html.contains("22.00%"));
        assert!(!html.contains("<script>alert"), "buyer data is escaped");
        assert!(html.contains("&lt;script&gt;"));
    }
}
