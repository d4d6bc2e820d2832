//! Changes of one batch see the changes before them: a record written twice, a unique value
//! one record lets go and another takes, a deletion that frees a value, each in the order
//! sent; and the next batch sees what the first left (the store reads a batch's records up
//! front and writes them at its end).

use super::*;

both_backends!(a_batch_sees_its_own_earlier_changes);

async fn a_batch_sees_its_own_earlier_changes(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    first_synced(&a).await;
    let driver = |ib: &str, name: &str| json!({"ibutton": ib, "name": name});
    let answer = a
        .push(
            "b-1",
            vec![
                upsert("drivers", "d1", 0, driver("A1", "Anna")),
                upsert("drivers", "d1", 1, driver("A2", "Anna")),
                upsert("drivers", "d2", 0, driver("A1", "Bruno")),
                upsert("drivers", "d3", 0, driver("A2", "Carla")),
                delete("drivers", "d2", 3),
                upsert("drivers", "d4", 0, driver("A1", "Dario")),
                upsert("drivers", "d1", 2, driver("A2", "Anna")),
                upsert("drivers", "d1", 1, driver("A9", "Anna B.")),
                upsert("transactions", "t1", 0, json!({"litres": 10})),
                upsert("transactions", "t1", 6, json!({"litres": 12})),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        outcomes(&answer),
        [
            "applied",
            "applied",
            "applied",
            "refused",
            "applied",
            "applied",
            "unchanged",
            "conflict",
            "applied",
            "applied"
        ]
    );
    let versions: Vec<Option<i64>> = answer.outcomes.iter().map(|o| o.version).collect();
    assert_eq!(
        versions,
        [
            Some(1),
            Some(2),
            Some(3),
            None,
            Some(4),
            Some(5),
            Some(2),
            Some(2),
            Some(6),
            Some(7)
        ]
    );
    assert_eq!(
        answer.outcomes[3].code.as_deref(),
        Some("UNIQUE_VALUE_TAKEN")
    );
    assert!(
        answer.outcomes[3]
            .message
            .as_deref()
            .unwrap()
            .contains("d1"),
        "{:?}",
        answer.outcomes[3]
    );

    // The next batch finds the values where the first left them.
    let answer = a
        .push(
            "b-2",
            vec![
                upsert("drivers", "d5", 0, driver("A2", "Elena")),
                upsert("drivers", "d6", 0, driver("A1", "Fabio")),
                upsert("drivers", "d2", 4, driver("A3", "Bruno")),
                delete("drivers", "d1", 2),
                upsert("drivers", "d7", 0, driver("A2", "Gina")),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        outcomes(&answer),
        ["refused", "refused", "applied", "applied", "applied"]
    );
    assert!(
        answer.outcomes[1]
            .message
            .as_deref()
            .unwrap()
            .contains("d4"),
        "{:?}",
        answer.outcomes[1]
    );
    assert_eq!(
        answer.outcomes[2].version,
        Some(8),
        "d2 back after its deletion"
    );

    let mut fresh = Client::new(&app, &w.cloud[1]);
    first_synced(&fresh).await;
    fresh.pull_all(500).await;
    let names: Vec<(&str, &str)> = fresh
        .local
        .iter()
        .map(|((c, id), _)| (c.as_str(), id.as_str()))
        .collect();
    assert_eq!(
        names,
        [("drivers", "d2"), ("drivers", "d4"), ("drivers", "d7")],
        "another site sees the live drivers, not a's transactions"
    );
    assert_eq!(
        fresh.local[&("drivers".into(), "d4".into())].1,
        driver("A1", "Dario")
    );
    assert_eq!(fresh.local[&("drivers".into(), "d7".into())].0, 10);
    let mut again = Client::new(&app, &w.cloud[0]);
    again.pull_all(3).await;
    assert_eq!(
        again.local[&("transactions".into(), "t1".into())],
        (7, json!({"litres": 12}))
    );
    app.stop().await;
}

both_backends!(a_product_without_collections_refuses_each_change);

/// A product that declares no collection: the store reads the account's lock and the site's
/// standing one statement at a time then (its single statement joins the collections, and
/// there are none). The site's standing still decides, then each change is refused, and the
/// batch replays as any other.
async fn a_product_without_collections_refuses_each_change(app: TestApp) {
    let keys = crate::cloud::catalog(&app, 3).await;
    let w = account(&app, "ib50", IT_VATS[0], &keys[..1]).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    let changes = vec![upsert("drivers", "d1", 0, json!({"ibutton": "A1"}))];
    refused_with(
        a.push("b-0", changes.clone()).await,
        StatusCode::CONFLICT,
        "FIRST_SYNC_REQUIRED",
    );
    first_synced(&a).await;
    let answer = a.push("b-1", changes.clone()).await.unwrap();
    assert_eq!(outcomes(&answer), ["refused"]);
    assert_eq!(
        answer.outcomes[0].code.as_deref(),
        Some("COLLECTION_NOT_FOUND")
    );
    assert!(!answer.replayed);
    let again = a.push("b-1", changes).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.outcomes, answer.outcomes);
}
