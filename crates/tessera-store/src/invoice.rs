//! The invoice document (E2, F2): everything an invoice shows, frozen at issue as JSON in the
//! database, so a later change of prices, seller data or VAT rates never rewrites an issued
//! invoice. A cloud invoice is made in the payment's transaction from what that transaction
//! read (the order, the invoice number, the subscription's new term) by the pure
//! [`InvoiceDocument::issue`]; a month of monthly services by [`InvoiceDocument::monthly`] in
//! the billing job's transaction. The server prints both.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use tessera_api::Billing;
use tessera_core::monthly::YearMonth;
use tessera_core::subscription::{VatTreatment, vat_amount};

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
    /// The cloud order paid; none on a monthly services' invoice.
    #[serde(default)]
    pub order_id: Option<String>,
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
            order_id: Some(order.id.clone()),
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

/// What the billing job needs to issue the monthly services' invoices: who sells and the VAT
/// rates (the cloud's configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoicing {
    pub seller: Seller,
    /// Country → basis points.
    pub vat_rates: BTreeMap<String, u32>,
}

/// One monthly service at one site, as its invoice line shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MonthlyLine {
    pub site: String,
    pub service_code: String,
    pub service_name: String,
    pub amount: i64,
}

impl InvoiceDocument {
    /// The invoice `number` of the monthly services `lines` of `month` (all in `currency`),
    /// to `buyer`, VAT as `treatment` says (rounded once, on the net total, as the cloud's),
    /// issued on `date`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn monthly(
        number: &str,
        month: YearMonth,
        buyer: Billing,
        lines: &[MonthlyLine],
        currency: &str,
        treatment: VatTreatment,
        seller: &Seller,
        date: jiff::civil::Date,
    ) -> InvoiceDocument {
        let net: i64 = lines.iter().map(|l| l.amount).sum();
        let vat = vat_amount(net, treatment.rate_bp());
        let last_day = month
            .next()
            .first_day()
            .yesterday()
            .unwrap_or(month.first_day());
        InvoiceDocument {
            number: number.to_owned(),
            date: date.to_string(),
            order_id: None,
            seller: seller.clone(),
            buyer,
            lines: lines
                .iter()
                .map(|l| Line {
                    article_code: l.service_code.clone(),
                    description: format!("{}, {}, {month}", l.service_name, l.site),
                    quantity: 1,
                    unit_price: l.amount,
                    amount: l.amount,
                })
                .collect(),
            period_from: month.first_day().to_string(),
            period_to: last_day.to_string(),
            net,
            vat,
            vat_rate_bp: treatment.rate_bp(),
            vat_note: treatment.note().map(str::to_owned),
            total: net.saturating_add(vat),
            currency: currency.to_owned(),
        }
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
            state_note: None,
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
        let buyer: Billing = serde_json::from_str(&paid_order().billing).unwrap();
        let lines = [
            MonthlyLine {
                site: "Depot 1".into(),
                service_code: "support".into(),
                service_name: "24/7 support".into(),
                amount: 4900,
            },
            MonthlyLine {
                site: "Depot 2".into(),
                service_code: "support".into(),
                service_name: "24/7 support".into(),
                amount: 4900,
            },
        ];
        let month = YearMonth::of(jiff::civil::date(2026, 11, 1));
        let charged = VatTreatment::Charged { rate_bp: 2200 };
        let day = jiff::civil::date(2026, 12, 1);
        let doc = InvoiceDocument::monthly(
            "2026-000002",
            month,
            buyer.clone(),
            &lines,
            "EUR",
            charged,
            &seller,
            day,
        );
        assert_eq!(
            (doc.net, doc.vat, doc.total, doc.order_id.as_deref()),
            (9800, 2156, 11956, None)
        );
        assert_eq!(
            (doc.period_from.as_str(), doc.period_to.as_str()),
            ("2026-11-01", "2026-11-30")
        );
        assert_eq!(doc.lines[1].description, "24/7 support, Depot 2, 2026-11");
        let reverse = VatTreatment::ReverseCharge;
        let doc = InvoiceDocument::monthly("n", month, buyer, &lines, "EUR", reverse, &seller, day);
        assert_eq!((doc.vat, doc.total), (0, 9800));
        assert!(doc.vat_note.unwrap().starts_with("Reverse charge"));
        let mut broken = paid_order();
        broken.billing = "{".into();
        let err = InvoiceDocument::issue(&broken, "2027-000001", &sub, &seller, &zone, now);
        assert!(matches!(err, Err(StoreError::Corrupt(_))));
    }
}
