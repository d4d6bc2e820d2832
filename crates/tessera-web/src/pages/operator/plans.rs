//! The plans on sale (E1–E2) in the console: each with its price per site and term, its
//! trial and the editions and sizes it covers; a plan added. The operator JSON route's use
//! case, unchanged.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{BundleRef, ErrorCode, NewPlan};
use tessera_core::money::{money, parse_amount};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::catalog::{plans, products};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_store::PlanRecord;

use crate::error::FormRefusal;
use crate::form::{Field, FormCard, Kind, PageForm};
use crate::i18n::Tr;
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery};

const PATH: &str = "/operator/plans";

/// One plan of the list.
pub struct PlanRow {
    pub code: String,
    pub name: String,
    pub service: String,
    pub article_code: String,
    pub price: String,
    pub trial: String,
    pub product: String,
    pub bundles: String,
}

#[derive(Template)]
#[template(path = "operator/plans.html")]
struct PlansPage {
    chrome: Chrome,
    notice: Option<String>,
    plans: Vec<PlanRow>,
    form: FormCard,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewPlanPost {
    code: String,
    service: String,
    name: String,
    article_code: String,
    price: String,
    currency: String,
    period_months: String,
    trial_months: String,
    trial_sites: String,
    product: String,
    /// `standard/small, premium/large`.
    bundles: String,
}

/// `GET /operator/plans`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let notice = (q.done == "plan").then(|| ctx.tr.t("op-done-plan"));
    let typed = NewPlanPost {
        service: "cloud".into(),
        currency: "EUR".into(),
        period_months: "12".into(),
        trial_months: "6".into(),
        trial_sites: "5".into(),
        ..NewPlanPost::default()
    };
    Ok(Html(page(&state, &ctx, &op, notice, typed, None).await?))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    notice: Option<String>,
    typed: NewPlanPost,
    refusal: Option<FormRefusal>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let found = plans::plans(state).await?;
    let products = products::products(state, op).await?;
    let text = |name: &'static str, label: &str, value: &str| {
        Field::new(tr, name, label, Kind::Text)
            .required()
            .auto("off")
            .with_value(value)
    };
    let number = |name: &'static str, label: &str, value: &str| {
        Field::new(tr, name, label, Kind::Number)
            .required()
            .with_value(value)
    };
    let mut fields = vec![
        text("code", "op-plan-code", &typed.code).code(),
        text("name", "op-plan-name", &typed.name),
        text("service", "op-plan-service", &typed.service)
            .code()
            .hint(tr, "op-plan-service-hint"),
        text("article_code", "op-plan-article", &typed.article_code).code(),
        text("price", "op-plan-price", &typed.price).hint(tr, "op-plan-price-hint"),
        text("currency", "op-plan-currency", &typed.currency).code(),
        number("period_months", "op-plan-period", &typed.period_months),
        number("trial_months", "op-plan-trial-months", &typed.trial_months),
        number("trial_sites", "op-plan-trial-sites", &typed.trial_sites),
        Field::new(tr, "product", "op-plan-product", Kind::Select)
            .required()
            .choices(
                products
                    .iter()
                    .map(|p| (p.code.clone(), p.name.clone()))
                    .collect(),
            )
            .with_value(&typed.product),
        text("bundles", "op-plan-bundles", &typed.bundles)
            .code()
            .hint(tr, "op-plan-bundles-hint"),
    ];
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    let view = PlansPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        plans: found.iter().map(|p| plan_row(tr, p)).collect(),
        form: FormCard {
            id: "new-plan".into(),
            title: tr.t("op-plan-new"),
            help: None,
            action: "/operator/plans".into(),
            submit: tr.t("op-plan-create"),
            fields,
            error,
            wide: true,
        },
    };
    Ok(view.render().map_err(anyhow::Error::from)?)
}

fn plan_row(tr: Tr, p: &PlanRecord) -> PlanRow {
    PlanRow {
        code: p.code.clone(),
        name: p.name.clone(),
        service: p.service.clone(),
        article_code: p.article_code.clone(),
        price: tr.with(
            "op-plan-price-per",
            &[
                ("price", &money(p.price, &p.currency)),
                ("months", &p.period_months.to_string()),
            ],
        ),
        trial: if p.trial_months == 0 {
            tr.t("op-plan-no-trial")
        } else {
            tr.numbers(
                "op-plan-trial",
                &[
                    ("months", i64::from(p.trial_months)),
                    ("sites", i64::from(p.trial_sites)),
                ],
            )
        },
        product: p.product.clone(),
        bundles: p
            .bundles
            .iter()
            .map(|b| format!("{}/{}", b.edition, b.size))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The plan the form asks for; a number or amount that is none is refused at its field.
fn new_plan(post: &NewPlanPost) -> Result<NewPlan, ApiError> {
    let count = |field: &str, typed: &str| {
        typed.trim().parse::<u32>().map_err(|_| {
            ApiError::invalid(ErrorCode::InvalidCount, field, "a whole number, 0 or more")
        })
    };
    let currency = post.currency.trim().to_ascii_uppercase();
    let price = parse_amount(&post.price, &currency).ok_or_else(|| {
        ApiError::invalid(
            ErrorCode::PriceInvalid,
            "price",
            "the price is an amount such as 300.00",
        )
    })?;
    let bundles = post
        .bundles
        .split([',', '\n'])
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| match b.split_once('/') {
            Some((edition, size)) => Ok(BundleRef {
                edition: edition.trim().to_owned(),
                size: size.trim().to_owned(),
            }),
            None => Err(ApiError::invalid(
                ErrorCode::FieldInvalid,
                "bundles",
                "bundles are written edition/size, separated by commas",
            )),
        })
        .collect::<Result<_, _>>()?;
    Ok(NewPlan {
        code: post.code.clone(),
        service: post.service.clone(),
        name: post.name.clone(),
        article_code: post.article_code.clone(),
        price,
        currency,
        period_months: count("period_months", &post.period_months)?,
        trial_months: count("trial_months", &post.trial_months)?,
        trial_sites: count("trial_sites", &post.trial_sites)?,
        product: post.product.clone(),
        bundles,
    })
}

/// `POST /operator/plans`: added, back to the list; refused, the form again as typed.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PageForm(post): PageForm<NewPlanPost>,
) -> Result<Response, ApiError> {
    let added = match new_plan(&post) {
        Ok(plan) => plans::add_plan(&state, &op, &plan).await.map(drop),
        Err(e) => Err(e),
    };
    let refused = match added {
        Ok(()) => return Ok(Redirect::to(&format!("{PATH}?done=plan")).into_response()),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let html = page(&state, &ctx, &op, None, post, Some(refusal.clone())).await?;
    Ok(refusal.respond(html))
}
