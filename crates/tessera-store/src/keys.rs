//! Key batches and product keys (A2, A3): issue in chunks, list, look up, revoke; every
//! change is audited in the same transaction.

use jiff::Timestamp;
use tessera_core::{Actor, KeyStatus, ProductKey};

use crate::audit::{AuditRecord, AuditRow, audit};
use crate::{ProductRef, Result, Store, StoreError, from_micros, to_micros};

/// Rows per multi-row INSERT: one bound value per row keeps it far below SQLite's limit of
/// 32 766 variables and PostgreSQL's 65 535.
const INSERT_ROWS: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRecord {
    pub id: i64,
    pub product: String,
    pub edition: String,
    pub size: String,
    pub requested: u32,
    pub generated: u32,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub id: i64,
    pub key: ProductKey,
    pub batch_id: i64,
    pub product: String,
    pub edition: String,
    pub size: String,
    pub status: KeyStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct BatchRow {
    id: i64,
    product: String,
    edition: String,
    size: String,
    requested: i64,
    generated: i64,
    note: Option<String>,
    created_by: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    key: String,
    batch_id: i64,
    product: String,
    edition: String,
    size: String,
    status: String,
    created_at: i64,
    updated_at: i64,
}

const BATCH_SELECT: &str = "\
    SELECT b.id, p.code AS product, e.code AS edition, s.code AS size, b.requested, b.generated, \
           b.note, b.created_by, b.created_at \
    FROM key_batches b JOIN products p ON p.id = b.product_id \
    JOIN editions e ON e.id = b.edition_id JOIN sizes s ON s.id = b.size_id";

const KEY_SELECT: &str = "\
    SELECT k.id, k.key, k.batch_id, p.code AS product, e.code AS edition, s.code AS size, \
           k.status, k.created_at, k.updated_at \
    FROM product_keys k JOIN editions e ON e.id = k.edition_id \
    JOIN products p ON p.id = e.product_id JOIN sizes s ON s.id = k.size_id";

fn count(v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("count {v}")))
}

impl TryFrom<BatchRow> for BatchRecord {
    type Error = StoreError;
    fn try_from(r: BatchRow) -> Result<Self> {
        Ok(BatchRecord {
            id: r.id,
            product: r.product,
            edition: r.edition,
            size: r.size,
            requested: count(r.requested)?,
            generated: count(r.generated)?,
            note: r.note,
            created_by: r.created_by,
            created_at: from_micros(r.created_at)?,
        })
    }
}

impl TryFrom<KeyRow> for KeyRecord {
    type Error = StoreError;
    fn try_from(r: KeyRow) -> Result<Self> {
        Ok(KeyRecord {
            id: r.id,
            key: ProductKey::parse(&r.key).map_err(|e| StoreError::Corrupt(format!("key: {e}")))?,
            batch_id: r.batch_id,
            product: r.product,
            edition: r.edition,
            size: r.size,
            status: r.status.parse().map_err(StoreError::Corrupt)?,
            created_at: from_micros(r.created_at)?,
            updated_at: from_micros(r.updated_at)?,
        })
    }
}

impl Store {
    /// Orders a batch of `requested` keys; the keys themselves are made by [`Store::fill_batch`].
    pub async fn create_batch(
        &self,
        product: ProductRef,
        requested: u32,
        note: Option<&str>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<BatchRecord> {
        let id = in_tx!(self, tx => {
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
            audit!(tx, now, actor, "batch.created", "batch", id,
                Some(format!("{requested} keys")));
            id
        });
        self.batch(id).await
    }

    pub async fn batch(&self, id: i64) -> Result<BatchRecord> {
        let row = on_db!(self, read, db => {
            sqlx::query_as::<_, BatchRow>(&format!("{BATCH_SELECT} WHERE b.id = $1"))
                .bind(id)
                .fetch_optional(db)
                .await?
        });
        row.ok_or(StoreError::NotFound("batch"))?.try_into()
    }

    /// Batches, newest first.
    pub async fn batches(&self) -> Result<Vec<BatchRecord>> {
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, BatchRow>(&format!("{BATCH_SELECT} ORDER BY b.id DESC"))
                .fetch_all(db)
                .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Adds `keys` to the batch in one transaction and returns how many were new. A key that
    /// already exists anywhere is skipped (the UNIQUE constraint decides), so the caller makes
    /// fresh ones for the shortfall. Refuses to grow a batch past what was ordered.
    pub async fn fill_batch(
        &self,
        batch_id: i64,
        keys: &[ProductKey],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<u32> {
        let now_us = to_micros(now);
        in_tx!(self, tx => {
            let (edition_id, size_id, requested, generated): (i64, i64, i64, i64) =
                sqlx::query_as(
                    "SELECT edition_id, size_id, requested, generated FROM key_batches WHERE id = $1",
                )
                .bind(batch_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("batch"))?;
            if generated + keys.len() as i64 > requested {
                return Err(StoreError::Conflict("BATCH_FULL"));
            }
            let mut inserted = 0u64;
            for chunk in keys.chunks(INSERT_ROWS) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO product_keys \
                     (key, batch_id, edition_id, size_id, status, created_at, updated_at) ",
                );
                // Only the key is bound; the other values are integers of ours, the same for
                // every row.
                let constants =
                    format!("{batch_id}, {edition_id}, {size_id}, 'issued', {now_us}, {now_us}");
                insert.push_values(chunk, |mut row, key| {
                    row.push_bind(key.compact().to_owned()).push_unseparated(", ").push_unseparated(&constants);
                });
                insert.push(" ON CONFLICT (key) DO NOTHING");
                // Each statement's text is new (it holds the time), so preparing and caching it
                // would only fill the statement cache.
                inserted += insert.build().persistent(false).execute(&mut *tx).await?.rows_affected();
            }
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
                return Err(StoreError::Conflict("BATCH_FULL"));
            }
            audit!(tx, now, actor, "batch.filled", "batch", batch_id, Some(format!("{inserted} keys")));
            Ok(inserted as u32)
        })
    }

    pub async fn key(&self, key: &ProductKey) -> Result<KeyRecord> {
        let row = on_db!(self, read, db => {
            sqlx::query_as::<_, KeyRow>(&format!("{KEY_SELECT} WHERE k.key = $1"))
                .bind(key.compact())
                .fetch_optional(db)
                .await?
        });
        row.ok_or(StoreError::NotFound("key"))?.try_into()
    }

    /// Up to `limit` keys of a batch with ids above `after`, in id order.
    pub async fn batch_keys(
        &self,
        batch_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<KeyRecord>> {
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, KeyRow>(&format!(
                "{KEY_SELECT} WHERE k.batch_id = $1 AND k.id > $2 ORDER BY k.id LIMIT $3"
            ))
            .bind(batch_id)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Revokes a key; refuses (KEY_ALREADY_REVOKED) if it is. The status update is
    /// conditional on the status read, so two concurrent revocations record one.
    pub async fn revoke_key(
        &self,
        key: &ProductKey,
        reason: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<KeyRecord> {
        let lock = self.row_lock(" FOR UPDATE");
        let account_id = in_tx!(self, tx => {
            // Locked on PostgreSQL so a concurrent deactivation cannot write over the revocation.
            let (status, account_id): (String, Option<i64>) = sqlx::query_as(&format!(
                "SELECT status, account_id FROM product_keys WHERE key = $1{lock}"
            ))
                    .bind(key.compact())
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound("key"))?;
            let old: KeyStatus = status.parse().map_err(StoreError::Corrupt)?;
            let new = old.revoke().map_err(|_| StoreError::Conflict("KEY_ALREADY_REVOKED"))?;
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
                return Err(StoreError::Conflict("KEY_ALREADY_REVOKED"));
            }
            audit!(tx, now, actor, "key.revoked", "key", key.compact(), Some(reason.to_owned()));
            if let Some(account_id) = account_id {
                crate::sites::announce!(self, tx, account_id);
            }
            account_id
        });
        if let Some(account_id) = account_id {
            self.changed(account_id);
        }
        self.key(key).await
    }

    /// Moves a key to another edition of its product (an upgrade sold outside Tessera).
    /// The installation's next validation carries the new edition; a cloud subscription of
    /// the old one then shows the site "license mismatch" (E6). `EDITION_UNCHANGED`.
    pub async fn change_key_edition(
        &self,
        key: &ProductKey,
        edition: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<KeyRecord> {
        let lock = self.row_lock(" FOR UPDATE OF k");
        let account_id = in_tx!(self, tx => {
            let (key_id, old_edition, account_id, product_id): (i64, i64, Option<i64>, i64) =
                sqlx::query_as(&format!(
                    "SELECT k.id, k.edition_id, k.account_id, e.product_id FROM product_keys k \
                     JOIN editions e ON e.id = k.edition_id WHERE k.key = $1{lock}"
                ))
                .bind(key.compact())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("key"))?;
            let new_edition: i64 = sqlx::query_scalar(
                "SELECT id FROM editions WHERE product_id = $1 AND code = $2",
            )
            .bind(product_id)
            .bind(edition)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("edition"))?;
            if new_edition == old_edition {
                return Err(StoreError::Conflict("EDITION_UNCHANGED"));
            }
            sqlx::query("UPDATE product_keys SET edition_id = $1, updated_at = $2 WHERE id = $3")
                .bind(new_edition)
                .bind(to_micros(now))
                .bind(key_id)
                .execute(&mut *tx)
                .await?;
            audit!(tx, now, actor, "key.edition", "key", key.compact(), Some(edition.to_owned()));
            if let Some(account_id) = account_id {
                crate::sites::announce!(self, tx, account_id);
            }
            account_id
        });
        if let Some(account_id) = account_id {
            self.changed(account_id);
        }
        self.key(key).await
    }

    /// The key's history: its batch's creation, then every change to the key itself.
    pub async fn key_history(&self, key: &ProductKey) -> Result<Vec<AuditRecord>> {
        let record = self.key(key).await?;
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, AuditRow>(
                "SELECT at, actor, action, subject_type, subject_id, detail FROM audit_log \
                 WHERE (subject_type = 'key' AND subject_id = $1) \
                    OR (subject_type = 'batch' AND subject_id = $2) \
                 ORDER BY id",
            )
            .bind(key.compact())
            .bind(record.batch_id.to_string())
            .fetch_all(db)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
