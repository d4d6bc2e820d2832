//! The operations log (I1, I2): every state-changing request on record with who, what, when,
//! which site, outcome and request id; operators filter and export it, account superadmins
//! read their own; the daily purge keeps exactly the configured number of days.

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tessera_api::{Operation, OperationPage};
use tessera_core::Clock;
use tessera_server::Config;

use crate::fixtures::*;
use crate::harness::*;

both_backends!(
    operations_are_recorded_and_scoped,
    retention_keeps_the_last_days with ten_days_of_operations,
);

fn ten_days_of_operations(config: &mut Config) {
    config.operations_log_days = 10;
}

async fn ops(app: &TestApp, query: &str) -> Vec<Operation> {
    let page: OperationPage = ok(
        app.get(&format!("/api/v1/operations{query}")).await,
        StatusCode::OK,
    )
    .await;
    page.operations
}

async fn own_ops(app: &TestApp, token: &str) -> Vec<Operation> {
    let page: OperationPage = ok(
        app.call(Method::GET, "/api/v1/account/operations", None, Some(token))
            .await,
        StatusCode::OK,
    )
    .await;
    page.operations
}

async fn operations_are_recorded_and_scoped(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let a = register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let b = register(&app, "bruno", "bruno@example.com", IT_VATS[1], &keys[1]).await;
    let (a_id, b_id) = (a.id, b.id);

    // A refused registration is on record with its code, and nothing of its body.
    let mut refused = registration_json("carla", "carla@example.com", IT_VATS[2], &keys[0]);
    refused["privacy_accepted"] = json!(false);
    let answer = app
        .call(Method::POST, "/api/v1/accounts", Some(&refused), None)
        .await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused_id = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();

    let activated: Value = ok(
        activate(&app, "anna@example.com", &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let site = activated["site_id"].as_str().unwrap();
    let _: Value = ok(
        app.post(&format!("/api/v1/sites/{site}/suspend"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    // The site's own client: on record as the site, for its account.
    let token = activated["site_token"].as_str().unwrap();
    let _ = app
        .call(
            Method::POST,
            "/api/v1/site/deactivate",
            Some(&json!({})),
            Some(token),
        )
        .await;
    // Reads and validations are not operations.
    let _ = app.get(&format!("/api/v1/sites/{site}")).await;
    let _ = validate(&app, site, &fp('a'), &nonce()).await;

    let all = ops(&app, "").await;
    assert!(all.iter().all(|o| !o.operation.starts_with("GET ")));
    assert!(
        all.iter()
            .all(|o| o.operation != "POST /api/v1/validations")
    );
    let find = |operation: &str| {
        all.iter()
            .filter(|o| o.operation == operation)
            .cloned()
            .collect::<Vec<_>>()
    };
    let created = find("POST /api/v1/products");
    assert_eq!(created.len(), 1);
    assert_eq!(
        (created[0].actor.as_str(), created[0].outcome.as_str()),
        ("operator:admin", "ok")
    );
    let registrations = find("POST /api/v1/accounts");
    assert_eq!(registrations.len(), 3);
    let bad = registrations
        .iter()
        .find(|o| o.outcome == "refused")
        .unwrap();
    assert_eq!(
        (bad.status, bad.code.as_deref(), bad.actor.as_str()),
        (422, Some("PRIVACY_NOT_ACCEPTED"), "anonymous")
    );
    assert_eq!(bad.request_id, refused_id);
    assert_eq!(bad.ip.as_deref(), Some("127.0.0.1"));
    let anna = registrations
        .iter()
        .find(|o| o.actor == "account:anna")
        .unwrap();
    assert_eq!(anna.account_id, Some(a_id));
    let suspended = find("POST /api/v1/sites/{site_id}/suspend");
    assert_eq!(suspended[0].site_id.as_deref(), Some(site));
    assert_eq!(
        suspended[0].account_id,
        Some(a_id),
        "the account the site belongs to"
    );
    let activation = find("POST /api/v1/activations");
    assert_eq!(
        (activation[0].site_id.as_deref(), activation[0].account_id),
        (Some(site), Some(a_id))
    );

    let by_site = find("POST /api/v1/site/deactivate");
    assert_eq!(
        (by_site[0].actor.clone(), by_site[0].account_id),
        (format!("site:{site}"), Some(a_id))
    );

    // Filters.
    let on_site = ops(&app, &format!("?site={site}")).await;
    assert_eq!(on_site.len(), 3, "{on_site:?}");
    let refusals = ops(&app, "?outcome=refused").await;
    assert!(refusals.iter().all(|o| o.outcome == "refused") && !refusals.is_empty());
    error(
        app.get("/api/v1/operations?outcome=maybe").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "OUTCOME_INVALID",
    )
    .await;
    let later: Timestamp = app.clock.now() + SignedDuration::from_secs(1);
    assert!(ops(&app, &format!("?from={later}")).await.is_empty());
    let paged: OperationPage =
        ok(app.get("/api/v1/operations?limit=2").await, StatusCode::OK).await;
    assert_eq!(paged.operations.len(), 2);
    let rest = ops(&app, &format!("?before={}", paged.next_before.unwrap())).await;
    assert_eq!(rest.len() + 2, ops(&app, "").await.len());

    // Each superadmin reads the operations of their own account only; signing in is on
    // record as the account, by whichever name.
    let token_a = account_login(&app, "anna@example.com").await;
    let token_b = account_login(&app, "bruno").await;
    let mine = own_ops(&app, &token_a).await;
    assert!(mine.iter().all(|o| o.account_id == Some(a_id)), "{mine:?}");
    assert!(mine.iter().any(|o| o.operation.ends_with("/suspend")));
    assert!(
        mine.iter()
            .any(|o| o.operation == "POST /api/v1/account/login" && o.actor == "account:anna"),
        "{mine:?}"
    );
    let theirs = own_ops(&app, &token_b).await;
    assert!(theirs.iter().all(|o| o.account_id == Some(b_id)));
    assert!(!theirs.is_empty());
    let forced = app
        .call(
            Method::GET,
            &format!("/api/v1/account/operations?account={a_id}"),
            None,
            Some(&token_b),
        )
        .await;
    let forced: OperationPage = ok(forced, StatusCode::OK).await;
    assert!(forced.operations.iter().all(|o| o.account_id == Some(b_id)));

    // CSV: a header and one line per entry.
    let csv = app
        .get(&format!("/api/v1/operations/export?site={site}"))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("id,at,account_id,actor,operation,site_id"),
        "{text}"
    );
    assert_eq!(lines.len(), 1 + 3, "{text}");
    assert!(lines[1].contains("/api/v1/site/deactivate"), "{text}");
    let own_csv = app
        .call(
            Method::GET,
            "/api/v1/account/operations/export",
            None,
            Some(&token_b),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!own_csv.contains(site), "another account's site: {own_csv}");
    app.stop().await;
}

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
        let r = app
            .call(
                Method::POST,
                "/api/v1/account/keys",
                Some(&json!({"product_key": "0000-0000-0000-0000"})),
                Some(token),
            )
            .await;
        assert!(r.status().is_client_error());
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
    let _: () = {
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/accounts/{id}/log-retention"),
                Some(&json!({"days": 3})),
                Some(app.token()),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    };
    error(
        app.call(
            Method::PUT,
            &format!("/api/v1/accounts/{id}/log-retention"),
            Some(&json!({"days": 0})),
            Some(app.token()),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RETENTION_INVALID",
    )
    .await;
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
