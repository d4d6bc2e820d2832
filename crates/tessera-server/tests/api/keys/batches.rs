//! A2: a batch is filled, listed and exported.

use super::*;

both_backends!(batch_is_filled_listed_and_exported,);

async fn batch_is_filled_listed_and_exported(app: TestApp) {
    with_product(&app).await;
    let batch = order(&app, 2_500).await;
    assert_eq!(
        (batch.requested, batch.generated, batch.status.as_str()),
        (2_500, 0, "generating")
    );
    assert_eq!(batch.created_by, "operator:admin");

    let b = fill(&app, batch.id, 1_000).await.unwrap();
    assert_eq!(b.generated, 1_000);
    let b = fill(&app, batch.id, 1_000).await.unwrap();
    assert_eq!(b.generated, 2_000);
    // Asking for more than is missing makes only what is missing.
    let b = fill(&app, batch.id, 5_000).await.unwrap();
    assert_eq!((b.generated, b.status.as_str()), (2_500, "complete"));
    refused(
        fill(&app, batch.id, 1).await,
        StatusCode::CONFLICT,
        "BATCH_FULL",
    );

    let keys = all_keys(&app, batch.id).await;
    assert_eq!(keys.len(), 2_500);
    let distinct: HashSet<_> = keys.iter().map(|k| k.key.clone()).collect();
    assert_eq!(distinct.len(), 2_500);
    for k in &keys {
        assert_eq!(
            ProductKey::parse(&k.key).unwrap().to_string(),
            k.key,
            "grouped form parses back"
        );
        assert_eq!(
            (k.edition.as_str(), k.size.as_str(), k.status.as_str()),
            ("professional", "s5", "issued")
        );
    }

    let csv = app
        .get(&format!("/api/v1/key-batches/{}/keys.csv", batch.id))
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("key,product,edition,size,status,batch,created_at")
    );
    let exported: HashSet<_> = lines
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(exported, distinct);

    let list: BatchList = ok(app.get("/api/v1/key-batches").await, StatusCode::OK).await;
    assert_eq!(list.batches.len(), 1);
    assert_eq!(
        list.batches[0].note.as_deref(),
        Some("reseller ACME, order 42")
    );
    let got: Batch = ok(
        app.get(&format!("/api/v1/key-batches/{}", batch.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got, list.batches[0]);
}
