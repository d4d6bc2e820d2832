//! Key batches (A2): order a batch for product + edition + size, fill it in chunks (each a
//! transaction, so a client can show progress and resume), list its keys, export CSV.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use tessera_api::{Batch, BatchList, CreateBatch, FillBatch, KeyInfo, KeyPage};
use tessera_core::BatchProgress;
use tessera_store::{BatchRecord, KeyRecord};

use crate::actors::Operator;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::keys::batches;
use crate::state::AppState;

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
    let batch = batches::order_batch(&state, &op, &req).await?;
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
    let batch = batches::fill_batch(&state, &op, id, req.count).await?;
    Ok(ApiJson(batch_to_api(batch)))
}

/// List key batches, newest first.
#[utoipa::path(get, path = "/api/v1/key-batches", tag = "keys",
    security(("operator_token" = [])),
    responses((status = 200, body = BatchList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(State(state): State<AppState>, op: Operator) -> ApiResult<ApiJson<BatchList>> {
    let batches = batches::batches(&state, &op).await?;
    Ok(ApiJson(BatchList {
        batches: batches.into_iter().map(batch_to_api).collect(),
    }))
}

/// One batch with its progress.
#[utoipa::path(get, path = "/api/v1/key-batches/{id}", tag = "keys",
    security(("operator_token" = [])),
    params(("id" = i64, Path, description = "batch id")),
    responses((status = 200, body = Batch), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Batch>> {
    Ok(ApiJson(batch_to_api(
        batches::batch(&state, &op, id).await?,
    )))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Return keys after this cursor (the `next_after` of the previous page).
    #[serde(default)]
    after: i64,
    /// Page size, 1 to 1000 (default 100).
    #[serde(default = "default_limit")]
    #[param(minimum = 1, maximum = 1000)]
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
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<KeyPage>> {
    let records = batches::batch_keys(&state, &op, id, page.after, page.limit).await?;
    let next_after = crate::paging::next_after(&records, page.limit, |k| k.id);
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
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<impl IntoResponse> {
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
    ))
}
