//! The catalog's SQL: products with their editions, sizes and modules.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::catalog::Entry;
use tessera_core::{Actor, Limits, NewProduct};

use super::audit::audit;
use super::{Conn, Pools, announce};
use crate::catalog::{PARTS_SQL, PartRowKind, ProductRow, limits_json};
use crate::changes::EVERYTHING_CHANGED;
use crate::error::duplicate_as;
use crate::{ProductRef, Result, StoreError, to_micros};

/// One part of a product, and the table it goes to.
enum Part<'a> {
    Edition(&'a Entry, i64),
    Size(&'a Entry, &'a Limits),
    Module(&'a Entry),
}

/// Inserts one edition (with its rank), size (with its limits) or module row.
async fn insert_part(conn: &mut Conn, product_id: i64, part: Part<'_>) -> Result<()> {
    let query = match part {
        Part::Edition(entry, rank) => sqlx::query(
            "INSERT INTO editions (product_id, code, name, rank) VALUES ($1, $2, $3, $4)",
        )
        .bind(product_id)
        .bind(entry.code.as_str())
        .bind(&entry.name)
        .bind(rank),
        Part::Size(entry, limits) => sqlx::query(
            "INSERT INTO sizes (product_id, code, name, limits) VALUES ($1, $2, $3, $4)",
        )
        .bind(product_id)
        .bind(entry.code.as_str())
        .bind(&entry.name)
        .bind(limits_json(limits)),
        Part::Module(entry) => {
            sqlx::query("INSERT INTO modules (product_id, code, name) VALUES ($1, $2, $3)")
                .bind(product_id)
                .bind(entry.code.as_str())
                .bind(&entry.name)
        }
    };
    let code = match part {
        Part::Edition(..) => ErrorCode::EditionExists,
        Part::Size(..) => ErrorCode::SizeExists,
        Part::Module(_) => ErrorCode::ModuleExists,
    };
    query
        .execute(conn)
        .await
        .map_err(StoreError::from)
        .map_err(duplicate_as(code))?;
    Ok(())
}

/// Looks up a product id by code inside a transaction, or fails with NotFound.
async fn product_id(conn: &mut Conn, code: &str) -> Result<i64> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM products WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound("product"))
}

pub(crate) async fn create_product(
    db: &Pools,
    product: &NewProduct,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (code, name, created_at, grace_days, max_transfers, \
         offline_policy, offline_check_days) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(product.code.as_str())
    .bind(product.name.trim())
    .bind(to_micros(now))
    .bind(i64::from(product.policy.grace_days))
    .bind(i64::from(product.policy.max_transfers))
    .bind(product.policy.offline.as_str())
    .bind(product.policy.offline.check_days().map(i64::from))
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as(ErrorCode::ProductExists))?;
    for (i, e) in product.editions.iter().enumerate() {
        insert_part(&mut tx, id, Part::Edition(e, i as i64 + 1)).await?;
    }
    for (e, limits) in &product.sizes {
        insert_part(&mut tx, id, Part::Size(e, limits)).await?;
    }
    for e in &product.modules {
        insert_part(&mut tx, id, Part::Module(e)).await?;
    }
    let code = &product.code;
    audit(
        &mut tx,
        now,
        actor,
        "product.created",
        "product",
        code,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Appends an edition above all existing ones.
pub(crate) async fn add_edition(
    db: &Pools,
    product: &str,
    edition: &Entry,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    // A no-op UPDATE locks the product row on PostgreSQL, so concurrent additions compute
    // ranks one after the other (SQLite writers are serialized anyway).
    let id: i64 =
        sqlx::query_scalar("UPDATE products SET name = name WHERE code = $1 RETURNING id")
            .bind(product)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("product"))?;
    let rank: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(rank), 0) + 1 FROM editions WHERE product_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    add_part(
        &mut tx,
        id,
        product,
        Part::Edition(edition, rank),
        actor,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn add_size(
    db: &Pools,
    product: &str,
    size: &Entry,
    limits: &Limits,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let id = product_id(&mut tx, product).await?;
    add_part(&mut tx, id, product, Part::Size(size, limits), actor, now).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn add_module(
    db: &Pools,
    product: &str,
    module: &Entry,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let id = product_id(&mut tx, product).await?;
    add_part(&mut tx, id, product, Part::Module(module), actor, now).await?;
    // Licenses of every account may grant the new module.
    announce(&mut tx, EVERYTHING_CHANGED).await?;
    tx.commit().await?;
    Ok(())
}

/// Inserts a part added to an existing product, on record as `edition.added`,
/// `size.added` or `module.added` with its code.
async fn add_part(
    conn: &mut Conn,
    product_id: i64,
    product: &str,
    part: Part<'_>,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let (action, code) = match &part {
        Part::Edition(entry, _) => ("edition.added", entry.code.to_string()),
        Part::Size(entry, _) => ("size.added", entry.code.to_string()),
        Part::Module(entry) => ("module.added", entry.code.to_string()),
    };
    insert_part(&mut *conn, product_id, part).await?;
    audit(conn, now, actor, action, "product", product, Some(code)).await
}

/// The products (all, or the one with `code`) and their parts.
pub(crate) async fn products(
    db: &Pools,
    code: Option<&str>,
) -> Result<(Vec<ProductRow>, Vec<PartRowKind>)> {
    match code {
        Some(code) => {
            let rows = sqlx::query_as::<_, ProductRow>(
                "SELECT id, code, name, created_at, grace_days, max_transfers, offline_policy, \
                 offline_check_days FROM products \
                 WHERE code = $1",
            )
            .bind(code)
            .fetch_all(db.read())
            .await?;
            let parts = sqlx::query_as::<_, PartRowKind>(&format!(
                "SELECT p.* FROM ({PARTS_SQL}) p JOIN products pr ON pr.id = p.product_id \
                 WHERE pr.code = $1"
            ))
            .bind(code)
            .fetch_all(db.read())
            .await?;
            Ok((rows, parts))
        }
        None => {
            let rows = sqlx::query_as::<_, ProductRow>(
                "SELECT id, code, name, created_at, grace_days, max_transfers, offline_policy, \
                 offline_check_days FROM products \
                 ORDER BY code",
            )
            .fetch_all(db.read())
            .await?;
            let parts = sqlx::query_as::<_, PartRowKind>(PARTS_SQL)
                .fetch_all(db.read())
                .await?;
            Ok((rows, parts))
        }
    }
}

/// Resolves product, edition and size codes to ids; NotFound names the missing one.
pub(crate) async fn resolve_product_ref(
    db: &Pools,
    product: &str,
    edition: &str,
    size: &str,
) -> Result<ProductRef> {
    let product_id: i64 = sqlx::query_scalar("SELECT id FROM products WHERE code = $1")
        .bind(product)
        .fetch_optional(db.read())
        .await?
        .ok_or(StoreError::NotFound("product"))?;
    let edition_id: i64 =
        sqlx::query_scalar("SELECT id FROM editions WHERE product_id = $1 AND code = $2")
            .bind(product_id)
            .bind(edition)
            .fetch_optional(db.read())
            .await?
            .ok_or(StoreError::NotFound("edition"))?;
    let size_id: i64 =
        sqlx::query_scalar("SELECT id FROM sizes WHERE product_id = $1 AND code = $2")
            .bind(product_id)
            .bind(size)
            .fetch_optional(db.read())
            .await?
            .ok_or(StoreError::NotFound("size"))?;
    Ok(ProductRef {
        product_id,
        edition_id,
        size_id,
    })
}
