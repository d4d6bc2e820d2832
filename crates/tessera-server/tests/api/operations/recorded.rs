//! I1, I2: operations are recorded, and each reader sees its own.

use super::*;

both_backends!(operations_are_recorded_and_scoped,);

async fn operations_are_recorded_and_scoped(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let a = register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let b = register(&app, "bruno", "bruno@example.com", IT_VATS[1], &keys[1]).await;
    let (a_id, b_id) = (a.id, b.id);

    // A refused registration is on record with its code, and nothing of its body.
    let mut refused = registration("carla", "carla@example.com", IT_VATS[2], &keys[0]);
    refused.privacy_accepted = false;
    // The raw answer: its request id is looked up in the log below.
    let answer = app
        .send(Method::POST, "/api/v1/accounts", &refused, None)
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
    app.api().suspend_site(site).await.unwrap();
    // The site's own client: on record as the site, for its account.
    let token = activated["site_token"].as_str().unwrap();
    let _ = app.api_as(Some(token)).deactivate_this_site().await;
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
    // By what was done: any part of the method and route, whatever the case; a `_` of a
    // route is a `_`, not any character.
    let deactivations = ops(&app, "?operation=site%2FDEACTIVATE").await;
    assert_eq!(deactivations.len(), 1, "{deactivations:?}");
    assert_eq!(deactivations[0].operation, "POST /api/v1/site/deactivate");
    let underscored = ops(&app, "?operation=%7Bsite_id%7D").await;
    assert!(!underscored.is_empty());
    assert!(
        underscored
            .iter()
            .all(|o| o.operation.contains("{site_id}")),
        "{underscored:?}"
    );
    assert!(ops(&app, "?operation=site%25deactivate").await.is_empty());
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
