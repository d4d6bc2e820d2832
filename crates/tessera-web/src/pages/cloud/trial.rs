//! The free trial as the seed's wizard (E1): choose the plan with the account's registry
//! data shown and the terms accepted, a summary at 0.00, then the confirmation — the trial
//! is started (and its mail sent) by the start-trial use case when the summary is
//! confirmed. TRIAL_USED, TRIAL_AFTER_PURCHASE and the like are shown in words.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{ErrorCode, StartTrial};
use tessera_core::money::{money, rate};
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, Holds, right};
use tessera_server::catalog::plans;
use tessera_server::cloud::{self, CLOUD};
use tessera_server::error::ApiError;
use tessera_store::PlanRecord;

use super::{Registry, Shown, Step, SummaryView, TRIAL_STEPS, day, html, steps};
use crate::i18n::Tr;
use crate::view::{Chrome, Ctx};

/// A plan with a trial, as offered.
#[derive(Debug, Clone)]
pub struct TrialChoice {
    pub code: String,
    pub name: String,
    /// "6 months, up to 3 sites".
    pub terms: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "cloud_trial.html")]
struct ChoosePage {
    chrome: Chrome,
    steps: Vec<Step>,
    plans: Vec<TrialChoice>,
    registry: Registry,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "cloud_trial_summary.html")]
struct SummaryPage {
    chrome: Chrome,
    steps: Vec<Step>,
    plan: String,
    terms: String,
    registry: Registry,
    summary: SummaryView,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "cloud_trial_started.html")]
struct StartedPage {
    chrome: Chrome,
    steps: Vec<Step>,
    /// "The trial runs until 2027-05-23, for up to 3 sites."
    ends: String,
}

/// What the wizard carries from step to step.
#[derive(Debug, Deserialize, Default)]
pub struct Choice {
    #[serde(default)]
    plan: String,
    /// The terms accepted (the checkbox's `yes`).
    #[serde(default)]
    terms: String,
}

impl Choice {
    /// The trial the wizard asks the use case for.
    fn trial(&self) -> StartTrial {
        StartTrial {
            plan: self.plan.clone(),
            terms_accepted: self.terms == "yes",
        }
    }
}

/// The service's plans that have a trial.
async fn trial_plans(state: &AppState) -> Result<Vec<PlanRecord>, ApiError> {
    Ok(plans::plans(state)
        .await?
        .into_iter()
        .filter(|p| p.service == CLOUD && p.trial_months > 0)
        .collect())
}

fn choice(tr: &Tr, p: &PlanRecord, chosen: &str, only: bool) -> TrialChoice {
    TrialChoice {
        terms: tr.numbers(
            "cloud-trial-terms",
            &[
                ("months", i64::from(p.trial_months)),
                ("sites", i64::from(p.trial_sites)),
            ],
        ),
        checked: only || p.code == chosen,
        code: p.code.clone(),
        name: p.name.clone(),
    }
}

/// Step 1 for `me`, `chosen` picked, with why it cannot go on.
async fn choose(
    state: &AppState,
    ctx: &Ctx,
    me: &AccountUser,
    chosen: &str,
    refused: Option<Shown>,
) -> Result<Response, ApiError> {
    let offered = trial_plans(state).await?;
    let only = offered.len() == 1;
    let account = tessera_server::accounts::own_account(state, me.id).await?;
    let page = ChoosePage {
        chrome: Chrome::signed_in(ctx, me, "/cloud"),
        steps: steps(&ctx.tr, &TRIAL_STEPS, 0),
        plans: offered
            .iter()
            .map(|p| choice(&ctx.tr, p, chosen, only))
            .collect(),
        registry: Registry::of(&account),
        error: refused.as_ref().map(|r| r.text.clone()),
    };
    let body = html(&page)?;
    Ok(match refused {
        Some(r) => r.answer(body),
        None => body.into_response(),
    })
}

/// Refused: the terms were not accepted.
pub(crate) fn terms_refused(tr: &Tr) -> Shown {
    Shown {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: ErrorCode::TermsNotAccepted,
        text: tr.t("error-TERMS_NOT_ACCEPTED"),
        field: Some("terms".into()),
    }
}

/// `GET /cloud/trial`: step 1.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
    Query(q): Query<Choice>,
) -> Result<Response, ApiError> {
    choose(&state, &ctx, &me, &q.plan, None).await
}

/// Step 2 for the plan `c` names, with why starting it was refused.
async fn summary_page(
    state: &AppState,
    ctx: &Ctx,
    me: &AccountUser,
    c: &Choice,
    refused: Option<Shown>,
) -> Result<Response, ApiError> {
    let tr = ctx.tr;
    let Some(plan) = trial_plans(state)
        .await?
        .into_iter()
        .find(|p| p.code == c.plan)
    else {
        let shown = Shown::of(&tr, ErrorCode::PlanNotFound.into())?;
        return choose(state, ctx, me, "", Some(shown)).await;
    };
    let account = tessera_server::accounts::own_account(state, me.id).await?;
    let zero = money(0, &plan.currency);
    let page = SummaryPage {
        chrome: Chrome::signed_in(ctx, me, "/cloud"),
        steps: steps(&tr, &TRIAL_STEPS, 1),
        plan: plan.code.clone(),
        terms: c.terms.clone(),
        registry: Registry::of(&account),
        summary: SummaryView {
            article_code: "TRIAL".into(),
            service: plan.name.clone(),
            bundle: "TRIAL".into(),
            date: day(&state.clock.now().to_string(), &state.zone),
            net: zero.clone(),
            vat_rate: rate(0),
            vat: zero.clone(),
            total: zero,
            vat_note: None,
        },
        error: refused.as_ref().map(|r| r.text.clone()),
    };
    let body = html(&page)?;
    Ok(match refused {
        Some(r) => r.answer(body),
        None => body.into_response(),
    })
}

/// `GET /cloud/trial/summary`: step 2, the summary at 0.00 (step 1 again while the terms
/// are not accepted).
pub async fn summary(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
    Query(c): Query<Choice>,
) -> Result<Response, ApiError> {
    if c.terms != "yes" {
        return choose(&state, &ctx, &me, &c.plan, Some(terms_refused(&ctx.tr))).await;
    }
    summary_page(&state, &ctx, &me, &c, None).await
}

/// `POST /cloud/trial`: the summary confirmed; starts the trial and shows step 3.
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ApproveCosts>,
    axum::Form(c): axum::Form<Choice>,
) -> Result<Response, ApiError> {
    if c.terms != "yes" {
        return choose(&state, &ctx, &me, &c.plan, Some(terms_refused(&ctx.tr))).await;
    }
    match cloud::start_trial(&state, &me, &c.trial()).await {
        Ok(_) => Ok(Redirect::to("/cloud/trial/started").into_response()),
        Err(e) => {
            let shown = Shown::of(&ctx.tr, e)?;
            summary_page(&state, &ctx, &me, &c, Some(shown)).await
        }
    }
}

/// `GET /cloud/trial/started`: step 3, the confirmation, with the trial's end.
pub async fn started(
    State(state): State<AppState>,
    ctx: Ctx,
    me: AccountUser,
) -> Result<Response, ApiError> {
    let view = cloud::overview(&state, me.id).await?;
    let Some(sub) = view.subscription else {
        return Ok(Redirect::to("/cloud/trial").into_response());
    };
    let page = StartedPage {
        chrome: Chrome::signed_in(&ctx, &me, "/cloud"),
        steps: steps(&ctx.tr, &TRIAL_STEPS, 2),
        ends: ctx.tr.with(
            "cloud-trial-ends",
            &[
                ("date", &day(&sub.expires_at, &state.zone)),
                ("sites", &sub.seats.to_string()),
            ],
        ),
    };
    Ok(html(&page)?.into_response())
}
