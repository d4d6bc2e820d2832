//! Subscriptions (E4) in the console: every subscription, narrowed by state, each with its
//! account; its state set — blocked, maintenance, deleted, or resumed — with a note the
//! customer reads beside the state on its cloud page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{SetSubscriptionState, Subscription};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::catalog::plans;
use tessera_server::error::ApiError;

use crate::error::FormRefusal;
use crate::form::PageForm;
use crate::view::{Chrome, Ctx, when};

const PATH: &str = "/operator/subscriptions";

/// The states a list narrows to, and an operator sets.
const STATES: [&str; 6] = [
    "trialing",
    "active",
    "expired",
    "maintenance",
    "blocked",
    "deleted",
];

/// One subscription of the list.
pub struct Row {
    pub sub: Subscription,
    pub state_label: String,
    pub ends: String,
}

#[derive(Template)]
#[template(path = "operator/subscriptions.html")]
struct SubscriptionsPage {
    chrome: Chrome,
    notice: Option<String>,
    error: Option<String>,
    /// The state shown, or "" for all; with each choice's label.
    state: String,
    states: Vec<(&'static str, String)>,
    /// What an operator may set: (value, label).
    settable: Vec<(&'static str, String)>,
    rows: Vec<Row>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    done: String,
}

/// `GET /operator/subscriptions?state=…`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, ApiError> {
    let notice = (q.done == "state").then(|| ctx.tr.t("op-sub-done-state"));
    Ok(Html(page(&state, &ctx, &op, &q.state, notice, None).await?))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    shown: &str,
    notice: Option<String>,
    error: Option<String>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let label = |s: &str| tr.t(&format!("cloud-state-{s}"));
    let rows = plans::subscriptions(state, op, None)
        .await?
        .into_iter()
        .filter(|s| shown.is_empty() || s.state == shown)
        .map(|sub| Row {
            state_label: label(&sub.state),
            ends: when(Some(&sub.expires_at), &state.zone).unwrap_or_default(),
            sub,
        })
        .collect();
    let page = SubscriptionsPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        error,
        state: shown.to_owned(),
        states: STATES.iter().map(|s| (*s, label(s))).collect(),
        settable: [
            ("maintenance", "cloud-state-maintenance"),
            ("blocked", "cloud-state-blocked"),
            ("deleted", "cloud-state-deleted"),
            ("active", "op-sub-resume"),
        ]
        .into_iter()
        .map(|(value, key)| (value, tr.t(key)))
        .collect(),
        rows,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatePost {
    state: String,
    note: String,
}

/// `POST /operator/subscriptions/{id}/state`: set, back to the list; refused, the list
/// with why.
pub async fn set_state(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(id): Path<i64>,
    PageForm(post): PageForm<StatePost>,
) -> Result<Response, ApiError> {
    let req = SetSubscriptionState {
        state: post.state,
        note: Some(post.note),
    };
    let refused = match plans::set_subscription_state(&state, &op, id, &req).await {
        Ok(sub) => {
            op.note.account(sub.account_id);
            let to = format!("{PATH}?done=state#subscription-{id}");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let html = page(&state, &ctx, &op, "", None, Some(refusal.message.clone())).await?;
    Ok(refusal.respond(html))
}
