//! Key batches (A2) in the console: the batches with their progress, one ordered; a batch's
//! page fills it a chunk at a time (htmx posts the next chunk as each answer arrives, so the
//! operator watches it fill and a closed tab resumes where it stopped), and its keys
//! download as CSV once full.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{CreateBatch, ErrorCode};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::catalog::products;
use tessera_server::error::ApiError;
use tessera_server::keys::batches;
use tessera_store::BatchRecord;

use crate::error::FormRefusal;
use crate::form::{Field, Kind, PageForm};
use crate::i18n::Tr;
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, when};

pub const PATH: &str = "/operator/keys";

/// Keys made per request while a batch fills: enough to be quick, few enough that the bar
/// moves (10 000 keys: ten steps).
const PAGE_CHUNK: u32 = 1000;

/// One batch as the list and its page show it.
pub struct BatchRow {
    pub id: i64,
    pub what: String,
    pub requested: u32,
    pub generated: u32,
    pub progress: String,
    pub full: bool,
    pub note: String,
    pub made: String,
}

fn batch_row(tr: Tr, b: &BatchRecord, zone: &jiff::tz::TimeZone) -> BatchRow {
    BatchRow {
        id: b.id,
        what: format!("{} · {} · {}", b.product, b.edition, b.size),
        requested: b.requested,
        generated: b.generated,
        progress: tr.numbers(
            "op-batch-progress",
            &[
                ("done", i64::from(b.generated)),
                ("all", i64::from(b.requested)),
            ],
        ),
        full: b.generated >= b.requested,
        note: b.note.clone().unwrap_or_default(),
        made: format!(
            "{} · {}",
            when(Some(&b.created_at.to_string()), zone).unwrap_or_default(),
            b.created_by
        ),
    }
}

#[derive(Template)]
#[template(path = "operator/keys.html")]
struct KeysPage {
    chrome: Chrome,
    batches: Vec<BatchRow>,
    fields: Vec<Field>,
    error: Option<String>,
    find_error: Option<String>,
    find: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct OrderPost {
    /// `product/edition/size`.
    kind: String,
    count: String,
    note: String,
}

/// `GET /operator/keys`: find a key, the batches, order one.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
) -> Result<Html<String>, ApiError> {
    let typed = OrderPost {
        count: "100".into(),
        ..OrderPost::default()
    };
    Ok(Html(keys_page(&state, &ctx, &op, typed, None, None).await?))
}

/// The keys' page; `find` is a search that found nothing (what was typed and why).
pub(crate) async fn keys_page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    typed: OrderPost,
    refusal: Option<FormRefusal>,
    find: Option<(String, String)>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let found = batches::batches(state, op).await?;
    let mut kinds = Vec::new();
    for p in products::products(state, op).await? {
        for e in &p.editions {
            for s in &p.sizes {
                kinds.push((
                    format!("{}/{}/{}", p.code, e.code, s.code),
                    format!("{} · {} · {}", p.name, e.name, s.name),
                ));
            }
        }
    }
    let mut fields = vec![
        Field::new(tr, "kind", "op-batch-kind", Kind::Select)
            .required()
            .choices(kinds)
            .with_value(&typed.kind),
        Field::new(tr, "count", "op-batch-count", Kind::Number)
            .required()
            .with_value(&typed.count),
        Field::new(tr, "note", "op-batch-note", Kind::Text)
            .optional()
            .hint(tr, "op-batch-note-hint")
            .with_value(&typed.note),
    ];
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    let (find, find_error) = find.map_or((String::new(), None), |(k, e)| (k, Some(e)));
    let page = KeysPage {
        chrome: Chrome::operator(ctx, op, PATH),
        batches: found
            .iter()
            .map(|b| batch_row(tr, b, &state.zone))
            .collect(),
        fields,
        error,
        find_error,
        find,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

/// `POST /operator/keys/batches`: ordered, on to its page (which fills it).
pub async fn order(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PageForm(post): PageForm<OrderPost>,
) -> Result<Response, ApiError> {
    let ordered = async {
        let mut parts = post.kind.splitn(3, '/');
        let (Some(product), Some(edition), Some(size)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ApiError::invalid(
                ErrorCode::FieldRequired,
                "kind",
                "choose the product, edition and size",
            ));
        };
        let count = post.count.trim().parse().map_err(|_| {
            ApiError::invalid(ErrorCode::InvalidCount, "count", "a whole number of keys")
        })?;
        let req = CreateBatch {
            product: product.to_owned(),
            edition: edition.to_owned(),
            size: size.to_owned(),
            count,
            note: Some(post.note.clone()),
        };
        batches::order_batch(&state, &op, &req).await
    }
    .await;
    let refused = match ordered {
        Ok(b) => return Ok(Redirect::to(&format!("{PATH}/batches/{}", b.id)).into_response()),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let html = keys_page(&state, &ctx, &op, post, Some(refusal.clone()), None).await?;
    Ok(refusal.respond(html))
}

#[derive(Template)]
#[template(path = "operator/batch.html")]
struct BatchPage {
    chrome: Chrome,
    batch: BatchRow,
}

#[derive(Template)]
#[template(path = "operator/batch_progress.html")]
struct ProgressPart {
    tr: Tr,
    batch: BatchRow,
}

/// `GET /operator/keys/batches/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(id): Path<i64>,
) -> Result<Html<String>, ApiError> {
    let batch = batches::batch(&state, &op, id).await?;
    let page = BatchPage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        batch: batch_row(ctx.tr, &batch, &state.zone),
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// `POST /operator/keys/batches/{id}/fill`: one more chunk; htmx gets the progress (which
/// asks for the next chunk while keys are missing), a plain post the batch's page.
pub async fn fill(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let batch = match batches::fill_batch(&state, &op, id, PAGE_CHUNK).await {
        Ok(batch) => batch,
        Err(e) if e.code() == ErrorCode::BatchFull => batches::batch(&state, &op, id).await?,
        Err(e) => return Err(e),
    };
    if !headers.contains_key("hx-request") {
        return Ok(Redirect::to(&format!("{PATH}/batches/{id}")).into_response());
    }
    let part = ProgressPart {
        tr: ctx.tr,
        batch: batch_row(ctx.tr, &batch, &state.zone),
    };
    Ok(Html(part.render().map_err(anyhow::Error::from)?).into_response())
}

/// `GET /operator/keys/batches/{id}/keys.csv`: the batch's keys.
pub async fn csv(
    State(state): State<AppState>,
    op: Operator,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let body = batches::batch_csv(&state, &op, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"batch-{id}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}
