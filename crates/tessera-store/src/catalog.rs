//! Products with their ordered editions, size tiers and modules (A1).

use std::collections::BTreeMap;

use jiff::Timestamp;
use tessera_core::catalog::Entry;
use tessera_core::{Actor, LicensePolicy, Limits, NewProduct};

use crate::audit::audit;
use crate::error::duplicate_as;
use crate::{Result, Store, StoreError, from_micros, to_micros};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionRecord {
    pub code: String,
    pub name: String,
    pub rank: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeRecord {
    pub code: String,
    pub name: String,
    pub limits: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleRecord {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRecord {
    pub code: String,
    pub name: String,
    pub created_at: Timestamp,
    pub policy: LicensePolicy,
    pub editions: Vec<EditionRecord>,
    pub sizes: Vec<SizeRecord>,
    pub modules: Vec<ModuleRecord>,
}

/// The ids a key batch is issued for, resolved from product, edition and size codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductRef {
    pub product_id: i64,
    pub edition_id: i64,
    pub size_id: i64,
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: i64,
    code: String,
    name: String,
    created_at: i64,
    grace_days: i64,
    max_transfers: i64,
}

#[derive(sqlx::FromRow)]
struct PartRow {
    product_id: i64,
    code: String,
    name: String,
    rank: i64,
    limits: Option<String>,
}

fn limits_json(limits: &Limits) -> String {
    let plain: BTreeMap<&str, u32> = limits.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    serde_json::to_string(&plain).expect("a map of integers serializes")
}

/// Inserts one edition / size / module row; `$kind` picks the table.
macro_rules! insert_part {
    ($tx:ident, edition, $product_id:expr, $entry:expr, $rank:expr) => {
        sqlx::query("INSERT INTO editions (product_id, code, name, rank) VALUES ($1, $2, $3, $4)")
            .bind($product_id)
            .bind($entry.code.as_str())
            .bind(&$entry.name)
            .bind($rank)
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from)
            .map_err(duplicate_as("EDITION_EXISTS"))?
    };
    ($tx:ident, size, $product_id:expr, $entry:expr, $limits:expr) => {
        sqlx::query("INSERT INTO sizes (product_id, code, name, limits) VALUES ($1, $2, $3, $4)")
            .bind($product_id)
            .bind($entry.code.as_str())
            .bind(&$entry.name)
            .bind(limits_json($limits))
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from)
            .map_err(duplicate_as("SIZE_EXISTS"))?
    };
    ($tx:ident, module, $product_id:expr, $entry:expr) => {
        sqlx::query("INSERT INTO modules (product_id, code, name) VALUES ($1, $2, $3)")
            .bind($product_id)
            .bind($entry.code.as_str())
            .bind(&$entry.name)
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from)
            .map_err(duplicate_as("MODULE_EXISTS"))?
    };
}

/// Looks up a product id by code inside a transaction, or fails with NotFound.
macro_rules! product_id_in_tx {
    ($tx:ident, $code:expr) => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM products WHERE code = $1")
            .bind($code)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound("product"))?
    };
}

const PARTS_SQL: &str = "\
    SELECT product_id, code, name, rank, NULL AS limits, 'e' AS kind FROM editions \
    UNION ALL SELECT product_id, code, name, 0, limits, 's' FROM sizes \
    UNION ALL SELECT product_id, code, name, 0, NULL, 'm' FROM modules";

impl Store {
    pub async fn create_product(
        &self,
        product: &NewProduct,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        in_tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO products (code, name, created_at, grace_days, max_transfers) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(product.code.as_str())
            .bind(product.name.trim())
            .bind(to_micros(now))
            .bind(i64::from(product.policy.grace_days))
            .bind(i64::from(product.policy.max_transfers))
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from)
            .map_err(duplicate_as("PRODUCT_EXISTS"))?;
            for (i, e) in product.editions.iter().enumerate() {
                insert_part!(tx, edition, id, e, i as i64 + 1);
            }
            for (e, limits) in &product.sizes {
                insert_part!(tx, size, id, e, limits);
            }
            for e in &product.modules {
                insert_part!(tx, module, id, e);
            }
            audit!(tx, now, actor, "product.created", "product", product.code, None::<String>);
        });
        self.product(product.code.as_str()).await
    }

    /// Appends an edition above all existing ones.
    pub async fn add_edition(
        &self,
        product: &str,
        edition: &Entry,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        in_tx!(self, tx => {
            // A no-op UPDATE locks the product row on PostgreSQL, so concurrent additions
            // compute ranks one after the other (SQLite writers are serialized anyway).
            let id: i64 = sqlx::query_scalar("UPDATE products SET name = name WHERE code = $1 RETURNING id")
                .bind(product)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("product"))?;
            let rank: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(rank), 0) + 1 FROM editions WHERE product_id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            insert_part!(tx, edition, id, edition, rank);
            audit!(tx, now, actor, "edition.added", "product", product, Some(edition.code.to_string()));
        });
        self.product(product).await
    }

    pub async fn add_size(
        &self,
        product: &str,
        size: &Entry,
        limits: &Limits,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        in_tx!(self, tx => {
            let id = product_id_in_tx!(tx, product);
            insert_part!(tx, size, id, size, limits);
            audit!(tx, now, actor, "size.added", "product", product, Some(size.code.to_string()));
        });
        self.product(product).await
    }

    pub async fn add_module(
        &self,
        product: &str,
        module: &Entry,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        in_tx!(self, tx => {
            let id = product_id_in_tx!(tx, product);
            insert_part!(tx, module, id, module);
            audit!(tx, now, actor, "module.added", "product", product, Some(module.code.to_string()));
            // Licenses of every account may grant the new module.
            crate::sites::announce!(self, tx, "*");
        });
        self.cache.clear();
        self.product(product).await
    }

    pub async fn product(&self, code: &str) -> Result<ProductRecord> {
        let (rows, parts) = on_db!(self, read, db => {
            let rows = sqlx::query_as::<_, ProductRow>(
                "SELECT id, code, name, created_at, grace_days, max_transfers FROM products WHERE code = $1",
            )
            .bind(code)
            .fetch_all(db)
            .await?;
            let parts = sqlx::query_as::<_, PartRowKind>(&format!(
                "SELECT p.* FROM ({PARTS_SQL}) p JOIN products pr ON pr.id = p.product_id \
                 WHERE pr.code = $1"
            ))
            .bind(code)
            .fetch_all(db)
            .await?;
            (rows, parts)
        });
        assemble(rows, parts)?
            .pop()
            .ok_or(StoreError::NotFound("product"))
    }

    pub async fn products(&self) -> Result<Vec<ProductRecord>> {
        let (rows, parts) = on_db!(self, read, db => {
            let rows = sqlx::query_as::<_, ProductRow>(
                "SELECT id, code, name, created_at, grace_days, max_transfers FROM products ORDER BY code",
            )
            .fetch_all(db)
            .await?;
            let parts = sqlx::query_as::<_, PartRowKind>(PARTS_SQL).fetch_all(db).await?;
            (rows, parts)
        });
        assemble(rows, parts)
    }

    /// Resolves product, edition and size codes to ids; NotFound names the missing one.
    pub async fn resolve_product_ref(
        &self,
        product: &str,
        edition: &str,
        size: &str,
    ) -> Result<ProductRef> {
        on_db!(self, read, db => {
            let product_id: i64 = sqlx::query_scalar("SELECT id FROM products WHERE code = $1")
                .bind(product)
                .fetch_optional(db)
                .await?
                .ok_or(StoreError::NotFound("product"))?;
            let edition_id: i64 = sqlx::query_scalar(
                "SELECT id FROM editions WHERE product_id = $1 AND code = $2",
            )
            .bind(product_id)
            .bind(edition)
            .fetch_optional(db)
            .await?
            .ok_or(StoreError::NotFound("edition"))?;
            let size_id: i64 =
                sqlx::query_scalar("SELECT id FROM sizes WHERE product_id = $1 AND code = $2")
                    .bind(product_id)
                    .bind(size)
                    .fetch_optional(db)
                    .await?
                    .ok_or(StoreError::NotFound("size"))?;
            Ok(ProductRef { product_id, edition_id, size_id })
        })
    }
}

#[derive(sqlx::FromRow)]
struct PartRowKind {
    #[sqlx(flatten)]
    part: PartRow,
    kind: String,
}

fn assemble(rows: Vec<ProductRow>, parts: Vec<PartRowKind>) -> Result<Vec<ProductRecord>> {
    let mut products: Vec<(i64, ProductRecord)> = rows
        .into_iter()
        .map(|r| {
            Ok((
                r.id,
                ProductRecord {
                    code: r.code,
                    name: r.name,
                    created_at: from_micros(r.created_at)?,
                    policy: LicensePolicy {
                        grace_days: u32::try_from(r.grace_days)
                            .map_err(|_| StoreError::Corrupt("grace_days".into()))?,
                        max_transfers: u32::try_from(r.max_transfers)
                            .map_err(|_| StoreError::Corrupt("max_transfers".into()))?,
                    },
                    editions: vec![],
                    sizes: vec![],
                    modules: vec![],
                },
            ))
        })
        .collect::<Result<_>>()?;
    for PartRowKind { part, kind } in parts {
        let Some((_, p)) = products.iter_mut().find(|(id, _)| *id == part.product_id) else {
            continue;
        };
        match kind.as_str() {
            "e" => p.editions.push(EditionRecord {
                code: part.code,
                name: part.name,
                rank: part.rank,
            }),
            "s" => {
                let raw = part.limits.unwrap_or_default();
                let limits = serde_json::from_str(&raw).map_err(|e| {
                    StoreError::Corrupt(format!("limits of size {}: {e}", part.code))
                })?;
                p.sizes.push(SizeRecord {
                    code: part.code,
                    name: part.name,
                    limits,
                });
            }
            _ => p.modules.push(ModuleRecord {
                code: part.code,
                name: part.name,
            }),
        }
    }
    for (_, p) in &mut products {
        p.editions.sort_by_key(|e| e.rank);
        p.sizes.sort_by(|a, b| a.code.cmp(&b.code));
        p.modules.sort_by(|a, b| a.code.cmp(&b.code));
    }
    Ok(products.into_iter().map(|(_, p)| p).collect())
}
