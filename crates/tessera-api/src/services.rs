//! Per-site monthly services (F1–F3).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewService {
    #[schema(example = "support247")]
    pub code: String,
    #[schema(example = "24/7 monitoring and support")]
    pub name: String,
    /// Per month, in the currency's minor unit (cents): 4900 is 49.00.
    #[schema(example = 4900, minimum = 0, maximum = 100_000_000)]
    pub monthly_price: i64,
    #[schema(example = "EUR")]
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Service {
    pub code: String,
    pub name: String,
    pub monthly_price: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceList {
    pub services: Vec<Service>,
}

/// A stretch during which a service was on: from `on` to `off` (calendar days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stretch {
    #[schema(example = "2026-11-23")]
    pub on: String,
    pub off: Option<String>,
}

/// One service of the catalog as it stands at a site.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SiteService {
    pub code: String,
    pub name: String,
    /// On now.
    pub on: bool,
    pub monthly_price: i64,
    pub currency: String,
    /// Oldest first.
    pub stretches: Vec<Stretch>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SiteServices {
    pub site_id: String,
    pub services: Vec<SiteService>,
}

/// A charge the monthly billing wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLine {
    pub account_id: i64,
    pub site_id: String,
    pub service: String,
    #[schema(example = "2026-11")]
    pub month: String,
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLines {
    pub lines: Vec<InvoiceLine>,
}
