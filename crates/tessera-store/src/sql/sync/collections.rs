//! The SQL of the collections a product declares.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::sync::{Collection, NewCollection};

use super::super::audit::audit;
use super::super::{Conn, Pools};
use crate::sync::CollectionRecord;
use crate::{Result, StoreError, to_micros};

/// A collection's row, as [`COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    name: String,
    scope: String,
    unique_fields: String,
    required_fields: String,
    web_user_field: Option<String>,
    web_user_email_field: Option<String>,
}

pub(crate) const COLUMNS: &str = "c.id, c.name, c.scope, c.unique_fields, c.required_fields, \
     c.web_user_field, c.web_user_email_field";

/// The collections `c` of the product of each site `s` (whose public id a condition names).
pub(crate) const SITE_COLLECTIONS: &str = "sites s JOIN product_keys k ON k.id = s.key_id \
     JOIN key_batches b ON b.id = k.batch_id \
     JOIN sync_collections c ON c.product_id = b.product_id";

pub(crate) fn record(row: Row) -> Result<CollectionRecord> {
    let Row {
        id,
        name,
        scope,
        unique_fields: unique,
        required_fields: required,
        web_user_field: web_user,
        web_user_email_field: web_user_email,
    } = row;
    let list = |text: &str| -> Result<Vec<String>> {
        serde_json::from_str(text)
            .map_err(|e| StoreError::Corrupt(format!("collection fields: {e}")))
    };
    let collection = Collection::declare(&NewCollection {
        name: &name,
        scope: &scope,
        unique: &list(&unique)?,
        required: &list(&required)?,
        web_user_field: web_user.as_deref(),
        web_user_email_field: web_user_email.as_deref(),
    })
    .map_err(|e| StoreError::Corrupt(format!("collection {name}: {e}")))?;
    Ok(CollectionRecord { id, collection })
}

async fn product_id(conn: &mut Conn, product: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM products WHERE code = $1")
        .bind(product)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound("product"))
}

/// The collections of `product`, by name.
pub(crate) async fn of_product(db: &Pools, product: &str) -> Result<Vec<CollectionRecord>> {
    let mut conn = db.read().acquire().await?;
    let id = product_id(&mut conn, product).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sync_collections c WHERE c.product_id = $1 ORDER BY c.name"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(record).collect()
}

/// The collections of the product of `site_id`'s key.
pub(crate) async fn of_site(conn: &mut Conn, site_id: &str) -> Result<Vec<CollectionRecord>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM {SITE_COLLECTIONS} WHERE s.public_id = $1 ORDER BY c.name"
    ))
    .bind(site_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(record).collect()
}

/// Declares or replaces a collection of `product`.
pub(crate) async fn declare(
    db: &Pools,
    product: &str,
    collection: &Collection,
    actor: &Actor,
    now: Timestamp,
) -> Result<CollectionRecord> {
    let mut tx = db.begin().await?;
    let product_id = product_id(&mut tx, product).await?;
    let name = collection.name.as_str();
    let old: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sync_collections c WHERE c.product_id = $1 AND c.name = $2"
    ))
    .bind(product_id)
    .bind(name)
    .fetch_optional(&mut *tx)
    .await?;
    let names = |fields: &[tessera_core::sync::FieldName]| {
        serde_json::Value::from(fields.iter().map(|f| f.to_string()).collect::<Vec<_>>())
            .to_string()
    };
    let (unique, required) = (names(&collection.unique), names(&collection.required));
    let web_user = collection.web_user_field.as_ref().map(|f| f.to_string());
    let web_user_email = collection
        .web_user_email_field
        .as_ref()
        .map(|f| f.to_string());
    let id = match old.map(record).transpose()? {
        Some(old) => {
            // The BIGINT column, not `SELECT 1`: that is INT4 on PostgreSQL, which an i64
            // cannot be read from.
            let used: Option<i64> = sqlx::query_scalar(
                "SELECT collection_id FROM sync_records WHERE collection_id = $1 LIMIT 1",
            )
            .bind(old.id)
            .fetch_optional(&mut *tx)
            .await?;
            collection
                .may_replace(&old.collection, used.is_some())
                .map_err(|e| StoreError::Refused {
                    code: ErrorCode::from(&e),
                    message: e.to_string(),
                })?;
            sqlx::query(
                "UPDATE sync_collections SET scope = $1, unique_fields = $2, \
                 required_fields = $3, web_user_field = $4, updated_at = $5, \
                 web_user_email_field = $7 WHERE id = $6",
            )
            .bind(collection.scope.as_str())
            .bind(&unique)
            .bind(&required)
            .bind(&web_user)
            .bind(to_micros(now))
            .bind(old.id)
            .bind(&web_user_email)
            .execute(&mut *tx)
            .await?;
            old.id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO sync_collections (product_id, name, scope, unique_fields, \
                   required_fields, web_user_field, created_at, updated_at, \
                   web_user_email_field) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
            )
            .bind(product_id)
            .bind(name)
            .bind(collection.scope.as_str())
            .bind(&unique)
            .bind(&required)
            .bind(&web_user)
            .bind(to_micros(now))
            .bind(&web_user_email)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    let subject = format!("{product}/{name}");
    audit(
        &mut tx,
        now,
        actor,
        "sync.collection.declared",
        "collection",
        subject,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(CollectionRecord {
        id,
        collection: collection.clone(),
    })
}

/// [`of_site`] on a connection of the read pool.
pub(crate) async fn of_site_pooled(db: &Pools, site_id: &str) -> Result<Vec<CollectionRecord>> {
    let mut conn = db.read().acquire().await?;
    of_site(&mut conn, site_id).await
}

/// The code of the product of `site_id`'s key.
pub(crate) async fn site_product(db: &Pools, site_id: &str) -> Result<String> {
    sqlx::query_scalar(
        "SELECT p.code FROM sites s JOIN product_keys k ON k.id = s.key_id \
         JOIN key_batches b ON b.id = k.batch_id JOIN products p ON p.id = b.product_id \
         WHERE s.public_id = $1",
    )
    .bind(site_id)
    .fetch_optional(db.read())
    .await?
    .ok_or(StoreError::NotFound("site"))
}
