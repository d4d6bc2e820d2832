//! Key batches (A2): ordered for a product, edition and size, filled in chunks (each a
//! transaction, so a client can show progress and resume), listed and exported as CSV.

use rand::rngs::OsRng;
use tessera_api::{CreateBatch, ErrorCode};
use tessera_core::{BatchProgress, Code, MAX_BATCH_SIZE, ProductKey};
use tessera_store::{BatchRecord, KeyRecord};

use crate::actors::Operator;
use crate::csv_cells::write_row;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A fill gives up after this many rounds of replacing keys that collided with existing ones
/// (with 74 random bits a single collision is already unheard of).
const MAX_COLLISION_ROUNDS: usize = 5;

fn code_of(field: &str, s: &str) -> ApiResult<String> {
    Code::parse(s)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, field, e))
}

/// Orders a batch of `req.count` keys for a product, edition and size tier (A2); the keys
/// are made by [`fill_batch`].
pub async fn order_batch(
    app: &AppState,
    op: &Operator,
    req: &CreateBatch,
) -> ApiResult<BatchRecord> {
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
    let product = app
        .store
        .resolve_product_ref(
            &code_of("product", &req.product)?,
            &code_of("edition", &req.edition)?,
            &code_of("size", &req.size)?,
        )
        .await?;
    Ok(app
        .store
        .create_batch(product, req.count, note, &op.actor(), app.clock.now())
        .await?)
}

/// Generates up to `count` more keys of the batch `id` (at most one chunk) in one
/// transaction (A2), replacing any that collide with existing keys.
pub async fn fill_batch(
    app: &AppState,
    op: &Operator,
    id: i64,
    count: u32,
) -> ApiResult<BatchRecord> {
    if count == 0 {
        return Err(ApiError::invalid(
            ErrorCode::InvalidCount,
            "count",
            "count must be at least 1",
        ));
    }
    let batch = app.store.batch(id).await?;
    let progress = BatchProgress {
        requested: batch.requested,
        generated: batch.generated,
    };
    let mut wanted = progress.next_chunk(count);
    if wanted == 0 {
        return Err(ErrorCode::BatchFull.into());
    }
    for _ in 0..MAX_COLLISION_ROUNDS {
        let keys: Vec<ProductKey> = (0..wanted)
            .map(|_| ProductKey::generate(&mut OsRng))
            .collect();
        let inserted = app
            .store
            .fill_batch(id, &keys, &op.actor(), app.clock.now())
            .await?;
        wanted -= inserted;
        if wanted == 0 {
            break;
        }
    }
    if wanted > 0 {
        return Err(anyhow::anyhow!("batch {id}: {wanted} keys kept colliding").into());
    }
    Ok(app.store.batch(id).await?)
}

/// Every key batch, newest first.
pub async fn batches(app: &AppState, _op: &Operator) -> ApiResult<Vec<BatchRecord>> {
    Ok(app.store.batches().await?)
}

/// The batch `id` with its progress.
pub async fn batch(app: &AppState, _op: &Operator, id: i64) -> ApiResult<BatchRecord> {
    Ok(app.store.batch(id).await?)
}

/// A page of the batch `id`'s keys: `limit` (1 to 1000) keys after the cursor `after`.
pub async fn batch_keys(
    app: &AppState,
    _op: &Operator,
    id: i64,
    after: i64,
    limit: u32,
) -> ApiResult<Vec<KeyRecord>> {
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidQuery,
            "limit",
            "limit must be 1 to 1000",
        ));
    }
    app.store.batch(id).await?;
    Ok(app.store.batch_keys(id, after, limit).await?)
}

/// The batch `id`'s keys as CSV: key, product, edition, size, status, batch, created_at.
pub async fn batch_csv(app: &AppState, _op: &Operator, id: i64) -> ApiResult<Vec<u8>> {
    app.store.batch(id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut out,
        [
            "key",
            "product",
            "edition",
            "size",
            "status",
            "batch",
            "created_at",
        ],
    )?;
    let mut after = 0;
    loop {
        let page = app.store.batch_keys(id, after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for k in page {
            write_row(
                &mut out,
                [
                    k.key.to_string(),
                    k.product,
                    k.edition,
                    k.size,
                    k.status.to_string(),
                    k.batch_id.to_string(),
                    k.created_at.to_string(),
                ],
            )?;
        }
    }
    Ok(out.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?)
}
