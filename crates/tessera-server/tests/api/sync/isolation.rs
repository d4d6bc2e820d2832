//! Conflicts are the account's: another account's superadmin sees none of them and cannot
//! settle them; a user without `sync.conflicts.resolve` is refused.

use tessera_api::ResolveConflict;

use super::*;

both_backends!(another_account_sees_no_conflicts_of_this_one);

async fn another_account_sees_no_conflicts_of_this_one(app: TestApp) {
    let w = world(&app).await;
    let a = Client::new(&app, &w.cloud[0]);
    let mut b = Client::new(&app, &w.cloud[1]);
    first_synced(&a).await;
    let mut a = a;
    a.push(
        "a-1",
        vec![upsert(
            "drivers",
            "d1",
            0,
            json!({"name": "Anna", "ibutton": "A1"}),
        )],
    )
    .await
    .unwrap();
    b.api().start_first_sync(&b.now()).await.unwrap();
    let answer = b
        .push(
            "b-1",
            vec![upsert(
                "drivers",
                "b1",
                0,
                json!({"name": "Anne", "ibutton": "A1"}),
            )],
        )
        .await
        .unwrap();
    let id = answer.outcomes[0].conflict_id.unwrap();

    // Another account, its own site in the cloud.
    let keys = batch_keys(&app, "ssm2", "std", "s10", 1).await;
    let other = account(&app, "zz90", IT_VATS[1], &keys).await;
    let theirs = app.api_as(Some(&other.token));
    assert!(
        theirs
            .sync_conflicts(true)
            .await
            .unwrap()
            .conflicts
            .is_empty()
    );
    let keep = ResolveConflict {
        keep: "cloud".into(),
        data: None,
    };
    refused(
        theirs.resolve_conflict(id, &keep).await,
        StatusCode::NOT_FOUND,
        "CONFLICT_NOT_FOUND",
    );
    // Their site pulls nothing of ib50's.
    let mut their_site = Client::new(&app, &other.cloud[0]);
    assert_eq!(their_site.pull_all(100).await, 0);

    // A user of ib50 without the right.
    let portal = app.api_as(Some(&w.token));
    let group = portal
        .create_group(&crate::rights::new_group(
            "drivers office",
            &["operations.view"],
        ))
        .await
        .unwrap();
    let mut marta = crate::rights::new_user("marta");
    marta.groups = vec![group.id];
    portal.create_user(&marta).await.unwrap();
    let marta = crate::rights::user_login(&app, "marta").await;
    refused(
        app.api_as(Some(&marta)).sync_conflicts(false).await,
        StatusCode::FORBIDDEN,
        "RIGHT_REQUIRED",
    );

    // An edit must keep the collection's rules; then it settles it.
    let bad = ResolveConflict {
        keep: "edit".into(),
        data: Some(json!({"ibutton": "A1"})),
    };
    refused(
        portal.resolve_conflict(id, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "REQUIRED_FIELD_MISSING",
    );
    let edit = ResolveConflict {
        keep: "edit".into(),
        data: Some(json!({"name": "Anna Maria", "ibutton": "A1"})),
    };
    let done = portal.resolve_conflict(id, &edit).await.unwrap();
    assert_eq!(done.resolution.as_deref(), Some("edit"));
    a.pull_all(100).await;
    assert_eq!(
        a.local[&("drivers".to_owned(), "d1".to_owned())].1,
        json!({"name": "Anna Maria", "ibutton": "A1"})
    );
    app.stop().await;
}
