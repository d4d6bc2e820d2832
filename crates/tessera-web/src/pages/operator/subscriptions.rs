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
    /// The state chosen in its form and the note typed, when the form was refused: shown
    /// again with `error` beside them.
    pub chosen: String,
    pub note: String,
    pub error: Option<String>,
    /// The field the refusal is about (`state`, `note`), or "".
    pub error_field: String,
}

/// A refused state change, shown at its subscription's row.
struct Refused {
    id: i64,
    chosen: String,
    note: String,
    message: String,
    field: String,
}

#[derive(Template)]
#[template(path = "operator/subscriptions.html")]
struct SubscriptionsPage {
    chrome: Chrome,
    notice: Option<String>,
    /// A refusal whose subscription is not in the list.
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
    Ok(Html(
        page(&state, &ctx, &op, shown(&q.state), notice, None).await?,
    ))
}

/// The list's filter as asked for: one of [`STATES`], or "" (all) for anything else.
fn shown(asked: &str) -> &str {
    STATES.iter().find(|s| **s == asked).copied().unwrap_or("")
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    shown: &str,
    notice: Option<String>,
    refused: Option<Refused>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let label = |s: &str| tr.t(&format!("cloud-state-{s}"));
    let mut refused = refused;
    let rows = plans::subscriptions(state, op, None)
        .await?
        .into_iter()
        .filter(|s| shown.is_empty() || s.state == shown)
        .map(|sub| {
            let mut row = Row {
                state_label: label(&sub.state),
                ends: when(Some(&sub.expires_at), &state.zone).unwrap_or_default(),
                chosen: String::new(),
                note: String::new(),
                error: None,
                error_field: String::new(),
                sub,
            };
            if let Some(r) = refused.take_if(|r| r.id == row.sub.id) {
                (row.chosen, row.note) = (r.chosen, r.note);
                (row.error, row.error_field) = (Some(r.message), r.field);
            }
            row
        })
        .collect();
    let page = SubscriptionsPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        error: refused.map(|r| r.message),
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
    /// The list's filter when the form was sent, kept on the way back.
    shown: String,
}

/// `POST /operator/subscriptions/{id}/state`: set, back to the list as it was filtered;
/// refused, the list again with why at the subscription's row, the state chosen and the
/// note typed kept.
pub async fn set_state(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(id): Path<i64>,
    PageForm(post): PageForm<StatePost>,
) -> Result<Response, ApiError> {
    let shown = shown(&post.shown);
    let req = SetSubscriptionState {
        state: post.state.clone(),
        note: Some(post.note.clone()),
    };
    let refused = match plans::set_subscription_state(&state, &op, id, &req).await {
        Ok(sub) => {
            op.note.account(sub.account_id);
            let filter = match shown {
                "" => String::new(),
                s => format!("state={s}&"),
            };
            let to = format!("{PATH}?{filter}done=state#subscription-{id}");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let refused = Refused {
        id,
        chosen: post.state,
        note: post.note,
        message: refusal.message.clone(),
        field: refusal.field.clone().unwrap_or_default(),
    };
    let html = page(&state, &ctx, &op, shown, None, Some(refused)).await?;
    Ok(refusal.respond(html))
}
