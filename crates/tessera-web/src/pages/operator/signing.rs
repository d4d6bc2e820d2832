//! The signing keys (C3) in the console: which key signs now, which still verify, which
//! are retired; a rotation, and a retirement that says first what it means and asks to be
//! confirmed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{ErrorCode, PublicKeyInfo};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::error::ApiError;
use tessera_server::signing::keys;

use crate::error::FormRefusal;
use crate::form::PageForm;
use crate::view::{Chrome, Ctx, DoneQuery, when};

const PATH: &str = "/operator/signing-keys";

/// One key, with its dates in words.
pub struct KeyRow {
    pub key: PublicKeyInfo,
    pub created: String,
    pub retired: Option<String>,
}

#[derive(Template)]
#[template(path = "operator/signing_keys.html")]
struct SigningPage {
    chrome: Chrome,
    notice: Option<String>,
    error: Option<String>,
    keys: Vec<KeyRow>,
}

/// `GET /operator/signing-keys`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let notice = ["rotated", "retired"]
        .contains(&q.done.as_str())
        .then(|| ctx.tr.t(&format!("op-signing-done-{}", q.done)));
    Ok(Html(page(&state, &ctx, &op, notice, None).await?))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    notice: Option<String>,
    error: Option<String>,
) -> Result<String, ApiError> {
    let zone = &state.zone;
    let keys = keys::public_keys(state)
        .await?
        .into_iter()
        .map(|key| KeyRow {
            created: when(Some(&key.created_at), zone).unwrap_or_default(),
            retired: when(key.retired_at.as_deref(), zone),
            key,
        })
        .collect();
    let page = SigningPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        error,
        keys,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

/// `POST /operator/signing-keys/rotate`.
pub async fn rotate(State(state): State<AppState>, op: Operator) -> Result<Response, ApiError> {
    keys::rotate(&state, &op).await?;
    Ok(Redirect::to(&format!("{PATH}?done=rotated")).into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RetirePost {
    /// The box saying the operator read what retiring means.
    understood: String,
}

/// `POST /operator/signing-keys/{key_id}/retire`: only with the warning confirmed.
pub async fn retire(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(key_id): Path<String>,
    PageForm(post): PageForm<RetirePost>,
) -> Result<Response, ApiError> {
    let done = if post.understood.is_empty() {
        Err(ApiError::invalid(
            ErrorCode::FieldRequired,
            "understood",
            "confirm that you read what retiring means",
        ))
    } else {
        keys::retire(&state, &op, &key_id).await.map(drop)
    };
    let refused = match done {
        Ok(()) => return Ok(Redirect::to(&format!("{PATH}?done=retired")).into_response()),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let message = if refusal.code == ErrorCode::FieldRequired {
        ctx.tr.t("op-signing-confirm-first")
    } else {
        refusal.message.clone()
    };
    let html = page(&state, &ctx, &op, None, Some(message)).await?;
    Ok(refusal.respond(html))
}
