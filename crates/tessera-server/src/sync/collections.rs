//! The collections a product syncs (G1), as operators declare them in the catalog.

use tessera_api::{CollectionDecl, CollectionList, ErrorCode};
use tessera_core::sync::{Collection, NewCollection};
use tessera_store::CollectionRecord;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn to_api(c: &Collection) -> CollectionDecl {
    let names =
        |fields: &[tessera_core::sync::FieldName]| fields.iter().map(|f| f.to_string()).collect();
    CollectionDecl {
        name: c.name.to_string(),
        scope: c.scope.as_str().to_owned(),
        unique: names(&c.unique),
        required: names(&c.required),
        web_user_field: c.web_user_field.as_ref().map(|f| f.to_string()),
        web_user_email_field: c.web_user_email_field.as_ref().map(|f| f.to_string()),
    }
}

pub fn list(product: &str, records: &[CollectionRecord]) -> CollectionList {
    CollectionList {
        product: product.to_owned(),
        collections: records.iter().map(|r| to_api(&r.collection)).collect(),
    }
}

/// The collections `product` declares.
pub async fn of_product(app: &AppState, product: &str) -> ApiResult<CollectionList> {
    let product = product.trim();
    Ok(list(product, &app.store.sync_collections(product).await?))
}

/// Declares a collection of `product`, or replaces its declaration.
pub async fn declare(
    app: &AppState,
    op: &Operator,
    product: &str,
    decl: &CollectionDecl,
) -> ApiResult<CollectionDecl> {
    let collection = Collection::declare(&NewCollection {
        name: &decl.name,
        scope: &decl.scope,
        unique: &decl.unique,
        required: &decl.required,
        web_user_field: decl.web_user_field.as_deref(),
        web_user_email_field: decl.web_user_email_field.as_deref(),
    })
    .map_err(|e| ApiError::refused(ErrorCode::from(&e), e))?;
    let done = app
        .store
        .declare_collection(product.trim(), &collection, &op.actor(), app.clock.now())
        .await?;
    tracing::info!(product, collection = %done.collection.name, "sync collection declared");
    Ok(to_api(&done.collection))
}
