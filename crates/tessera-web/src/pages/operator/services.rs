//! The monthly services (F1) in the console, beside the plans: each with its price a month;
//! a service added (the price typed as an amount, `49.00`). The operator JSON routes' use
//! cases (`tessera_server::services`), unchanged.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{ErrorCode, NewService};
use tessera_core::money::{money, parse_amount};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::services;

use crate::error::FormRefusal;
use crate::form::{Field, FormCard, Kind, PageForm};
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery};

const PATH: &str = "/operator/services";

/// One service of the list.
pub struct ServiceRow {
    pub code: String,
    pub name: String,
    pub price: String,
}

#[derive(Template)]
#[template(path = "operator/services.html")]
struct ServicesPage {
    chrome: Chrome,
    notice: Option<String>,
    services: Vec<ServiceRow>,
    form: FormCard,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewServicePost {
    code: String,
    name: String,
    monthly_price: String,
    currency: String,
}

/// `GET /operator/services`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let notice = (q.done == "service").then(|| ctx.tr.t("op-services-done"));
    let typed = NewServicePost {
        currency: "EUR".into(),
        ..NewServicePost::default()
    };
    Ok(Html(page(&state, &ctx, &op, notice, typed, None).await?))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    notice: Option<String>,
    typed: NewServicePost,
    refusal: Option<FormRefusal>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let text = |name: &'static str, label: &str, value: String| {
        Field::new(tr, name, label, Kind::Text)
            .required()
            .auto("off")
            .with_value(value)
    };
    let mut fields = vec![
        text("code", "op-services-code", typed.code).code(),
        text("name", "op-services-name", typed.name),
        text("monthly_price", "op-services-price", typed.monthly_price)
            .hint(tr, "op-services-price-hint"),
        text("currency", "op-plan-currency", typed.currency).code(),
    ];
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    let view = ServicesPage {
        // The services sit with the plans in the menu.
        chrome: Chrome::operator(ctx, op, "/operator/plans"),
        notice,
        services: services::list(state)
            .await?
            .into_iter()
            .map(|s| ServiceRow {
                price: tr.with(
                    "op-services-per-month",
                    &[("price", &money(s.monthly_price, &s.currency))],
                ),
                code: s.code,
                name: s.name,
            })
            .collect(),
        form: FormCard {
            id: "new-service".into(),
            title: tr.t("op-services-new"),
            help: None,
            action: "/operator/services".into(),
            submit: tr.t("op-services-create"),
            fields,
            error,
            wide: true,
        },
    };
    Ok(view.render().map_err(anyhow::Error::from)?)
}

/// `POST /operator/services`: added, back to the list; refused, the form again as typed.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PageForm(post): PageForm<NewServicePost>,
) -> Result<Response, ApiError> {
    let currency = post.currency.trim().to_ascii_uppercase();
    let added = match parse_amount(&post.monthly_price, &currency) {
        Some(monthly_price) => {
            let req = NewService {
                code: post.code.clone(),
                name: post.name.clone(),
                monthly_price,
                currency,
            };
            services::add_service(&state, &op, &req).await.map(drop)
        }
        None => Err(ApiError::invalid(
            ErrorCode::PriceInvalid,
            "monthly_price",
            "the price is an amount such as 49.00",
        )),
    };
    let refused = match added {
        Ok(()) => return Ok(Redirect::to(&format!("{PATH}?done=service")).into_response()),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let html = page(&state, &ctx, &op, None, post, Some(refusal.clone())).await?;
    Ok(refusal.respond(html))
}
