//! The cloud service over HTTP (E1–E6), seed 000's story: register, trial, enable three
//! sites (codes mailed to their representatives over SMTP and used by the client), purchase,
//! the provider's callback (also replayed and forged), a renewal that drops a site, reminders
//! and expiry by the hourly job with a settable clock; unpaid orders cancelled or expired;
//! and the races.

use jiff::{SignedDuration, Timestamp};
use reqwest::{Response, StatusCode};
use tessera_api::{CloudOverview, NewOrder, Order, PaymentCallback, PaymentReceipt};
use tessera_core::Clock;
use tessera_server::Config;

use crate::fixtures::*;
use crate::harness::*;

mod calls;
mod jobs;
mod setup;

pub(crate) use calls::*;
pub(crate) use jobs::*;
pub(crate) use setup::*;

const SECRET: &str = "shared with the payment provider";

/// The seller's details, VAT rates and the payment provider's secret.
pub(crate) fn cloud_config(config: &mut Config) {
    config.billing.seller_name = Some("Vendor S.p.A.".into());
    config.billing.seller_address = vec!["Via Roma 1".into(), "42100 Reggio Emilia".into()];
    config.billing.seller_country = Some("IT".into());
    config.billing.seller_vat_number = Some("IT00743110157".into());
    config.billing.vat_rates = [("IT".to_owned(), 2200), ("DE".to_owned(), 1900)].into();
    config.billing.payment_secret = Some(SECRET.into());
}

/// [`cloud_config`] with three wrong codes a minute per site code.
fn racing_config(config: &mut Config) {
    cloud_config(config);
    config.rate_limits.cloud_codes_per_site_code = 3;
}

// The stories, one file per idea.
mod license;
mod mails;
mod monthly_invoices;
mod orders;
mod races;
mod seed_000;
