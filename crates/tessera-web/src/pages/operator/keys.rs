//! One product key (A3) in the console: found by the key as typed (any case, with or without
//! dashes), its state and installation, its whole history; revoked with a reason, moved to
//! another edition of its product.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::catalog::products;
use tessera_server::error::ApiError;
use tessera_server::keys;
use tessera_store::KeyRecord;

use super::batches::{OrderPost, PATH, keys_page};
use crate::error::FormRefusal;
use crate::form::{Field, Kind, PageForm};
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery, when};

#[derive(Debug, Deserialize, Default)]
pub struct FindQuery {
    #[serde(default)]
    key: String,
}

/// `GET /operator/keys/find?key=…`: the key's page, or the keys' page saying why not.
pub async fn find(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Query(q): Query<FindQuery>,
) -> Result<Response, ApiError> {
    let refused = match keys::key(&state, &op, &q.key).await {
        Ok(found) => return Ok(Redirect::to(&format!("{PATH}/{}", found.key)).into_response()),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused).or_else(|| {
        // Not found reads on the page too: it is an answer to the search.
        (refused.status() == axum::http::StatusCode::NOT_FOUND).then(|| FormRefusal {
            code: refused.code(),
            status: refused.status(),
            field: None,
            message: ctx.tr.t("op-key-not-found"),
        })
    }) else {
        return Err(refused);
    };
    let typed = OrderPost::default();
    let find = Some((q.key.clone(), refusal.message.clone()));
    let html = keys_page(&state, &ctx, &op, typed, None, find).await?;
    Ok(refusal.respond(html))
}

/// One event of the key's history.
pub struct Event {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "operator/key.html")]
struct KeyPage {
    chrome: Chrome,
    notice: Option<String>,
    key: KeyRecord,
    status: String,
    installation: Option<(i64, String)>,
    events: Vec<Event>,
    revoke: Vec<Field>,
    revoke_error: Option<String>,
    edition: Vec<Field>,
    edition_error: Option<String>,
}

/// `GET /operator/keys/{key}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(key): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let notice = ["revoked", "edition"]
        .contains(&q.done.as_str())
        .then(|| ctx.tr.t(&format!("op-key-done-{}", q.done)));
    Ok(Html(key_page(&state, &ctx, &op, &key, notice, None).await?))
}

/// Which of the key page's forms a refusal belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Revoke,
    Edition,
}

async fn key_page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    key: &str,
    notice: Option<String>,
    refused: Option<(Form, String, FormRefusal)>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let record = keys::key(state, op, key).await?;
    let shown = record.key.to_string();
    let history = keys::history(state, op, &shown).await?;
    let installation = keys::installation(state, op, &shown).await?;
    let product = products::product(state, op, &record.product).await?;
    let typed = |form: Form| match &refused {
        Some((f, typed, _)) if *f == form => typed.clone(),
        _ => String::new(),
    };
    let mut revoke = vec![
        Field::new(tr, "reason", "op-key-reason", Kind::Text)
            .required()
            .auto("off")
            .with_value(typed(Form::Revoke)),
    ];
    let mut edition = vec![
        Field::new(tr, "edition", "op-key-edition", Kind::Select)
            .required()
            .choices(
                product
                    .editions
                    .iter()
                    .filter(|e| e.code != record.edition)
                    .map(|e| (e.code.clone(), e.name.clone()))
                    .collect(),
            )
            .with_value(typed(Form::Edition)),
    ];
    let (mut revoke_error, mut edition_error) = (None, None);
    if let Some((form, _, refusal)) = refused {
        match form {
            Form::Revoke => revoke_error = at_field(&mut revoke, refusal),
            Form::Edition => edition_error = at_field(&mut edition, refusal),
        }
    }
    let page = KeyPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        status: tr.t(&format!("op-key-status-{}", record.status.as_str())),
        installation,
        events: history
            .events
            .into_iter()
            .map(|e| Event {
                at: when(Some(&e.at), &state.zone).unwrap_or(e.at),
                actor: e.actor,
                action: e.action,
                detail: e.detail.unwrap_or_default(),
            })
            .collect(),
        key: record,
        revoke,
        revoke_error,
        edition,
        edition_error,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RevokePost {
    reason: String,
}

/// `POST /operator/keys/{key}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(key): Path<String>,
    PageForm(post): PageForm<RevokePost>,
) -> Result<Response, ApiError> {
    let done = keys::revoke(&state, &op, &key, &post.reason).await;
    answer(&state, &ctx, &op, &key, done, Form::Revoke, post.reason).await
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct EditionPost {
    edition: String,
}

/// `POST /operator/keys/{key}/edition`.
pub async fn change_edition(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(key): Path<String>,
    PageForm(post): PageForm<EditionPost>,
) -> Result<Response, ApiError> {
    let done = keys::change_edition(&state, &op, &key, &post.edition).await;
    answer(&state, &ctx, &op, &key, done, Form::Edition, post.edition).await
}

/// Done: back to the key's page saying so; refused: the page with why, at the form.
async fn answer(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    key: &str,
    done: Result<KeyRecord, ApiError>,
    form: Form,
    typed: String,
) -> Result<Response, ApiError> {
    let refused = match done {
        Ok(k) => {
            let what = if form == Form::Revoke {
                "revoked"
            } else {
                "edition"
            };
            return Ok(Redirect::to(&format!("{PATH}/{}?done={what}", k.key)).into_response());
        }
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let html = key_page(
        state,
        ctx,
        op,
        key,
        None,
        Some((form, typed, refusal.clone())),
    )
    .await?;
    Ok(refusal.respond(html))
}
