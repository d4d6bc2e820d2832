//! The SQL of key batches and product keys.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::{Actor, KeyStatus, ProductKey};

use super::audit::audit;
use super::{Conn, Pools, announce, row_lock};
use crate::audit::AuditRow;
use crate::keys::{BATCH_SELECT, BatchRow, INSERT_ROWS, KEY_SELECT, KeyRow};
use crate::{ProductRef, Result, StoreError, to_micros};

pub(crate) async fn create_batch(
    db: &Pools,
    product: ProductRef,
    requested: u32,
    note: Option<&str>,
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO key_batches (product_id, edition_id, size_id, requested, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(product.product_id)
    .bind(product.edition_id)
    .bind(product.size_id)
    .bind(i64::from(requested))
    .bind(note)
    .bind(actor.to_string())
    .bind(to_micros(now))
    .fetch_one(&mut *tx)
    .await?;
    let detail = Some(format!("{requested} keys"));
    audit(&mut tx, now, actor, "batch.created", "batch", id, detail).await?;
    tx.commit().await?;
    Ok(id)
}

pub(crate) async fn batch(db: &Pools, id: i64) -> Result<Option<BatchRow>> {
    Ok(
        sqlx::query_as::<_, BatchRow>(&format!("{BATCH_SELECT} WHERE b.id = $1"))
            .bind(id)
            .fetch_optional(db.read())
            .await?,
    )
}

pub(crate) async fn batches(db: &Pools) -> Result<Vec<BatchRow>> {
    Ok(
        sqlx::query_as::<_, BatchRow>(&format!("{BATCH_SELECT} ORDER BY b.id DESC"))
            .fetch_all(db.read())
            .await?,
    )
}

/// Adds `keys` to the batch; how many were new.
pub(crate) async fn fill_batch(
    db: &Pools,
    batch_id: i64,
    keys: &[ProductKey],
    actor: &Actor,
    now: Timestamp,
) -> Result<u32> {
    let now_us = to_micros(now);
    let mut tx = db.begin().await?;
    let (edition_id, size_id, requested, generated): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT edition_id, size_id, requested, generated FROM key_batches WHERE id = $1",
    )
    .bind(batch_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound("batch"))?;
    if generated + keys.len() as i64 > requested {
        return Err(StoreError::Conflict(ErrorCode::BatchFull));
    }
    let compact: Vec<&str> = keys.iter().map(ProductKey::compact).collect();
    let inserted = insert_keys(&mut tx, batch_id, edition_id, size_id, &compact, now_us).await?;
    let updated = sqlx::query(
        "UPDATE key_batches SET generated = generated + $2 \
         WHERE id = $1 AND generated + $2 <= requested",
    )
    .bind(batch_id)
    .bind(inserted as i64)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Err(StoreError::Conflict(ErrorCode::BatchFull));
    }
    let detail = Some(format!("{inserted} keys"));
    audit(
        &mut tx,
        now,
        actor,
        "batch.filled",
        "batch",
        batch_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(inserted as u32)
}

/// Inserts `keys` (compact) as issued keys of the batch, edition and size, in multi-row
/// statements; a key that exists already is skipped. How many were new.
pub(crate) async fn insert_keys(
    conn: &mut Conn,
    batch_id: i64,
    edition_id: i64,
    size_id: i64,
    keys: &[&str],
    now_us: i64,
) -> Result<u64> {
    // Only the key is bound; the other values are integers of ours, the same for every row.
    let constants = format!("{batch_id}, {edition_id}, {size_id}, 'issued', {now_us}, {now_us}");
    let mut inserted = 0;
    for chunk in keys.chunks(INSERT_ROWS) {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO product_keys \
             (key, batch_id, edition_id, size_id, status, created_at, updated_at) ",
        );
        insert.push_values(chunk, |mut row, key| {
            row.push_bind(*key)
                .push_unseparated(", ")
                .push_unseparated(&constants);
        });
        insert.push(" ON CONFLICT (key) DO NOTHING");
        // Each statement's text is new (it holds the time), so preparing and caching it
        // would only fill the statement cache.
        inserted += insert
            .build()
            .persistent(false)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(inserted)
}

pub(crate) async fn key(db: &Pools, key: &ProductKey) -> Result<Option<KeyRow>> {
    Ok(
        sqlx::query_as::<_, KeyRow>(&format!("{KEY_SELECT} WHERE k.key = $1"))
            .bind(key.compact())
            .fetch_optional(db.read())
            .await?,
    )
}

pub(crate) async fn batch_keys(
    db: &Pools,
    batch_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<KeyRow>> {
    Ok(sqlx::query_as::<_, KeyRow>(&format!(
        "{KEY_SELECT} WHERE k.batch_id = $1 AND k.id > $2 ORDER BY k.id LIMIT $3"
    ))
    .bind(batch_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(db.read())
    .await?)
}

/// Revokes the key; the account it is registered to, if any.
pub(crate) async fn revoke_key(
    db: &Pools,
    key: &ProductKey,
    reason: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<i64>> {
    let lock = row_lock(" FOR UPDATE");
    let mut tx = db.begin().await?;
    // Locked on PostgreSQL so a concurrent deactivation cannot write over the revocation.
    let (status, account_id): (String, Option<i64>) = sqlx::query_as(&format!(
        "SELECT status, account_id FROM product_keys WHERE key = $1{lock}"
    ))
    .bind(key.compact())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound("key"))?;
    let old: KeyStatus = status.parse().map_err(StoreError::Corrupt)?;
    let new = old
        .revoke()
        .map_err(|_| StoreError::Conflict(ErrorCode::KeyAlreadyRevoked))?;
    let changed = sqlx::query(
        "UPDATE product_keys SET status = $1, updated_at = $2 WHERE key = $3 AND status = $4",
    )
    .bind(new.as_str())
    .bind(to_micros(now))
    .bind(key.compact())
    .bind(old.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(StoreError::Conflict(ErrorCode::KeyAlreadyRevoked));
    }
    let detail = Some(reason.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "key.revoked",
        "key",
        key.compact(),
        detail,
    )
    .await?;
    if let Some(account_id) = account_id {
        announce(&mut tx, &account_id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(account_id)
}

/// Moves the key to another edition; the account it is registered to, if any.
pub(crate) async fn change_key_edition(
    db: &Pools,
    key: &ProductKey,
    edition: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<i64>> {
    let lock = row_lock(" FOR UPDATE OF k");
    let mut tx = db.begin().await?;
    let (key_id, old_edition, account_id, product_id): (i64, i64, Option<i64>, i64) =
        sqlx::query_as(&format!(
            "SELECT k.id, k.edition_id, k.account_id, e.product_id FROM product_keys k \
             JOIN editions e ON e.id = k.edition_id WHERE k.key = $1{lock}"
        ))
        .bind(key.compact())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("key"))?;
    let new_edition: i64 =
        sqlx::query_scalar("SELECT id FROM editions WHERE product_id = $1 AND code = $2")
            .bind(product_id)
            .bind(edition)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("edition"))?;
    if new_edition == old_edition {
        return Err(StoreError::Conflict(ErrorCode::EditionUnchanged));
    }
    sqlx::query("UPDATE product_keys SET edition_id = $1, updated_at = $2 WHERE id = $3")
        .bind(new_edition)
        .bind(to_micros(now))
        .bind(key_id)
        .execute(&mut *tx)
        .await?;
    let detail = Some(edition.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "key.edition",
        "key",
        key.compact(),
        detail,
    )
    .await?;
    if let Some(account_id) = account_id {
        announce(&mut tx, &account_id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(account_id)
}

/// The audit rows about a key, its batch and the installation it is registered as (its
/// activations, moves and releases), oldest first.
pub(crate) async fn key_history(
    db: &Pools,
    key: &ProductKey,
    batch_id: i64,
) -> Result<Vec<AuditRow>> {
    Ok(sqlx::query_as::<_, AuditRow>(
        "SELECT at, actor, action, subject_type, subject_id, detail FROM audit_log \
         WHERE (subject_type = 'key' AND subject_id = $1) \
            OR (subject_type = 'batch' AND subject_id = $2) \
            OR (subject_type = 'site' AND subject_id IN \
                (SELECT s.public_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
                 WHERE k.key = $1)) \
         ORDER BY id",
    )
    .bind(key.compact())
    .bind(batch_id.to_string())
    .fetch_all(db.read())
    .await?)
}
