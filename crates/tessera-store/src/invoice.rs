//! The invoice document (E2): everything an invoice shows, frozen at issue as JSON in the
//! database, so a later change of prices, seller data or VAT rates never rewrites an issued
//! invoice. It is made in the payment's transaction from what that transaction read (the
//! order, the invoice number, the subscription's new term) and the seller's data, by the
//! pure [`InvoiceDocument::issue`]; the server prints it.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use tessera_api::Billing;
use tessera_core::subscription::VatTreatment;

use crate::orders::OrderRecord;
use crate::subscriptions::SubscriptionRecord;
use crate::{Result, StoreError};

/// Who sells, as printed on every invoice (the operator's billing settings).
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
    /// The invoice `number` for a paid order, issued at `now`; dates are calendar dates in
    /// `zone`. Fails only when the order's stored billing data cannot be read.
    pub fn issue(
        order: &OrderRecord,
        number: &str,
        subscription: &SubscriptionRecord,
        seller: &Seller,
        zone: &TimeZone,
        now: Timestamp,
    ) -> Result<InvoiceDocument> {
        let buyer: Billing = serde_json::from_str(&order.billing)
            .map_err(|e| StoreError::Corrupt(format!("order {} billing: {e}", order.id)))?;
        let date = |t: Timestamp| t.to_zoned(zone.clone()).date().to_string();
        let unit_price = if order.quantity == 0 {
            0
        } else {
            order.net / i64::from(order.quantity)
        };
        let note = VatTreatment::note_of(&order.vat_treatment);
        Ok(InvoiceDocument {
            number: number.to_owned(),
            date: date(now),
            order_id: order.id.clone(),
            seller: seller.clone(),
            buyer,
            lines: vec![Line {
                article_code: order.article_code.clone(),
                description: line_description(order),
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
}

/// `SSM 2.0 Cloud (subscription), 3 sites`.
fn line_description(order: &OrderRecord) -> String {
    format!(
        "{} ({}), {} {}",
        order.plan_name,
        if order.kind == "renewal" {
            "renewal"
        } else {
            "subscription"
        },
        order.quantity,
        if order.quantity == 1 { "site" } else { "sites" }
    )
}
