//! Key batches and product keys (A2, A3): issue in chunks, list, look up, revoke; every
//! change is audited in the same transaction.

use jiff::Timestamp;
use tessera_core::{Actor, KeyStatus, ProductKey};

use crate::audit::AuditRecord;
use crate::{ProductRef, Result, Store, StoreError, from_micros};

/// Rows per multi-row INSERT: one bound value per row keeps it far below SQLite's limit of
/// 32 766 variables and PostgreSQL's 65 535.
pub(crate) const INSERT_ROWS: usize = 5_000;

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
pub(crate) struct BatchRow {
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
pub(crate) struct KeyRow {
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

pub(crate) const BATCH_SELECT: &str = "\
    SELECT b.id, p.code AS product, e.code AS edition, s.code AS size, b.requested, b.generated, \
           b.note, b.created_by, b.created_at \
    FROM key_batches b JOIN products p ON p.id = b.product_id \
    JOIN editions e ON e.id = b.edition_id JOIN sizes s ON s.id = b.size_id";

pub(crate) const KEY_SELECT: &str = "\
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
            key: ProductKey::any_format(&r.key)
                .map_err(|e| StoreError::Corrupt(format!("key: {e}")))?,
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
    #[tracing::instrument(level = "debug", skip_all, fields(?product, requested = requested))]
    pub async fn create_batch(
        &self,
        product: ProductRef,
        requested: u32,
        note: Option<&str>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<BatchRecord> {
        let id = on_backend!(self, |db| sql::keys::create_batch(
            db, product, requested, note, actor, now,
        ))?;
        self.batch(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = id))]
    pub async fn batch(&self, id: i64) -> Result<BatchRecord> {
        let row = on_backend!(self, |db| sql::keys::batch(db, id))?;
        row.ok_or(StoreError::NotFound("batch"))?.try_into()
    }

    /// Batches, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn batches(&self) -> Result<Vec<BatchRecord>> {
        let rows = on_backend!(self, |db| sql::keys::batches(db))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Adds `keys` to the batch in one transaction and returns how many were new. A key that
    /// already exists anywhere is skipped (the UNIQUE constraint decides), so the caller makes
    /// fresh ones for the shortfall. Refuses to grow a batch past what was ordered.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(batch_id = batch_id, keys = keys.len())
    )]
    pub async fn fill_batch(
        &self,
        batch_id: i64,
        keys: &[ProductKey],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<u32> {
        on_backend!(self, |db| sql::keys::fill_batch(
            db, batch_id, keys, actor, now
        ))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn key(&self, key: &ProductKey) -> Result<KeyRecord> {
        let row = on_backend!(self, |db| sql::keys::key(db, key))?;
        row.ok_or(StoreError::NotFound("key"))?.try_into()
    }

    /// Up to `limit` keys of a batch with ids above `after`, in id order.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(batch_id = batch_id, after = after, limit = limit)
    )]
    pub async fn batch_keys(
        &self,
        batch_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<KeyRecord>> {
        let rows = on_backend!(self, |db| sql::keys::batch_keys(db, batch_id, after, limit))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Revokes a key; refuses (KEY_ALREADY_REVOKED) if it is. The status update is
    /// conditional on the status read, so two concurrent revocations record one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_key(
        &self,
        key: &ProductKey,
        reason: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<KeyRecord> {
        let account_id = on_backend!(self, |db| sql::keys::revoke_key(
            db, key, reason, actor, now
        ))?;
        if let Some(account_id) = account_id {
            self.changed(account_id);
        }
        self.key(key).await
    }

    /// Moves a key to another edition of its product (an upgrade sold outside Tessera).
    /// The installation's next validation carries the new edition; a cloud subscription of
    /// the old one then shows the site "license mismatch" (E6). `EDITION_UNCHANGED`.
    #[tracing::instrument(level = "debug", skip_all, fields(edition = edition))]
    pub async fn change_key_edition(
        &self,
        key: &ProductKey,
        edition: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<KeyRecord> {
        let account_id = on_backend!(self, |db| sql::keys::change_key_edition(
            db, key, edition, actor, now
        ))?;
        if let Some(account_id) = account_id {
            self.changed(account_id);
        }
        self.key(key).await
    }

    /// The key's history: its batch's creation, then every change to the key itself.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn key_history(&self, key: &ProductKey) -> Result<Vec<AuditRecord>> {
        let record = self.key(key).await?;
        let rows = on_backend!(self, |db| sql::keys::key_history(db, key, record.batch_id))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
