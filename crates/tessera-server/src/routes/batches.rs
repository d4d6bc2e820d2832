//! Key batches (A2): order a batch for product + edition + size, fill it in chunks (each a
//! transaction, so a client can show progress and resume), list its keys, export CSV.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use rand::rngs::OsRng;
use serde::Deserialize;
use tessera_api::ErrorCode;
use tessera_api::{Batch, BatchList, CreateBatch, FillBatch, KeyInfo, KeyPage};
use tessera_core::{BatchProgress, Code, MAX_BATCH_SIZE, ProductKey};
use tessera_store::{BatchRecord, KeyRecord};

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

/// A fill gives up after this many rounds of replacing keys that collided with existing ones
/// (with 74 random bits a single collision is already unheard of).
const MAX_COLLISION_ROUNDS: usize = 5;

pub fn batch_to_api(b: BatchRecord) -> Batch {
    let progress = BatchProgress {
        requested: b.requested,
        generated: b.generated,
    };
    Batch {
        id: b.id,
        product: b.product,
        edition: b.edition,
        size: b.size,
        requested: b.requested,
        generated: b.generated,
        status: if progress.is_complete() {
            "complete"
        } else {
            "generating"
        }
        .into(),
        note: b.note,
        created_by: b.created_by,
        created_at: b.created_at.to_string(),
    }
}

pub fn key_to_api(k: KeyRecord) -> KeyInfo {
    KeyInfo {
        key: k.key.to_string(),
        batch_id: k.batch_id,
        product: k.product,
        edition: k.edition,
        size: k.size,
        status: k.status.to_string(),
        created_at: k.created_at.to_string(),
        updated_at: k.updated_at.to_string(),
    }
}

fn code_of(field: &str, s: &str) -> ApiResult<String> {
    Code::parse(s)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, field, e))
}

/// Order a batch of keys for a product, edition and size tier. The keys are made by `fill`.
#[utoipa::path(post, path = "/api/v1/key-batches", tag = "keys", request_body = CreateBatch,
    security(("operator_token" = [])),
    responses(
        (status = 201, body = Batch),
        (status = 404, description = "PRODUCT_NOT_FOUND, EDITION_NOT_FOUND, SIZE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 422, body = tessera_api::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(req): ApiJson<CreateBatch>,
) -> ApiResult<(StatusCode, ApiJson<Batch>)> {
    if req.count == 0 || req.count > MAX_BATCH_SIZE {
        return Err(ApiError::invalid(
            ErrorCode::InvalidCount,
            "count",
            format!("a batch holds 1 to {MAX_BATCH_SIZE} keys"),
        ));
    }
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 1000) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidNote,
            "note",
            "a note has at most 1000 characters",
        ));
    }
    let product = state
        .store
        .resolve_product_ref(
            &code_of("product", &req.product)?,
            &code_of("edition", &req.edition)?,
            &code_of("size", &req.size)?,
        )
        .await?;
    let batch = state
        .store
        .create_batch(product, req.count, note, &op.actor(), state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(batch_to_api(batch))))
}

/// Generate up to `count` more keys of the batch (at most 50 000 per call) in one transaction.
#[utoipa::path(post, path = "/api/v1/key-batches/{id}/fill", tag = "keys", request_body = FillBatch,
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "batch id")),
    responses(
        (status = 200, body = Batch),
        (status = 404, body = tessera_api::ErrorBody),
        (status = 409, description = "BATCH_FULL: the batch is complete", body = tessera_api::ErrorBody),
    ))]
pub async fn fill(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<FillBatch>,
) -> ApiResult<ApiJson<Batch>> {
    if req.count == 0 {
        return Err(ApiError::invalid(
            ErrorCode::InvalidCount,
            "count",
            "count must be at least 1",
        ));
    }
    let batch = state.store.batch(id).await?;
    let progress = BatchProgress {
        requested: batch.requested,
        generated: batch.generated,
    };
    let mut wanted = progress.next_chunk(req.count);
    if wanted == 0 {
        return Err(ErrorCode::BatchFull.into());
    }
    for _ in 0..MAX_COLLISION_ROUNDS {
        let keys: Vec<ProductKey> = (0..wanted)
            .map(|_| ProductKey::generate(&mut OsRng))
            .collect();
        let inserted = state
            .store
            .fill_batch(id, &keys, &op.actor(), state.clock.now())
            .await?;
        wanted -= inserted;
        if wanted == 0 {
            break;
        }
    }
    if wanted > 0 {
        return Err(anyhow::anyhow!("batch {id}: {wanted} keys kept colliding").into());
    }
    Ok(ApiJson(batch_to_api(state.store.batch(id).await?)))
}

/// List key batches, newest first.
#[utoipa::path(get, path = "/api/v1/key-batches", tag = "keys",
    security(("operator_token" = [])),
    responses((status = 200, body = BatchList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _op: Operator) -> ApiResult<ApiJson<BatchList>> {
    let batches = state
        .store
        .batches()
        .await?
        .into_iter()
        .map(batch_to_api)
        .collect();
    Ok(ApiJson(BatchList { batches }))
}

/// One batch with its progress.
#[utoipa::path(get, path = "/api/v1/key-batches/{id}", tag = "keys",
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "batch id")),
    responses((status = 200, body = Batch), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Batch>> {
    Ok(ApiJson(batch_to_api(state.store.batch(id).await?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Return keys after this cursor (the `next_after` of the previous page).
    #[serde(default)]
    after: i64,
    /// Page size, 1 to 1000 (default 100).
    #[serde(default = "default_limit")]
    limit: u32,
}

fn default_limit() -> u32 {
    100
}

/// A page of the batch's keys.
#[utoipa::path(get, path = "/api/v1/key-batches/{id}/keys", tag = "keys",
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "batch id"), PageQuery),
    responses((status = 200, body = KeyPage), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn keys(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<KeyPage>> {
    if !(1..=1000).contains(&page.limit) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidQuery,
            "limit",
            "limit must be 1 to 1000",
        ));
    }
    state.store.batch(id).await?;
    let records = state.store.batch_keys(id, page.after, page.limit).await?;
    let next_after = super::next_after(&records, page.limit, |k| k.id);
    Ok(ApiJson(KeyPage {
        keys: records.into_iter().map(key_to_api).collect(),
        next_after,
    }))
}

/// The batch's keys as CSV: key, product, edition, size, status, batch, created_at.
#[utoipa::path(get, path = "/api/v1/key-batches/{id}/keys.csv", tag = "keys",
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "batch id")),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 404, body = tessera_api::ErrorBody)))]
pub async fn csv(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<impl IntoResponse> {
    state.store.batch(id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "key",
        "product",
        "edition",
        "size",
        "status",
        "batch",
        "created_at",
    ])
    .map_err(anyhow::Error::from)?;
    let mut after = 0;
    loop {
        let page = state.store.batch_keys(id, after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for k in page {
            out.write_record([
                k.key.to_string(),
                k.product,
                k.edition,
                k.size,
                k.status.to_string(),
                k.batch_id.to_string(),
                k.created_at.to_string(),
            ])
            .map_err(anyhow::Error::from)?;
        }
    }
    let body = out.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"batch-{id}.csv\""),
            ),
        ],
        body,
    ))
}
