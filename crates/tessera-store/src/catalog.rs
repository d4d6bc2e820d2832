//! Products with their ordered editions, size tiers and modules (A1).

use std::collections::BTreeMap;

use jiff::Timestamp;
use tessera_core::catalog::Entry;
use tessera_core::{Actor, LicensePolicy, Limits, NewProduct};

use crate::{Result, Store, StoreError, from_micros};

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
pub(crate) struct ProductRow {
    id: i64,
    code: String,
    name: String,
    created_at: i64,
    grace_days: i64,
    max_transfers: i64,
    offline_policy: String,
    offline_check_days: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartRow {
    product_id: i64,
    code: String,
    name: String,
    rank: i64,
    limits: Option<String>,
}

pub(crate) fn limits_json(limits: &Limits) -> String {
    let plain: BTreeMap<&str, u32> = limits.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    serde_json::to_string(&plain).expect("a map of integers serializes")
}

pub(crate) const PARTS_SQL: &str = "\
    SELECT product_id, code, name, rank, NULL AS limits, 'e' AS kind FROM editions \
    UNION ALL SELECT product_id, code, name, 0, limits, 's' FROM sizes \
    UNION ALL SELECT product_id, code, name, 0, NULL, 'm' FROM modules";

impl Store {
    #[tracing::instrument(level = "debug", skip_all, fields(product = %product.code))]
    pub async fn create_product(
        &self,
        product: &NewProduct,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        on_backend!(self, |db| sql::catalog::create_product(
            db, product, actor, now
        ))?;
        self.product(product.code.as_str()).await
    }

    /// Appends an edition above all existing ones.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(product = product, edition = %edition.code)
    )]
    pub async fn add_edition(
        &self,
        product: &str,
        edition: &Entry,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        on_backend!(self, |db| sql::catalog::add_edition(
            db, product, edition, actor, now
        ))?;
        self.product(product).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(product = product, size = %size.code))]
    pub async fn add_size(
        &self,
        product: &str,
        size: &Entry,
        limits: &Limits,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        on_backend!(self, |db| sql::catalog::add_size(
            db, product, size, limits, actor, now
        ))?;
        self.product(product).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(product = product, module = %module.code)
    )]
    pub async fn add_module(
        &self,
        product: &str,
        module: &Entry,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        on_backend!(self, |db| sql::catalog::add_module(
            db, product, module, actor, now
        ))?;
        self.cache.clear();
        self.product(product).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(product = code))]
    pub async fn product(&self, code: &str) -> Result<ProductRecord> {
        let (rows, parts) = on_backend!(self, |db| sql::catalog::products(db, Some(code)))?;
        assemble(rows, parts)?
            .pop()
            .ok_or(StoreError::NotFound("product"))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn products(&self) -> Result<Vec<ProductRecord>> {
        let (rows, parts) = on_backend!(self, |db| sql::catalog::products(db, None))?;
        assemble(rows, parts)
    }

    /// Resolves product, edition and size codes to ids; NotFound names the missing one.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(product = product, edition = edition, size = size)
    )]
    pub async fn resolve_product_ref(
        &self,
        product: &str,
        edition: &str,
        size: &str,
    ) -> Result<ProductRef> {
        on_backend!(self, |db| sql::catalog::resolve_product_ref(
            db, product, edition, size
        ))
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartRowKind {
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
                        offline: crate::sites::offline_policy(
                            &r.offline_policy,
                            r.offline_check_days,
                        )?,
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
