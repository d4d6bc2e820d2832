//! The operations log under concurrent requests: rows recorded at the same time are committed
//! together (one writer), and every one of them is there, once, when its caller returns.

use std::collections::BTreeSet;

use tessera_store::{NewOperation, OperationFilter};

use crate::*;

both_backends!(operations_recorded_at_once_are_all_kept);

async fn operations_recorded_at_once_are_all_kept(store: Store) {
    let n = 400;
    let mut tasks = Vec::new();
    for i in 0..n {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let op = NewOperation {
                actor: format!("site:s{}", i % 7),
                operation: "POST /api/v1/cloud/sync/push".into(),
                status: 200,
                outcome: "ok",
                request_id: format!("req-{i}"),
                ..NewOperation::default()
            };
            store.record_operation(&op, now()).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .operations(&OperationFilter::default(), before, 100)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        seen.extend(page.into_iter().map(|r| r.request_id));
    }
    assert_eq!(seen.len(), n, "each operation once");
    let ids: BTreeSet<String> = seen.into_iter().collect();
    assert_eq!(ids, (0..n).map(|i| format!("req-{i}")).collect());
}
