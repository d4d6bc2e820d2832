//! Cloud-service subscriptions (E1–E6): plans, the trial, orders and payments, invoices,
//! enabling sites, and the codes a site's client exchanges for cloud access.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An edition and size a plan covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BundleRef {
    #[schema(example = "standard")]
    pub edition: String,
    #[schema(example = "small")]
    pub size: String,
}

fn twelve() -> u32 {
    12
}
fn six() -> u32 {
    6
}
fn five() -> u32 {
    5
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewPlan {
    #[schema(example = "cloud-small")]
    pub code: String,
    /// What the plan sells access to; an account has one subscription per service.
    #[schema(example = "cloud")]
    pub service: String,
    #[schema(example = "SSM 2.0 Cloud")]
    pub name: String,
    #[schema(example = "F00772540")]
    pub article_code: String,
    /// Per site and term, in the currency's minor unit: 30000 is 300.00.
    #[schema(example = 30000, minimum = 0, maximum = 1_000_000_000)]
    pub price: i64,
    #[schema(example = "EUR")]
    pub currency: String,
    /// Length of a paid term (default 12).
    #[serde(default = "twelve")]
    #[schema(minimum = 1, maximum = 120)]
    pub period_months: u32,
    /// Length of the free trial; 0: no trial (default 6).
    #[serde(default = "six")]
    #[schema(maximum = 36)]
    pub trial_months: u32,
    /// Sites the trial may enable (default 5).
    #[serde(default = "five")]
    #[schema(maximum = 10_000)]
    pub trial_sites: u32,
    #[schema(example = "ssm2")]
    pub product: String,
    /// The editions and sizes whose installations the plan covers.
    pub bundles: Vec<BundleRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Plan {
    pub code: String,
    pub service: String,
    pub name: String,
    pub article_code: String,
    pub price: i64,
    pub currency: String,
    pub period_months: u32,
    pub trial_months: u32,
    pub trial_sites: u32,
    pub product: String,
    pub bundles: Vec<BundleRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanList {
    pub plans: Vec<Plan>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StartTrial {
    #[schema(example = "cloud-small")]
    pub plan: String,
    /// The customer accepted the service's terms and conditions (E1); refused
    /// `TERMS_NOT_ACCEPTED` otherwise.
    #[serde(default)]
    pub terms_accepted: bool,
}

/// An account's subscription to a service (E4).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Subscription {
    pub id: i64,
    pub account_id: i64,
    pub service: String,
    pub plan: String,
    /// `trialing`, `active`, `expired`, `maintenance`, `blocked` or `deleted`, as of now.
    pub state: String,
    /// Why sync and web access are refused (`SUBSCRIPTION_EXPIRED`…); null while usable.
    pub reason: Option<String>,
    /// Sites it may enable.
    pub seats: u32,
    /// The edition and size of its sites, fixed by the first one enabled.
    pub bundle: Option<BundleRef>,
    pub trial_started_at: Option<String>,
    pub purchased_at: Option<String>,
    pub starts_at: String,
    pub expires_at: String,
    /// Why the vendor last set the state (blocked, maintenance…), as they wrote it.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SubscriptionList {
    pub subscriptions: Vec<Subscription>,
}

/// An operator's change of a subscription's state.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SetSubscriptionState {
    /// `maintenance`, `blocked`, `deleted` (final), or `active` to resume.
    #[schema(example = "maintenance", schema_with = crate::schemas::subscription_state_choice)]
    pub state: String,
    /// Why, for the customer to read beside the state (at most 500 characters); omitted or
    /// empty clears the last note.
    #[serde(default)]
    #[schema(example = "Unpaid invoice 2026-000042", max_length = 500)]
    pub note: Option<String>,
}

/// One of the account's installations on the cloud set-up page (E5–E6).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CloudSite {
    pub site_id: String,
    pub label: String,
    /// The installation's status; only `active` ones can be enabled.
    pub status: String,
    pub product_key: String,
    /// The representative email the codes go to; null until the client sent site data.
    pub email: Option<String>,
    /// `not_enabled`, `enabled`, or `license_mismatch` ("cloud disabled: license mismatch":
    /// its key was upgraded to another edition).
    pub cloud: String,
    pub enabled_at: Option<String>,
    /// Its client has exchanged the codes for cloud access.
    pub connected: bool,
}

/// The installations of one edition and size.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CloudGroup {
    pub edition: String,
    pub edition_name: String,
    pub size: String,
    pub size_name: String,
    pub available: u32,
    /// Enabled among them.
    pub active: u32,
    pub sites: Vec<CloudSite>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CloudOverview {
    pub service: String,
    pub subscription: Option<Subscription>,
    /// Every listed installation.
    pub available: u32,
    /// Enabled ones.
    pub active: u32,
    pub groups: Vec<CloudGroup>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EnableSites {
    pub sites: Vec<String>,
}

/// The invoicing data of an order (E2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Billing {
    #[schema(example = "Rossi Trasporti S.r.l.")]
    pub company: String,
    #[schema(example = "Via Emilia 4")]
    pub street: String,
    #[schema(example = "Milano")]
    pub place: String,
    #[schema(example = "20121")]
    pub postal_code: String,
    #[serde(default)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2; decides the VAT.
    #[schema(example = "IT")]
    pub country: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// Where the invoice is sent.
    #[schema(example = "accounts@rossi.example")]
    pub invoice_email: String,
    /// The customer accepts invoices by email.
    pub e_invoice_consent: bool,
    /// The customer declares it buys as a business (B2B).
    pub b2b: bool,
    /// Required with `b2b` inside the EU.
    #[serde(default)]
    pub vat_number: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewOrder {
    #[schema(example = "cloud-small")]
    pub plan: String,
    /// How many sites the term covers.
    #[schema(example = 3, minimum = 1, maximum = 10_000)]
    pub sites: u32,
    /// At a renewal: the enabled sites to keep (the others are dropped when it is paid).
    /// Omitted: the earliest enabled are kept, up to `sites`.
    #[serde(default)]
    pub keep: Option<Vec<String>>,
    pub billing: Billing,
    /// The customer accepted the service's terms and conditions (E2); refused
    /// `TERMS_NOT_ACCEPTED` otherwise.
    #[serde(default)]
    pub terms_accepted: bool,
}

/// The summary the customer confirms (E2).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderSummary {
    pub article_code: String,
    pub service: String,
    /// The plan's name and the number of sites.
    pub bundle: String,
    pub purchase_date: String,
    /// Price excluding VAT, minor units.
    pub net: i64,
    pub vat: i64,
    /// `22.00%`.
    pub vat_rate: String,
    /// `charged`, `reverse_charge` or `outside_eu`.
    pub vat_treatment: String,
    pub vat_note: Option<String>,
    pub total: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Order {
    pub order_id: String,
    /// The account that placed it.
    pub account_id: i64,
    /// `purchase` or `renewal`.
    pub kind: String,
    /// `awaiting_payment` until it is paid, or cancelled by the account, or it expires:
    /// an order still unpaid at `expires_at` is `expired` from that instant on.
    #[schema(example = "awaiting_payment", schema_with = crate::schemas::order_statuses)]
    pub status: String,
    pub plan: String,
    pub sites: u32,
    pub keep: Option<Vec<String>>,
    pub summary: OrderSummary,
    /// The invoicing data the order was placed with: whom the invoice will name.
    pub billing: Billing,
    /// The invoice's number once paid.
    pub invoice: Option<String>,
    pub created_at: String,
    /// The payment deadline (`billing.order_expiry_hours` after it was placed).
    pub expires_at: String,
    pub paid_at: Option<String>,
}

/// The account's orders, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderList {
    pub orders: Vec<Order>,
    /// Operators' list: pass as `before` for the next page; absent on the last page (and
    /// always on an account's own list, which is whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<i64>,
}

/// The payment provider's confirmation, signed in the `Tessera-Signature` header.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentCallback {
    /// The provider's id of the payment (a redelivery carries the same).
    #[schema(example = "Q10270")]
    pub payment_id: String,
    pub order_id: String,
    /// Minor units.
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentReceipt {
    pub order_id: String,
    pub invoice: String,
    /// False when this payment had been recorded before (a redelivered callback).
    pub recorded: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Invoice {
    pub number: String,
    pub account_id: i64,
    /// The cloud order paid; null on a monthly services' invoice.
    pub order_id: Option<String>,
    pub issued_at: String,
    pub total: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvoiceList {
    pub invoices: Vec<Invoice>,
}

/// The client's exchange of the emailed codes for cloud access (E5).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CloudActivation {
    #[schema(example = "H3KD-8PQX")]
    pub site_code: String,
    #[schema(example = "K7QH-M2XP-9TRV-4WZA")]
    pub activation_code: String,
    /// The program's own version. When the product sets a minimum version for the cloud,
    /// a program below it, or one that does not say its version, is refused
    /// (`UPDATE_REQUIRED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "1.2.11")]
    pub product_version: Option<String>,
}

/// Cloud access for one site: send `cloud_token` as a bearer token.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CloudToken {
    pub site_id: String,
    pub cloud_token: String,
    pub state: String,
    pub expires_at: String,
}

/// Where a site's cloud access stands (what sync checks first).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CloudStanding {
    pub site_id: String,
    pub state: String,
    pub expires_at: String,
}

/// An operator's change of a product key's edition (an upgrade, E6).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangeEdition {
    #[schema(example = "professional")]
    pub edition: String,
}

/// A confirmed payment that could not be applied to its order (the provider has the money):
/// for the vendor to refund or apply by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnappliedPayment {
    pub payment_id: String,
    pub order_id: String,
    pub amount: i64,
    pub currency: String,
    /// Why: `AMOUNT_MISMATCH`, `ORDER_ALREADY_PAID`, `ORDER_CANCELLED`, `ORDER_EXPIRED`,
    /// `ORDER_NOT_FOUND`, `PAYMENT_ID_REUSED`, `SUBSCRIPTION_DELETED`, `RENEWAL_PENDING`.
    pub reason: String,
    pub received_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnappliedPayments {
    pub payments: Vec<UnappliedPayment>,
}
