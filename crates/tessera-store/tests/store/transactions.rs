//! A failure in the middle of a transaction leaves nothing behind, and neither does a
//! caller that stops waiting for one.

use std::future::Future;
use std::task::Poll;

use crate::*;

both_backends!(
    failed_product_leaves_nothing,
    writes_given_up_at_any_point_leave_the_database_writable
);

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

/// Polls `write` at most `polls` times, yielding to the runtime in between, and drops it if
/// it has not finished by then: what happens to a request's work when its client hangs up.
async fn give_up_after<F: Future>(polls: u32, write: F) -> Option<F::Output> {
    let mut write = std::pin::pin!(write);
    for _ in 0..polls {
        let poll = std::future::poll_fn(|cx| Poll::Ready(write.as_mut().poll(cx))).await;
        if let Poll::Ready(out) = poll {
            return Some(out);
        }
        tokio::task::yield_now().await;
    }
    None
}

/// Writes dropped at every point of their transaction, the BEGIN included (on SQLite a
/// transaction dropped between its BEGIN and the driver's check that it began stayed open on
/// the single write connection, and every later write failed): each product is there whole
/// or not at all, and the database takes the next write.
async fn writes_given_up_at_any_point_leave_the_database_writable(store: Store) {
    const WRITES: u32 = 600;
    let mut finished = 0;
    for i in 0..WRITES {
        let code = format!("p{i}");
        let new = product(&code, &["a", "b"]);
        let write = store.create_product(&new, &Actor::System, now());
        if let Some(done) = give_up_after(1 + i % 40, write).await {
            done.unwrap();
            finished += 1;
        }
    }
    store
        .create_product(&product("last", &["a"]), &Actor::System, now())
        .await
        .expect("the database takes writes after the ones given up");
    let products = store.products().await.unwrap();
    for p in &products {
        let editions = if p.code.as_str() == "last" { 1 } else { 2 };
        assert_eq!(p.editions.len(), editions, "{} is whole", p.code.as_str());
    }
    // Every write seen to finish is there, and some were given up before they finished.
    assert!(products.len() > finished, "{finished} finished");
    assert!(
        finished < WRITES as usize,
        "every write finished: none was given up"
    );
}
