//! Storage behaviour that HTTP cannot reach directly: rollbacks after a failure in the middle
//! of a transaction, and concurrent writers. Each test runs on SQLite and PostgreSQL.

use jiff::Timestamp;
use tessera_core::catalog::Entry;
use tessera_core::{Actor, Code, NewProduct, ProductKey};
use tessera_store::{Store, StoreError};
use tessera_testkit::PgCluster;

fn now() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

fn entry(code: &str) -> Entry {
    Entry {
        code: Code::parse(code).unwrap(),
        name: code.to_uppercase(),
    }
}

fn product(code: &str, editions: &[&str]) -> NewProduct {
    NewProduct {
        code: Code::parse(code).unwrap(),
        name: code.into(),
        editions: editions.iter().map(|e| entry(e)).collect(),
        sizes: vec![(entry("s5"), [(Code::parse("drivers").unwrap(), 5)].into())],
        modules: vec![],
        policy: Default::default(),
    }
}

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (
        Store::open_sqlite(&dir.path().join("t.db")).await.unwrap(),
        dir,
    )
}

async fn postgres() -> Option<Store> {
    let url = PgCluster::shared()?.create_database();
    Some(Store::open_postgres(&url).await.unwrap())
}

/// The product row is written, then the second edition violates UNIQUE: nothing remains.
async fn failed_product_leaves_nothing(store: Store) {
    let err = store
        .create_product(&product("crm", &["a", "b", "a"]), &Actor::System, now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict("EDITION_EXISTS")),
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
            Err(StoreError::Conflict("BATCH_FULL")) => refused += 1,
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

macro_rules! both_backends {
    ($($name:ident),*) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (store, _dir) = super::sqlite().await;
                super::$name(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(store) = super::postgres().await else { return };
                super::$name(store).await;
            }
        }
    )*};
}

both_backends!(
    failed_product_leaves_nothing,
    concurrent_fills_never_overfill,
    duplicate_keys_are_skipped
);
