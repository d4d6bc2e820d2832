//! The purchase form's data: as typed (and shown again after a refusal), prefilled from the
//! account, its inputs as the page lists them, and the order it asks for.

use serde::Deserialize;
use tessera_api::{Account, Billing, ErrorCode, NewOrder};
use tessera_server::error::ApiError;

use crate::i18n::Tr;

/// One input of the invoicing data.
#[derive(Debug, Clone)]
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    /// The input's `type`.
    pub kind: &'static str,
    pub required: bool,
    pub invalid: bool,
}

/// The invoicing fields of `form`: name, catalog key, value, type, required.
pub(crate) fn fields(tr: &Tr, form: &BuyForm, invalid: &str) -> Vec<FieldView> {
    [
        ("company", "cloud-company", &form.company, "text", true),
        ("street", "cloud-street", &form.street, "text", true),
        (
            "postal_code",
            "cloud-postal-code",
            &form.postal_code,
            "text",
            true,
        ),
        ("place", "cloud-place", &form.place, "text", true),
        ("region", "cloud-region", &form.region, "text", false),
        ("country", "cloud-country", &form.country, "text", true),
        ("phone", "cloud-phone", &form.phone, "tel", false),
        (
            "vat_number",
            "cloud-vat-number",
            &form.vat_number,
            "text",
            false,
        ),
        (
            "invoice_email",
            "cloud-invoice-email",
            &form.invoice_email,
            "email",
            true,
        ),
    ]
    .into_iter()
    .map(|(name, key, value, kind, required)| FieldView {
        name,
        label: tr.t(key),
        value: value.clone(),
        kind,
        required,
        invalid: invalid == name,
    })
    .collect()
}

/// The form as typed (and shown again after a refusal).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BuyForm {
    pub plan: String,
    pub sites: String,
    pub keep: Vec<String>,
    pub company: String,
    pub street: String,
    pub postal_code: String,
    pub place: String,
    pub region: String,
    pub country: String,
    pub phone: String,
    pub vat_number: String,
    pub invoice_email: String,
    /// Checkboxes: `yes` when ticked.
    pub e_invoice_consent: String,
    pub b2b: String,
    pub terms: String,
}

impl BuyForm {
    /// The form filled in from the account's data, for `sites` sites of `plan`.
    pub fn prefilled(account: &Account, plan: String, sites: u32) -> BuyForm {
        let c = &account.company;
        BuyForm {
            plan,
            sites: sites.to_string(),
            keep: Vec::new(),
            company: c.name.clone(),
            street: format!("{} {}", c.street, c.number),
            postal_code: c.postcode.clone(),
            place: c.city.clone(),
            region: c.region.clone(),
            country: c.country.clone(),
            phone: account.contact.phone.clone(),
            vat_number: c.vat_number.clone(),
            invoice_email: c.company_email.clone().unwrap_or(account.email.clone()),
            e_invoice_consent: String::new(),
            b2b: "yes".into(),
            terms: String::new(),
        }
    }

    /// The order the form asks for (at a `renewal`, keeping the ticked sites); the
    /// place-order use case checks the rest.
    pub fn order(&self, renewal: bool) -> Result<NewOrder, ApiError> {
        let sites = self.sites.trim().parse::<u32>().map_err(|_| {
            ApiError::invalid(
                ErrorCode::SitesInvalid,
                "sites",
                ErrorCode::SitesInvalid.message(),
            )
        })?;
        Ok(NewOrder {
            plan: self.plan.clone(),
            sites,
            keep: renewal.then(|| self.keep.clone()),
            billing: Billing {
                company: self.company.clone(),
                street: self.street.clone(),
                place: self.place.clone(),
                postal_code: self.postal_code.clone(),
                region: optional(&self.region),
                country: self.country.clone(),
                phone: optional(&self.phone),
                invoice_email: self.invoice_email.clone(),
                e_invoice_consent: self.e_invoice_consent == "yes",
                b2b: self.b2b == "yes",
                vat_number: optional(&self.vat_number),
            },
            terms_accepted: self.terms == "yes",
        })
    }
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}
