//! Buying the cloud service, or renewing it (E2–E3): the plan and the number of sites (at a
//! renewal, which enabled sites to keep), the invoicing data prefilled from the account,
//! the terms; placing the order (the place-order use case checks all of it and sums it
//! up) leads to its summary, the order's page, where it is paid.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use tessera_api::{Billing, ErrorCode, NewOrder};
use tessera_core::money::money;
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, Holds, right};
use tessera_server::billing::orders;
use tessera_server::catalog::plans;
use tessera_server::cloud::{self, CLOUD};
use tessera_server::error::ApiError;

use super::trial::terms_refused;
use super::{PURCHASE_STEPS, Shown, Step, html, steps};
use crate::view::{Chrome, Ctx};

/// A plan on sale, as the form offers it.
#[derive(Debug, Clone)]
pub struct PlanOption {
    pub code: String,
    /// "SSM 2.0 Cloud — 300.00 EUR a site for 12 months".
    pub label: String,
}

/// An enabled site a renewal may keep.
#[derive(Debug, Clone)]
pub struct KeepSite {
    pub site_id: String,
    pub label: String,
    pub checked: bool,
}

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
fn fields(tr: &crate::i18n::Tr, form: &BuyForm, invalid: &str) -> Vec<FieldView> {
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

#[derive(Template)]
#[template(path = "cloud_buy.html")]
struct BuyPage {
    chrome: Chrome,
    steps: Vec<Step>,
    renewal: bool,
    plans: Vec<PlanOption>,
    keep: Vec<KeepSite>,
    /// "Invoiced to the account ib50 (office@ib50.example)".
    account_line: String,
    fields: Vec<FieldView>,
    form: BuyForm,
    error: Option<String>,
    /// The field the refusal is about.
    invalid_field: String,
}

impl BuyPage {
    /// `aria-invalid` for the field `name`.
    fn is_invalid(&self, name: &str) -> bool {
        self.invalid_field == name
    }
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `GET /cloud/buy`: the form, filled in from the account.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
) -> Result<Response, ApiError> {
    let account = tessera_server::accounts::own_account(&state, me.id).await?;
    let view = cloud::overview(&state, me.id).await?;
    let c = &account.company;
    let sub = view.subscription.as_ref();
    let sites = match sub {
        Some(s) if s.purchased_at.is_some() => s.seats.max(view.active),
        _ => view.active,
    }
    .max(1);
    let form = BuyForm {
        plan: sub.map(|s| s.plan.clone()).unwrap_or_default(),
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
    };
    page(&state, &ctx, &me, form, true, None).await
}

/// The form for `me` holding `form`, every enabled site ticked to be kept when `keep_all`,
/// with why it was refused.
async fn page(
    state: &AppState,
    ctx: &Ctx,
    me: &AccountUser,
    form: BuyForm,
    keep_all: bool,
    refused: Option<Shown>,
) -> Result<Response, ApiError> {
    let tr = ctx.tr;
    let account = tessera_server::accounts::own_account(state, me.id).await?;
    let view = cloud::overview(state, me.id).await?;
    let renewal = view
        .subscription
        .as_ref()
        .is_some_and(|s| s.purchased_at.is_some());
    let on_sale = plans::plans(state).await?;
    let invalid = refused
        .as_ref()
        .and_then(|r| r.field.clone())
        .unwrap_or_default();
    let page = BuyPage {
        chrome: Chrome::signed_in(ctx, me, "/cloud"),
        steps: steps(&tr, &PURCHASE_STEPS, 0),
        renewal,
        plans: on_sale
            .iter()
            .filter(|p| p.service == CLOUD)
            .map(|p| PlanOption {
                code: p.code.clone(),
                label: tr.with(
                    "cloud-plan-price",
                    &[
                        ("name", &p.name),
                        ("price", &money(p.price, &p.currency)),
                        ("months", &p.period_months.to_string()),
                    ],
                ),
            })
            .collect(),
        keep: view
            .groups
            .iter()
            .flat_map(|g| &g.sites)
            .filter(|s| s.cloud != "not_enabled")
            .map(|s| KeepSite {
                checked: keep_all || form.keep.contains(&s.site_id),
                site_id: s.site_id.clone(),
                label: s.label.clone(),
            })
            .collect(),
        account_line: tr.with(
            "cloud-registry-account",
            &[("username", &account.username), ("email", &account.email)],
        ),
        fields: fields(&tr, &form, &invalid),
        invalid_field: invalid,
        error: refused.as_ref().map(|r| r.text.clone()),
        form,
    };
    let body = html(&page)?;
    Ok(match refused {
        Some(r) => r.answer(body),
        None => body.into_response(),
    })
}

/// `POST /cloud/buy`: places the order and shows its summary; a refusal shows the form
/// again, as typed, with why.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
    Form(f): Form<BuyForm>,
) -> Result<Response, ApiError> {
    if f.terms != "yes" {
        let refused = terms_refused(&ctx.tr);
        return page(&state, &ctx, &me, f, false, Some(refused)).await;
    }
    let placed = match f.sites.trim().parse::<u32>() {
        Ok(sites) => {
            let renewal = cloud::overview(&state, me.id)
                .await?
                .subscription
                .is_some_and(|s| s.purchased_at.is_some());
            let order = NewOrder {
                plan: f.plan.clone(),
                sites,
                keep: renewal.then(|| f.keep.clone()),
                billing: Billing {
                    company: f.company.clone(),
                    street: f.street.clone(),
                    place: f.place.clone(),
                    postal_code: f.postal_code.clone(),
                    region: optional(&f.region),
                    country: f.country.clone(),
                    phone: optional(&f.phone),
                    invoice_email: f.invoice_email.clone(),
                    e_invoice_consent: f.e_invoice_consent == "yes",
                    b2b: f.b2b == "yes",
                    vat_number: optional(&f.vat_number),
                },
            };
            orders::place_order(&state, &me, &order).await
        }
        Err(_) => Err(ApiError::invalid(
            ErrorCode::SitesInvalid,
            "sites",
            ErrorCode::SitesInvalid.message(),
        )),
    };
    match placed {
        Ok(order) => Ok(Redirect::to(&format!("/cloud/orders/{}", order.id)).into_response()),
        Err(e) => {
            let refused = Shown::of(&ctx.tr, e)?;
            page(&state, &ctx, &me, f, false, Some(refused)).await
        }
    }
}
