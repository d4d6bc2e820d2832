//! Checks what people type (registration, reseller, site data) with the domain's rules, field
//! by field, so every error names its field. Nothing is stored until all of it passes.

use tessera_api::ErrorCode;
use tessera_api::{CompanyData, ContactData, ResellerData, SiteData};
use tessera_core::account::{
    confirm_email, confirm_password, country, optional_phone, optional_text, phone, required_text,
};
use tessera_core::vat::{check_prefixed_vat, check_vat};
use tessera_core::{Email, FieldError, Password};

use crate::error::ApiError;

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Refused {
            code: e.rule.into(),
            message: e.message,
            field: Some(e.field),
        }
    }
}

const NAME: usize = 200;
const SHORT: usize = 100;
const CODE: usize = 20;

pub fn password(field: &str, input: &str) -> Result<Password, ApiError> {
    Password::parse(input).map_err(|e| ApiError::invalid((&e).into(), field, e))
}

/// A password and the same typed again (`password_confirm`).
pub fn password_twice(field: &str, input: &str, again: &str) -> Result<Password, ApiError> {
    let parsed = password(field, input)?;
    confirm_password(&format!("{field}_confirm"), input, again)?;
    Ok(parsed)
}

pub fn email_twice(field: &str, email: &str, again: &str) -> Result<Email, ApiError> {
    let parsed = Email::parse(field, email)?;
    confirm_email(&format!("{field}_confirm"), &parsed, again)?;
    Ok(parsed)
}

/// The company block, with its VAT number in canonical form (country prefix, no spaces).
pub fn company(c: &CompanyData) -> Result<CompanyData, ApiError> {
    let nation = country("company.country", &c.country)?;
    let vat = check_vat(&nation, &c.vat_number)
        .map_err(|e| ApiError::invalid((&e).into(), "company.vat_number", e))?;
    Ok(CompanyData {
        name: required_text("company.name", &c.name, NAME)?,
        country: nation,
        region: required_text("company.region", &c.region, SHORT)?,
        city: required_text("company.city", &c.city, SHORT)?,
        street: required_text("company.street", &c.street, NAME)?,
        number: required_text("company.number", &c.number, CODE)?,
        postcode: required_text("company.postcode", &c.postcode, CODE)?,
        vat_number: vat.as_str().to_owned(),
        sector: required_text("company.sector", &c.sector, SHORT)?,
        tanks: count("company.tanks", c.tanks)?,
        drivers: count("company.drivers", c.drivers)?,
        vehicles: count("company.vehicles", c.vehicles)?,
        fax: optional_phone("company.fax", c.fax.as_deref())?,
        company_email: optional_email("company.company_email", c.company_email.as_deref())?,
        commercial_info: c.commercial_info,
    })
}

/// The most tanks, drivers or vehicles a company declares.
const MAX_COUNT: u32 = 1_000_000;

fn count(field: &str, n: u32) -> Result<u32, ApiError> {
    if n > MAX_COUNT {
        return Err(ApiError::invalid(
            ErrorCode::InvalidCount,
            field,
            format!("at most {MAX_COUNT}"),
        ));
    }
    Ok(n)
}

/// An optional email address: absent or blank is None.
fn optional_email(field: &str, input: Option<&str>) -> Result<Option<String>, ApiError> {
    match input.map(str::trim) {
        Some(e) if !e.is_empty() => Ok(Some(Email::parse(field, e)?.as_str().to_owned())),
        _ => Ok(None),
    }
}

pub fn contact(c: &ContactData) -> Result<ContactData, ApiError> {
    Ok(ContactData {
        first_name: required_text("contact.first_name", &c.first_name, SHORT)?,
        last_name: required_text("contact.last_name", &c.last_name, SHORT)?,
        mobile: phone("contact.mobile", &c.mobile)?,
        phone: phone("contact.phone", &c.phone)?,
    })
}

/// A further contact of an account.
pub fn new_contact(
    c: &tessera_api::NewAccountContact,
) -> Result<tessera_store::NewContact, ApiError> {
    Ok(tessera_store::NewContact {
        first_name: required_text("first_name", &c.first_name, SHORT)?,
        last_name: required_text("last_name", &c.last_name, SHORT)?,
        email: Email::parse("email", &c.email)?.as_str().to_owned(),
        mobile: phone("mobile", &c.mobile)?,
    })
}

pub fn reseller(r: &ResellerData) -> Result<ResellerData, ApiError> {
    Ok(ResellerData {
        company_name: required_text("reseller.company_name", &r.company_name, NAME)?,
        country: country("reseller.country", &r.country)?,
        region: required_text("reseller.region", &r.region, SHORT)?,
        city: required_text("reseller.city", &r.city, SHORT)?,
        street: optional_text("reseller.street", r.street.as_deref().unwrap_or(""), NAME)?,
        postcode: required_text("reseller.postcode", &r.postcode, CODE)?,
    })
}

pub fn site_data(d: &SiteData) -> Result<SiteData, ApiError> {
    Ok(SiteData {
        company: required_text("company", &d.company, NAME)?,
        branch: optional_text("branch", d.branch.as_deref().unwrap_or(""), NAME)?,
        address: required_text("address", &d.address, NAME)?,
        zip: required_text("zip", &d.zip, CODE)?,
        locality: required_text("locality", &d.locality, SHORT)?,
        province: required_text("province", &d.province, SHORT)?,
        nation: country("nation", &d.nation)?,
        representative_name: required_text("representative_name", &d.representative_name, SHORT)?,
        representative_surname: required_text(
            "representative_surname",
            &d.representative_surname,
            SHORT,
        )?,
        representative_email: Email::parse("representative_email", &d.representative_email)?
            .as_str()
            .to_owned(),
    })
}

/// A VAT number as an activating client types it, prefix included.
pub fn vat_with_prefix(input: &str) -> Result<String, ApiError> {
    check_prefixed_vat(input)
        .map(|v| v.as_str().to_owned())
        .map_err(|e| ApiError::invalid((&e).into(), "vat_number", e))
}

/// The invoicing data of an order (E2). A business in the EU must give its VAT number (it
/// decides reverse charge); a number given is checked against the country's format.
pub fn billing(b: &tessera_api::Billing) -> Result<tessera_api::Billing, ApiError> {
    let nation = country("billing.country", &b.country)?;
    let vat_number = match b.vat_number.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Some(
            check_vat(&nation, v)
                .map_err(|e| ApiError::invalid((&e).into(), "billing.vat_number", e))?
                .as_str()
                .to_owned(),
        ),
        _ => None,
    };
    if b.b2b && vat_number.is_none() && tessera_core::subscription::EU.contains(&nation.as_str()) {
        return Err(ApiError::invalid(
            ErrorCode::VatNumberRequired,
            "billing.vat_number",
            "a business customer in the EU gives its VAT number",
        ));
    }
    Ok(tessera_api::Billing {
        company: required_text("billing.company", &b.company, NAME)?,
        street: required_text("billing.street", &b.street, NAME)?,
        place: required_text("billing.place", &b.place, SHORT)?,
        postal_code: required_text("billing.postal_code", &b.postal_code, CODE)?,
        region: optional_text("billing.region", b.region.as_deref().unwrap_or(""), SHORT)?,
        country: nation,
        phone: optional_text("billing.phone", b.phone.as_deref().unwrap_or(""), CODE * 2)?,
        invoice_email: Email::parse("billing.invoice_email", &b.invoice_email)?
            .as_str()
            .to_owned(),
        e_invoice_consent: b.e_invoice_consent,
        b2b: b.b2b,
        vat_number,
    })
}
