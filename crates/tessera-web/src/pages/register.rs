//! Registration (B1) as seed 000's portal does it: first "check product key", with the key's
//! format and check symbol explained before anything is typed; then the form with every
//! field of a registration, the checked key carried along; then the confirmation. Both
//! steps are the API's own use cases (`accounts::check_key`, `accounts::register`), so the
//! page refuses exactly what the API refuses, in the reader's language, beside the field.

use std::net::IpAddr;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use tessera_api::{CompanyData, ContactData, Registration, ResellerData};
use tessera_core::{Language, ProductKey};
use tessera_server::AppState;
use tessera_server::accounts;
use tessera_server::error::ApiError;
use tessera_server::extract::ClientIp;
use tessera_server::oplog::OpNote;

use crate::form::{Field, Kind, PageForm, Refusal, Section, Summary, Values, ticked, value};
use crate::i18n::Tr;
use crate::view::{Chrome, Ctx, native_name};

/// The key the explanation shows: a real one's shape, with a check symbol that fits (a test
/// parses it).
pub const KEY_EXAMPLE: &str = "7K3M-Q9TX-4HWP-B2RK";

/// What the page says about product keys before one is typed.
pub struct KeyHelp {
    pub title: String,
    pub place: String,
    pub format: String,
    pub symbols: String,
    pub check: String,
    /// Keys sold before the vendor moved to Tessera keep their old spelling (X5).
    pub earlier: String,
}

impl KeyHelp {
    pub fn new(tr: Tr) -> KeyHelp {
        KeyHelp {
            title: tr.t("key-help-title"),
            place: tr.t("key-help-where"),
            format: tr.with("key-help-format", &[("example", KEY_EXAMPLE)]),
            symbols: tr.t("key-help-symbols"),
            check: tr.t("key-help-check"),
            earlier: tr.t("key-help-earlier"),
        }
    }
}

/// The product-key field, described by the explanation above it.
pub fn key_field(tr: Tr) -> Field {
    Field::new(tr, "product_key", "key-field", Kind::Text)
        .required()
        .code()
        .hint_text(tr.with("key-field-hint", &[("example", KEY_EXAMPLE)]))
}

/// The registration's steps, `current` (0-based) marked.
fn steps(tr: Tr, current: usize) -> Vec<(String, bool)> {
    [
        "register-step-key",
        "register-step-data",
        "register-step-done",
    ]
    .iter()
    .enumerate()
    .map(|(i, key)| (tr.t(key), i == current))
    .collect()
}

#[derive(Template)]
#[template(path = "register_key.html")]
struct KeyPage {
    chrome: Chrome,
    steps: Vec<(String, bool)>,
    key_help: KeyHelp,
    summary: Option<Summary>,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct FormPage {
    chrome: Chrome,
    steps: Vec<(String, bool)>,
    summary: Option<Summary>,
    product_key: String,
    sections: Vec<Section>,
}

#[derive(Template)]
#[template(path = "registered.html")]
struct DonePage {
    chrome: Chrome,
    steps: Vec<(String, bool)>,
    confirmation: String,
}

fn render(page: impl Template) -> Result<Html<String>, ApiError> {
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// Step 1, with what was typed and why it was refused.
fn key_page(
    ctx: &Ctx,
    values: &Values,
    refusal: Option<&Refusal>,
) -> Result<Html<String>, ApiError> {
    let fields = vec![key_field(ctx.tr).fill(values, refusal)];
    render(KeyPage {
        chrome: Chrome::public(ctx),
        steps: steps(ctx.tr, 0),
        key_help: KeyHelp::new(ctx.tr),
        summary: Summary::of(refusal, &fields),
        fields,
    })
}

/// `GET /register`: step 1, the product key.
pub async fn start(ctx: Ctx) -> Result<Html<String>, ApiError> {
    key_page(&ctx, &Values::new(), None)
}

/// `POST /register/key-check`: a key that can be registered leads on to the form; any other
/// is refused on step 1 (mistyped, or — one answer for all — not registrable).
pub async fn key_check(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    match accounts::check_key(&state, ip, &value(&values, "product_key")).await {
        Ok(checked) => {
            // A fresh form: mail in the language the reader reads this page in.
            let values = Values::from([("language".to_owned(), ctx.tr.code().to_owned())]);
            Ok(form_page(&ctx, ip, &checked.product_key, &values, None)?.into_response())
        }
        Err(e) => {
            let refusal = Refusal::of(ctx.tr, e)?;
            Ok(refusal.respond(key_page(&ctx, &values, Some(&refusal))?))
        }
    }
}

/// `POST /register`: the account is created and its confirmation mail queued; a refusal
/// shows the form again as typed (passwords aside), the reason beside its field.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    note: OpNote,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let refusal = match accounts::register(&state, ip, &registration(&values)).await {
        Ok(record) => {
            note.actor(format!("account:{}", record.username));
            note.account(record.id);
            let confirmation = ctx.tr.with(
                "registered-mail",
                &[("username", &record.username), ("email", &record.email)],
            );
            let page = DonePage {
                chrome: Chrome::public(&ctx),
                steps: steps(ctx.tr, 2),
                confirmation,
            };
            return Ok(render(page)?.into_response());
        }
        Err(e) => Refusal::of(ctx.tr, e)?,
    };
    let key = value(&values, "product_key");
    let key = ProductKey::parse(&key).map_or(key, |k| k.to_string());
    Ok(refusal.respond(form_page(&ctx, ip, &key, &values, Some(&refusal))?))
}

/// Step 2: every field of a registration, `values` typed in.
fn form_page(
    ctx: &Ctx,
    ip: IpAddr,
    product_key: &str,
    values: &Values,
    refusal: Option<&Refusal>,
) -> Result<Html<String>, ApiError> {
    let sections: Vec<Section> = sections(ctx.tr, ip)
        .into_iter()
        .map(|s| Section {
            fields: s
                .fields
                .into_iter()
                .map(|f| f.fill(values, refusal))
                .collect(),
            ..s
        })
        .collect();
    render(FormPage {
        chrome: Chrome::public(ctx),
        steps: steps(ctx.tr, 1),
        summary: Summary::of(refusal, sections.iter().flat_map(|s| &s.fields)),
        product_key: product_key.to_owned(),
        sections,
    })
}

/// The form's fields, by the seed's five groups; names are the API's field paths.
fn sections(tr: Tr, ip: IpAddr) -> Vec<Section> {
    use Kind::{Checkbox, Email, Number, Password, Select, Tel, Text};
    let f = |name, label, kind| Field::new(tr, name, label, kind);
    let languages = Language::ALL
        .iter()
        .map(|l| (l.code().to_owned(), native_name(*l).to_owned()))
        .collect();
    vec![
        Section::new(
            tr,
            "register-section-account",
            vec![
                f("username", "register-username", Text)
                    .required()
                    .auto("username")
                    .code()
                    .hint(tr, "register-username-hint"),
                f("language", "register-language", Select)
                    .required()
                    .choices(languages),
                f("password", "password", Password)
                    .required()
                    .auto("new-password")
                    .hint(tr, "register-password-hint"),
                f("password_confirm", "register-password-confirm", Password)
                    .required()
                    .auto("new-password"),
                f("email", "register-email", Email).required().auto("email"),
                f("email_confirm", "register-email-confirm", Email)
                    .required()
                    .auto("email"),
            ],
        ),
        Section::new(
            tr,
            "register-section-company",
            vec![
                f("company.name", "register-company-name", Text)
                    .required()
                    .auto("organization"),
                f("company.country", "register-country", Select)
                    .required()
                    .choices(vat_countries(tr)),
                f("company.region", "register-region", Text)
                    .required()
                    .auto("address-level1"),
                f("company.city", "register-city", Text)
                    .required()
                    .auto("address-level2"),
                f("company.street", "register-street", Text)
                    .required()
                    .auto("address-line1"),
                f("company.number", "register-number", Text).required(),
                f("company.postcode", "register-postcode", Text)
                    .required()
                    .auto("postal-code"),
                f("company.vat_number", "register-vat", Text)
                    .required()
                    .code()
                    .hint(tr, "register-vat-hint"),
                f("company.sector", "register-sector", Text).required(),
                f("company.tanks", "register-tanks", Number).required(),
                f("company.drivers", "register-drivers", Number).required(),
                f("company.vehicles", "register-vehicles", Number).required(),
                f("company.fax", "register-fax", Tel).auto("fax tel"),
                f("company.company_email", "register-company-email", Email),
                f(
                    "company.commercial_info",
                    "register-commercial-info",
                    Checkbox,
                ),
            ],
        ),
        Section::new(
            tr,
            "register-section-contact",
            vec![
                f("contact.first_name", "register-first-name", Text)
                    .required()
                    .auto("given-name"),
                f("contact.last_name", "register-last-name", Text)
                    .required()
                    .auto("family-name"),
                f("contact.mobile", "register-mobile", Tel)
                    .required()
                    .auto("mobile tel"),
                f("contact.phone", "register-phone", Tel)
                    .required()
                    .auto("work tel"),
            ],
        ),
        Section::new(tr, "register-section-reseller", reseller_fields(tr))
            .intro(tr.t("register-section-reseller-intro")),
        Section::new(
            tr,
            "register-section-privacy",
            vec![
                f("privacy_accepted", "register-privacy-accept", Checkbox)
                    .required()
                    .hint_text(tr.with("register-privacy-ip", &[("ip", &ip.to_string())])),
                f("newsletter", "register-newsletter", Checkbox),
            ],
        )
        .intro(tr.t("register-privacy-text")),
    ]
}

/// The reseller's fields (registration and "add a key" alike).
pub fn reseller_fields(tr: Tr) -> Vec<Field> {
    let f = |name, label| Field::new(tr, name, label, Kind::Text);
    vec![
        f("reseller.company_name", "register-company-name").required(),
        f("reseller.country", "register-country")
            .required()
            .code()
            .hint(tr, "register-country-hint"),
        f("reseller.region", "register-region").required(),
        f("reseller.city", "register-city").required(),
        f("reseller.street", "register-street"),
        f("reseller.postcode", "register-postcode").required(),
    ]
}

/// The reseller as typed.
pub fn reseller(values: &Values) -> ResellerData {
    ResellerData {
        company_name: value(values, "reseller.company_name"),
        country: value(values, "reseller.country"),
        region: value(values, "reseller.region"),
        city: value(values, "reseller.city"),
        street: optional(values, "reseller.street"),
        postcode: value(values, "reseller.postcode"),
    }
}

/// A field left empty is not given.
fn optional(values: &Values, name: &str) -> Option<String> {
    Some(value(values, name)).filter(|v| !v.trim().is_empty())
}

/// The countries whose VAT numbers the server checks (a registration needs one), by name in
/// the reader's language.
fn vat_countries(tr: Tr) -> Vec<(String, String)> {
    let mut countries: Vec<(String, String)> = tessera_core::vat::supported_countries()
        .iter()
        .map(|code| ((*code).to_owned(), tr.t(&format!("country-{code}"))))
        .collect();
    countries.sort_by_cached_key(|(_, name)| collation_key(name));
    countries
}

/// A name as it sorts in a list: case and the accents of a first letter aside (Österreich
/// among the O's).
fn collation_key(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'Ä' | 'ä' | 'À' | 'Á' => 'a',
            'Ö' | 'ö' => 'o',
            'Ü' | 'ü' => 'u',
            'É' | 'é' | 'È' | 'è' => 'e',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// The registration as typed. A count that is no whole number goes on as one larger than
/// any the use case takes, so the use case refuses it (`INVALID_COUNT`, at its field) in
/// its own order among the fields, as it refuses a count out of range.
fn registration(values: &Values) -> Registration {
    let count = |name: &str| value(values, name).trim().parse().unwrap_or(u32::MAX);
    let v = |name: &str| value(values, name);
    Registration {
        username: v("username"),
        password: v("password"),
        password_confirm: v("password_confirm"),
        email: v("email"),
        email_confirm: v("email_confirm"),
        company: CompanyData {
            name: v("company.name"),
            country: v("company.country"),
            region: v("company.region"),
            city: v("company.city"),
            street: v("company.street"),
            number: v("company.number"),
            postcode: v("company.postcode"),
            vat_number: v("company.vat_number"),
            sector: v("company.sector"),
            tanks: count("company.tanks"),
            drivers: count("company.drivers"),
            vehicles: count("company.vehicles"),
            fax: optional(values, "company.fax"),
            company_email: optional(values, "company.company_email"),
            commercial_info: ticked(values, "company.commercial_info"),
        },
        contact: ContactData {
            first_name: v("contact.first_name"),
            last_name: v("contact.last_name"),
            mobile: v("contact.mobile"),
            phone: v("contact.phone"),
        },
        reseller: reseller(values),
        privacy_accepted: ticked(values, "privacy_accepted"),
        newsletter: ticked(values, "newsletter"),
        language: optional(values, "language"),
        product_key: v("product_key"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_key_is_one() {
        assert_eq!(
            ProductKey::parse(KEY_EXAMPLE).unwrap().to_string(),
            KEY_EXAMPLE
        );
    }

    #[test]
    fn every_country_with_a_vat_check_has_a_name_in_every_language() {
        for lang in Language::ALL {
            let tr = Tr(lang);
            for code in tessera_core::vat::supported_countries() {
                assert!(tr.has(&format!("country-{code}")), "{lang:?}: {code}");
            }
        }
        let names: Vec<String> = vat_countries(Tr(Language::De))
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        let at = names.iter().position(|n| n == "Österreich").unwrap();
        assert_eq!(names[at - 1], "Niederlande", "{names:?}");
    }

    #[test]
    fn every_label_and_hint_of_the_forms_is_in_every_catalog() {
        for lang in Language::ALL {
            let tr = Tr(lang);
            let ip = IpAddr::from([127, 0, 0, 1]);
            let fields: Vec<Field> = sections(tr, ip)
                .into_iter()
                .flat_map(|s| s.fields)
                .chain([key_field(tr)])
                .collect();
            let sections = sections(tr, ip);
            let texts = sections
                .iter()
                .flat_map(|s| [Some(&s.legend), s.intro.as_ref()])
                .chain(
                    fields
                        .iter()
                        .flat_map(|f| [Some(&f.label), f.hint.as_ref()]),
                )
                .flatten();
            for text in texts {
                assert!(!text.contains("Unknown localization"), "{lang:?}: {text}");
            }
        }
    }
}
