//! The collections a product declares (G1).

use jiff::Timestamp;
use tessera_core::Actor;
use tessera_core::sync::Collection;

use super::CollectionRecord;
use crate::{Result, Store};

impl Store {
    /// The collections of `product`, by name; NotFound("product") for no such product.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn sync_collections(&self, product: &str) -> Result<Vec<CollectionRecord>> {
        on_backend!(self, |db| sql::sync::collections::of_product(db, product))
    }

    /// The collections of the product of `site_id`'s key.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn site_collections(&self, site_id: &str) -> Result<Vec<CollectionRecord>> {
        on_backend!(self, |db| sql::sync::collections::of_site_pooled(
            db, site_id
        ))
    }

    /// The code of the product of `site_id`'s key.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn site_product(&self, site_id: &str) -> Result<String> {
        on_backend!(self, |db| sql::sync::collections::site_product(db, site_id))
    }

    /// Declares `collection` for `product`, or replaces its declaration (refused with
    /// `COLLECTION_IN_USE` when records exist and the scope or unique fields change).
    #[tracing::instrument(level = "debug", skip(self, collection, actor), fields(name = %collection.name))]
    pub async fn declare_collection(
        &self,
        product: &str,
        collection: &Collection,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<CollectionRecord> {
        on_backend!(self, |db| sql::sync::collections::declare(
            db, product, collection, actor, now
        ))
    }
}
