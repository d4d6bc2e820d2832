//! Concurrent pushes never give two changes one version: two sites push at once (on
//! PostgreSQL through two instances of one database as well), and the versions given are
//! exactly 1..=n.

use super::*;

both_backends!(concurrent_pushes_never_share_a_version);

async fn concurrent_pushes_never_share_a_version(app: TestApp) {
    let second = second_instance(&app).await;
    let w = world(&app).await;
    for token in &w.cloud[..2] {
        first_synced(&Client::new(&app, token)).await;
    }
    if let Some(second) = &second {
        second.clock.set(app.clock.now());
    }
    let instances: Vec<&TestApp> = std::iter::once(&app).chain(second.as_ref()).collect();
    let (batches, per_batch) = (8, 20);
    let mut pushes = Vec::new();
    for i in 0..batches {
        let on = instances[i % instances.len()];
        let token = w.cloud[i % 2].clone();
        let api = on.api_as(Some(&token));
        let client_time = app.clock.now().to_string();
        pushes.push(tokio::spawn(async move {
            let changes = (0..per_batch)
                .map(|k| {
                    upsert(
                        "transactions",
                        &format!("t{i}-{k}"),
                        0,
                        json!({"litres": k}),
                    )
                })
                .collect();
            let req = PushRequest {
                batch_id: format!("batch-{i}"),
                client_time,
                changes,
            };
            api.push_changes(&req).await.unwrap()
        }));
    }
    let mut versions = Vec::new();
    for push in pushes {
        let answer = push.await.unwrap();
        assert!(answer.outcomes.iter().all(|o| o.outcome == "applied"));
        versions.extend(answer.outcomes.iter().map(|o| o.version.unwrap()));
    }
    versions.sort_unstable();
    let n = (batches * per_batch) as i64;
    assert_eq!(versions, (1..=n).collect::<Vec<_>>());
    if let Some(second) = second {
        second.stop().await;
    }
    app.stop().await;
}
