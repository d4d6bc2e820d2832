//! I2: retention keeps the last days.

use super::*;

both_backends!(
    retention_keeps_the_last_days with ten_days_of_operations,
);

/// Global retention 10 days, one account at 3: after the daily purge, nothing older remains
/// and everything younger does.
async fn retention_keeps_the_last_days(mut app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let t0 = app.clock.now();
    let account = register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let id = account.id;
    let token = account_login(&app, "anna").await;
    let touch = async |app: &TestApp, token: &str| {
        // One refused operation of the account (a key it cannot add) and one anonymous one.
        let unknown = AddKey {
            product_key: "0000-0000-0000-0000".into(),
            reseller: reseller(),
        };
        let refused = app.api_as(Some(token)).add_key(&unknown).await.unwrap_err();
        assert!(refused.status().is_some_and(|s| s.is_client_error()));
        let r = app.login("admin", "wrong password").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    };
    touch(&app, &token).await;
    for days in [5, 4] {
        app.clock.advance(SignedDuration::from_hours(24 * days));
        app.run_jobs().await;
        app.sign_in().await;
        let token = account_login(&app, "anna").await;
        touch(&app, &token).await;
    }
    let retention = |days| SetLogRetention { days: Some(days) };
    assert_eq!(
        app.api().account(id).await.unwrap().log_retention_days,
        None
    );
    // 204 No Content, as the typed client checks.
    app.api()
        .set_log_retention(id, &retention(3))
        .await
        .unwrap();
    refused(
        app.api().set_log_retention(id, &retention(0)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RETENTION_INVALID",
    );
    // The account shows its own retention, to the operator and to its own users.
    assert_eq!(
        app.api().account(id).await.unwrap().log_retention_days,
        Some(3)
    );
    let anna = account_login(&app, "anna").await;
    let own = app.api_as(Some(&anna)).own_account().await.unwrap();
    assert_eq!(own.log_retention_days, Some(3));
    // Day 11, past 03:00: the purge of that day runs.
    app.clock.advance(SignedDuration::from_hours(24 * 2));
    let now = app.clock.now();
    app.run_jobs().await;
    app.sign_in().await;
    let all = ops(&app, "?limit=500").await;
    assert!(
        all.iter().all(|o| o.at.parse::<Timestamp>().unwrap() > t0),
        "day 0 purged: {all:?}"
    );
    let age = |o: &Operation| now.duration_since(o.at.parse::<Timestamp>().unwrap());
    for o in &all {
        let keep = if o.account_id == Some(id) { 3 } else { 10 };
        assert!(
            age(o) <= SignedDuration::from_hours(24 * keep),
            "kept too long: {o:?}"
        );
    }
    // Younger than their retention: still there (day 5 and day 9 globally, day 9 for anna).
    let days_ago = |d: i64| {
        all.iter()
            .filter(|o| age(o) == SignedDuration::from_hours(24 * d))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(
        days_ago(6).iter().any(|o| o.account_id.is_none()),
        "day 5 kept: {all:?}"
    );
    assert!(
        days_ago(6).iter().all(|o| o.account_id != Some(id)),
        "anna's day 5 gone"
    );
    assert!(
        days_ago(2).iter().any(|o| o.account_id == Some(id)),
        "anna's day 9 kept"
    );
    assert!(days_ago(11).is_empty(), "day 0 gone");
    app.stop().await;
}
