//! Buying the cloud service, or renewing it (E2–E3): the plan and the number of sites (at a
//! renewal, which enabled sites to keep), the invoicing data prefilled from the account,
//! the terms; placing the order (the place-order use case checks all of it and sums it
//! up) leads to its summary, the order's page, where it is paid.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use tessera_core::money::money;
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, Holds, right};
use tessera_server::billing::orders;
use tessera_server::catalog::plans;
use tessera_server::cloud::{self, CLOUD};
use tessera_server::error::ApiError;

use super::buy_form::{BuyForm, FieldView, fields};
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

/// `GET /cloud/buy`: the form, filled in from the account.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
) -> Result<Response, ApiError> {
    let account = tessera_server::accounts::own_account(&state, me.id).await?;
    let view = cloud::overview(&state, me.id).await?;
    let sub = view.subscription.as_ref();
    let sites = match sub {
        Some(s) if s.purchased_at.is_some() => s.seats.max(view.active),
        _ => view.active,
    }
    .max(1);
    let plan = sub.map(|s| s.plan.clone()).unwrap_or_default();
    let form = BuyForm::prefilled(&account, plan, sites);
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
    let renewal = cloud::overview(&state, me.id)
        .await?
        .subscription
        .is_some_and(|s| s.purchased_at.is_some());
    let placed = match f.order(renewal) {
        Ok(order) => orders::place_order(&state, &me, &order).await,
        Err(e) => Err(e),
    };
    match placed {
        Ok(order) => Ok(Redirect::to(&format!("/cloud/orders/{}", order.id)).into_response()),
        Err(e) => {
            let refused = Shown::of(&ctx.tr, e)?;
            page(&state, &ctx, &me, f, false, Some(refused)).await
        }
    }
}
