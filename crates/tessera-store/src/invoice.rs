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

#[cfg(test)]
mod tests {
    use tessera_core::subscription::SubscriptionState;

    use super::*;
    use crate::orders::paid_order;

    fn term(starts: &str, expires: &str) -> SubscriptionRecord {
        SubscriptionRecord {
            id: 1,
            account_id: 7,
            service: "cloud".into(),
            plan: "cloud-12".into(),
            state: SubscriptionState::Active,
            seats: 3,
            bundle: None,
            trial_started_at: None,
            purchased_at: None,
            starts_at: starts.parse().unwrap(),
            expires_at: expires.parse().unwrap(),
            pending_renewal: None,
        }
    }

    /// Issued invoices are stored as this JSON: its shape must not change.
    #[test]
    fn the_document_is_the_stored_json() {
        let seller = Seller {
            name: "Vendor S.p.A.".into(),
            address: vec!["Via Roma 1".into(), "42100 Reggio Emilia".into()],
            country: "IT".into(),
            vat_number: Some("IT00743110157".into()),
        };
        let zone = TimeZone::fixed(jiff::tz::offset(1));
        let sub = term("2026-11-23T09:05:00Z", "2027-11-22T23:30:00Z");
        let now = "2026-12-31T23:30:00Z".parse().unwrap();
        let doc = InvoiceDocument::issue(&paid_order(), "2027-000001", &sub, &seller, &zone, now)
            .unwrap();
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"number":"2027-000001","date":"2027-01-01","order_id":"ord_1","seller":{"name":"Vendor S.p.A.","address":["Via Roma 1","42100 Reggio Emilia"],"country":"IT","vat_number":"IT00743110157"},"buyer":{"company":"Rossi Trasporti S.r.l.","street":"Via Emilia 4","place":"Milano","postal_code":"20121","region":null,"country":"IT","phone":null,"invoice_email":"accounts@rossi.example","e_invoice_consent":true,"b2b":true,"vat_number":"IT12345678903"},"lines":[{"article_code":"F00772540","description":"SSM 2.0 Cloud (subscription), 3 sites","quantity":3,"unit_price":30000,"amount":90000}],"period_from":"2026-11-23","period_to":"2027-11-23","net":90000,"vat":19800,"vat_rate_bp":2200,"vat_note":null,"total":109800,"currency":"EUR"}"#
        );
        let mut broken = paid_order();
        broken.billing = "{".into();
        let err = InvoiceDocument::issue(&broken, "2027-000001", &sub, &seller, &zone, now);
        assert!(matches!(err, Err(StoreError::Corrupt(_))));
    }
}
