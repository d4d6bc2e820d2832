//! What the cloud pages show, made from the use cases' answers: dates in the server's zone,
//! money in the currency's decimals, labels in the reader's language.

use jiff::Timestamp;
use tessera_api::{OrderSummary, Subscription};
use tessera_core::money::money;

use crate::i18n::Tr;

/// An instant (RFC 3339) as the calendar day in the server's zone.
pub(crate) fn day(rfc3339: &str, zone: &jiff::tz::TimeZone) -> String {
    match rfc3339.parse::<Timestamp>() {
        Ok(t) => t.to_zoned(zone.clone()).strftime("%Y-%m-%d").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// An instant (RFC 3339) as the day and time in the server's zone, to the minute.
pub(crate) fn when(rfc3339: &str, zone: &jiff::tz::TimeZone) -> String {
    match rfc3339.parse::<Timestamp>() {
        Ok(t) => t
            .to_zoned(zone.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// The summary the customer confirms (E2), the money in the currency's decimals.
#[derive(Debug, Clone)]
pub struct SummaryView {
    pub article_code: String,
    pub service: String,
    pub bundle: String,
    pub date: String,
    pub net: String,
    pub vat_rate: String,
    pub vat: String,
    pub total: String,
    /// Why no VAT is charged, when none is.
    pub vat_note: Option<String>,
}

impl SummaryView {
    pub fn of(tr: &Tr, s: &OrderSummary) -> SummaryView {
        let note = match s.vat_treatment.as_str() {
            "reverse_charge" => Some(tr.t("cloud-vat-reverse-charge")),
            "outside_eu" => Some(tr.t("cloud-vat-outside-eu")),
            _ => None,
        };
        SummaryView {
            article_code: s.article_code.clone(),
            service: s.service.clone(),
            bundle: s.bundle.clone(),
            date: s.purchase_date.clone(),
            net: money(s.net, &s.currency),
            vat_rate: s.vat_rate.clone(),
            vat: money(s.vat, &s.currency),
            total: money(s.total, &s.currency),
            vat_note: note,
        }
    }
}

/// One step of a wizard, as its step bar shows it.
#[derive(Debug, Clone)]
pub struct Step {
    pub label: String,
    pub current: bool,
}

/// The steps `keys` with the `at`-th (from 0) current.
pub(crate) fn steps(tr: &Tr, keys: &[&str], at: usize) -> Vec<Step> {
    keys.iter()
        .enumerate()
        .map(|(i, key)| Step {
            label: tr.t(key),
            current: i == at,
        })
        .collect()
}

/// The trial wizard's steps (the seed's, with choosing and the registry on one page).
pub(crate) const TRIAL_STEPS: [&str; 3] = [
    "cloud-step-choose",
    "cloud-step-summary",
    "cloud-step-confirmation",
];

/// A purchase's steps.
pub(crate) const PURCHASE_STEPS: [&str; 4] = [
    "cloud-step-registry",
    "cloud-step-summary",
    "cloud-step-payment",
    "cloud-step-confirmation",
];

/// The account's registry data, as the wizards show it before anything is bought (the
/// seed's "Registration account" and "Fiscal data"; changed on the account's profile).
#[derive(Debug, Clone)]
pub struct Registry {
    pub username: String,
    pub email: String,
    pub company: String,
    pub address: String,
    pub country: String,
    pub vat_number: String,
    pub phone: String,
    pub contact: String,
}

impl Registry {
    pub fn of(a: &tessera_api::Account) -> Registry {
        let c = &a.company;
        Registry {
            username: a.username.clone(),
            email: a.email.clone(),
            company: c.name.clone(),
            address: format!(
                "{} {}, {} {} ({})",
                c.street, c.number, c.postcode, c.city, c.region
            ),
            country: c.country.clone(),
            vat_number: c.vat_number.clone(),
            phone: a.contact.phone.clone(),
            contact: format!(
                "{} {} · {}",
                a.contact.first_name, a.contact.last_name, a.contact.mobile
            ),
        }
    }
}

/// The subscription as the page shows it.
#[derive(Debug, Clone)]
pub struct SubscriptionView {
    pub state: String,
    pub state_label: String,
    pub plan: String,
    pub seats: u32,
    pub expires: String,
    /// Why the cloud cannot be used now, in words; None while it can.
    pub reason: Option<String>,
    /// Bought at least once: a new term is a renewal.
    pub purchased: bool,
    /// What the vendor wrote when it last set the state (why it is blocked…).
    pub note: Option<String>,
}

impl SubscriptionView {
    pub fn of(tr: &Tr, s: &Subscription, zone: &jiff::tz::TimeZone) -> SubscriptionView {
        SubscriptionView {
            state_label: tr.t(&format!("cloud-state-{}", s.state)),
            state: s.state.clone(),
            plan: s.plan.clone(),
            seats: s.seats,
            expires: day(&s.expires_at, zone),
            reason: s.reason.as_ref().map(|code| {
                let key = format!("error-{code}");
                if tr.has(&key) {
                    tr.t(&key)
                } else {
                    code.clone()
                }
            }),
            purchased: s.purchased_at.is_some(),
            note: s.note.clone(),
        }
    }
}
