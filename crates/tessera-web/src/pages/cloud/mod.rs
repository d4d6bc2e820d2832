//! The cloud pages (E1–E6, seed 000): the set-up page where sites are enabled, the free
//! trial's wizard, buying and renewing (invoicing data, summary, payment), the orders, the
//! invoices, and the built-in test payment provider. Each handler extracts the reader with
//! the right its use case asks for, calls that use case and renders; a refusal the reader
//! can act on is shown in words on the page it came from.

mod buy_form;
pub mod invoices;
pub mod orders;
pub mod purchase;
pub mod setup;
pub mod test_payments;
pub mod trial;
mod views;

pub(crate) use views::{PURCHASE_STEPS, TRIAL_STEPS, day, steps, when};
pub use views::{Registry, Step, SubscriptionView, SummaryView};

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tessera_api::{ErrorBody, ErrorCode};
use tessera_server::error::ApiError;

use crate::error::message;
use crate::i18n::Tr;

/// A template rendered as the page's HTML.
pub(crate) fn html(page: &impl Template) -> Result<Html<String>, ApiError> {
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// A refusal as the page shows it: in words, with the status and code it answers with.
pub(crate) struct Shown {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub text: String,
    /// The form field it is about (`company`, `vat_number`…), when it is about one.
    pub field: Option<String>,
}

impl Shown {
    /// The refusal `e` in the reader's words; an internal error or a lost session is not
    /// shown on the page but goes on as the error it is.
    pub fn of(tr: &Tr, e: ApiError) -> Result<Shown, ApiError> {
        match e {
            ApiError::Internal(_) | ApiError::Unauthenticated => Err(e),
            refused => Ok(Shown {
                status: refused.status(),
                code: refused.code(),
                text: words(tr, &refused),
                field: match &refused {
                    ApiError::Refused { field: Some(f), .. } => {
                        Some(f.trim_start_matches("billing.").to_owned())
                    }
                    _ => None,
                },
            }),
        }
    }

    /// The page `html` answered with this refusal's status (and its code, for the
    /// operations log).
    pub fn answer(&self, html: Html<String>) -> Response {
        let mut response = (self.status, html).into_response();
        response.extensions_mut().insert(self.code);
        response
    }
}

/// Why `e` refused, in the reader's language: the catalog's text for its code (the
/// server's English message where there is none), after the name of the field it is about.
pub(crate) fn words(tr: &Tr, e: &ApiError) -> String {
    let text = message(tr, &ErrorBody::new(e.code(), e.to_string()));
    let field = match e {
        ApiError::Refused {
            field: Some(field), ..
        } => field.as_str(),
        _ => "",
    };
    match field_label(field) {
        Some(key) => format!("{}: {text}", tr.t(key)),
        None => text,
    }
}

/// The catalog key of the label of the form field a refusal names (`billing.company`).
fn field_label(field: &str) -> Option<&'static str> {
    Some(match field.trim_start_matches("billing.") {
        "company" => "cloud-company",
        "street" => "cloud-street",
        "place" => "cloud-place",
        "postal_code" => "cloud-postal-code",
        "region" => "cloud-region",
        "country" => "cloud-country",
        "phone" => "cloud-phone",
        "invoice_email" => "cloud-invoice-email",
        "vat_number" => "cloud-vat-number",
        "sites" => "cloud-sites-count",
        "plan" => "cloud-plan",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use tessera_core::Language;

    use super::*;

    /// The keys the cloud pages make up from what the use cases answer (no template names
    /// them literally, so the catalogs' own test cannot see them).
    #[test]
    fn every_key_made_up_at_run_time_is_in_every_catalog() {
        let mut keys: Vec<String> = Vec::new();
        for state in tessera_core::subscription::SubscriptionState::ALL {
            keys.push(format!("cloud-state-{}", state.as_str()));
        }
        use tessera_core::cloud::CloudStatus;
        use tessera_core::order::OrderKind;
        for status in [
            CloudStatus::NotEnabled,
            CloudStatus::Enabled,
            CloudStatus::LicenseMismatch,
        ] {
            keys.push(format!("cloud-site-{}", status.as_str()));
        }
        for status in tessera_core::order::OrderStatus::ALL {
            keys.push(format!("cloud-order-{}", status.as_str()));
        }
        for kind in [OrderKind::Purchase, OrderKind::Renewal] {
            keys.push(format!("cloud-kind-{}", kind.as_str()));
        }
        for done in ["paid", "declined", "cancelled"] {
            keys.push(format!("cloud-order-notice-{done}"));
        }
        keys.extend(
            TRIAL_STEPS
                .iter()
                .chain(&PURCHASE_STEPS)
                .map(|k| k.to_string()),
        );
        for field in [
            "billing.company",
            "billing.street",
            "billing.place",
            "billing.postal_code",
            "billing.region",
            "billing.country",
            "billing.phone",
            "billing.invoice_email",
            "billing.vat_number",
            "sites",
            "plan",
        ] {
            keys.push(field_label(field).expect(field).to_owned());
        }
        for lang in Language::ALL {
            let tr = Tr(lang);
            for key in &keys {
                assert!(tr.has(key), "{lang:?} lacks {key}");
            }
        }
    }

    #[test]
    fn a_refusal_names_its_field_in_the_readers_words() {
        let tr = Tr(Language::De);
        let e = ApiError::invalid(ErrorCode::VatNumberRequired, "billing.vat_number", "x");
        assert_eq!(
            words(&tr, &e),
            "USt-IdNr.: Ein Unternehmen in der EU gibt seine USt-IdNr. an."
        );
        let plain = ApiError::from(ErrorCode::SeatsExceeded);
        assert!(words(&Tr(Language::En), &plain).starts_with("The subscription has not enough"));
        let plural =
            Tr(Language::It).numbers("cloud-group-counts", &[("available", 3), ("active", 1)]);
        assert_eq!(plural, "3 impianti, uno attivo");
    }
}
