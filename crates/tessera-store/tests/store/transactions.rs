//! A failure in the middle of a transaction leaves nothing behind.

use crate::*;

both_backends!(failed_product_leaves_nothing);

/// The product row is written, then the second edition violates UNIQUE: nothing remains.
async fn failed_product_leaves_nothing(store: Store) {
    let err = store
        .create_product(&product("crm", &["a", "b", "a"]), &Actor::System, now())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict(tessera_api::ErrorCode::EditionExists)
        ),
        "{err:?}"
    );
    assert!(matches!(
        store.product("crm").await,
        Err(StoreError::NotFound("product"))
    ));
    assert!(store.products().await.unwrap().is_empty());
    // The same code is free for a correct definition.
    let ok = store
        .create_product(&product("crm", &["a", "b"]), &Actor::System, now())
        .await
        .unwrap();
    assert_eq!(ok.editions.len(), 2);
}
