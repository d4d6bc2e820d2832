//! Filling key batches: never past the count ordered, never a key twice, even when fills race.

use crate::*;

both_backends!(concurrent_fills_never_overfill, duplicate_keys_are_skipped);

/// A product "fuel" (edition "std", size "s5") and a batch of `requested` keys for it.
async fn batch_of(store: &Store, requested: u32) -> tessera_store::BatchRecord {
    store
        .create_product(&product("fuel", &["std"]), &Actor::System, now())
        .await
        .unwrap();
    let r = store
        .resolve_product_ref("fuel", "std", "s5")
        .await
        .unwrap();
    store
        .create_batch(r, requested, None, &Actor::System, now())
        .await
        .unwrap()
}

/// Fills racing for the last places of a batch: the batch never holds more keys than ordered,
/// and a refused fill leaves none of its keys behind.
async fn concurrent_fills_never_overfill(store: Store) {
    let batch = batch_of(&store, 3_000).await;
    let mut tasks = Vec::new();
    for seed in 0..5u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            use rand::SeedableRng;
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let keys: Vec<_> = (0..1_000).map(|_| ProductKey::generate(&mut rng)).collect();
            store
                .fill_batch(batch.id, &keys, &Actor::System, now())
                .await
        }));
    }
    let mut filled = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(n) => filled += n,
            Err(StoreError::Conflict(tessera_api::ErrorCode::BatchFull)) => refused += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((filled, refused), (3_000, 2));
    let batch = store.batch(batch.id).await.unwrap();
    assert_eq!(batch.generated, 3_000);
    let stored = store.batch_keys(batch.id, 0, 10_000).await.unwrap();
    assert_eq!(stored.len(), 3_000, "refused fills left no keys");
}

/// A key that exists already is skipped, not duplicated, and the count says so.
async fn duplicate_keys_are_skipped(store: Store) {
    let batch = batch_of(&store, 10).await;
    use rand::SeedableRng;
    let key = ProductKey::generate(&mut rand::rngs::StdRng::seed_from_u64(1));
    assert_eq!(
        store
            .fill_batch(batch.id, &[key], &Actor::System, now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .fill_batch(batch.id, &[key], &Actor::System, now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.batch(batch.id).await.unwrap().generated, 1);
}
