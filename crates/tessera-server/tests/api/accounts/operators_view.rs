//! Operators list, search and open accounts.

use super::*;

both_backends!(operators_list_search_and_open_accounts,);

async fn operators_list_search_and_open_accounts(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let a = registered(
        &app,
        &registration("jack", "jack@example.com", IT_VATS[0], &keys[0]),
    )
    .await;
    let mut bianchi = registration("bob", "bob@example.org", IT_VATS[1], &keys[1]);
    bianchi.company.name = "Bianchi Logistica S.p.A.".into();
    app.clock.advance(SignedDuration::from_mins(1));
    let b = registered(&app, &bianchi).await;

    let page: AccountPage = ok(app.get("/api/v1/accounts").await, StatusCode::OK).await;
    assert_eq!(page.next_after, None);
    let summaries: Vec<_> = page
        .accounts
        .iter()
        .map(|s| {
            (
                s.id,
                s.username.as_str(),
                s.email.as_str(),
                s.company_name.as_str(),
                s.country.as_str(),
                s.vat_number.as_str(),
                s.created_at.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summaries,
        [
            (
                a.id,
                "jack",
                "jack@example.com",
                "Rossi Trasporti S.r.l.",
                "IT",
                "IT00743110157",
                "2026-11-23T09:00:00Z"
            ),
            (
                b.id,
                "bob",
                "bob@example.org",
                "Bianchi Logistica S.p.A.",
                "IT",
                "IT01234567897",
                "2026-11-23T09:01:00Z"
            ),
        ]
    );

    // Pages of one, followed through next_after.
    let first: AccountPage = ok(app.get("/api/v1/accounts?limit=1").await, StatusCode::OK).await;
    assert_eq!(first.accounts.len(), 1);
    assert_eq!(first.next_after, Some(a.id));
    let mut seen = vec![first.accounts[0].id];
    let mut after = first.next_after;
    let mut pages = 1;
    while let Some(next) = after {
        let page: AccountPage = ok(
            app.get(&format!("/api/v1/accounts?limit=1&after={next}"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert!(page.accounts.len() <= 1);
        seen.extend(page.accounts.iter().map(|s| s.id));
        after = page.next_after;
        pages += 1;
        assert!(pages <= 3, "paging does not end");
    }
    assert_eq!(seen, [a.id, b.id]);

    // Search: the start of company name, VAT number, email or username, case-blind.
    for (q, want) in [
        ("bianchi", vec![b.id]),
        ("ROSSI TRASPORTI", vec![a.id]),
        ("IT0074", vec![a.id]),
        ("it01234", vec![b.id]),
        ("IT0", vec![a.id, b.id]),
        ("bob@", vec![b.id]),
        ("jack@example.com", vec![a.id]),
        ("JAC", vec![a.id]),
        ("example", vec![]),
        ("%", vec![]),
        ("_", vec![]),
        ("  ", vec![a.id, b.id]),
    ] {
        assert_eq!(
            listed(&app, &format!("?q={}", encode(q))).await,
            want,
            "q={q:?}"
        );
    }
    assert_eq!(listed(&app, "?q=IT0&limit=1").await, [a.id]);
    assert_eq!(
        listed(&app, &format!("?q=IT0&after={}", a.id)).await,
        [b.id]
    );
    for limit in [0, 501] {
        let e = error(
            app.get(&format!("/api/v1/accounts?limit={limit}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_LIMIT",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("limit"));
    }

    // One account, with its installations.
    let one: Account = ok(
        app.get(&format!("/api/v1/accounts/{}", a.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (one.id, one.username.as_str(), one.email.as_str()),
        (a.id, "jack", "jack@example.com")
    );
    assert_eq!(one.company, a.company);
    assert_eq!(one.contact, a.contact);
    assert_eq!(one.installations.len(), 1);
    assert_eq!(one.installations[0].product_key, keys[0]);
    assert_eq!(one.installations[0].site_id, a.installations[0].site_id);
    error(
        app.get("/api/v1/accounts/999999").await,
        StatusCode::NOT_FOUND,
        "ACCOUNT_NOT_FOUND",
    )
    .await;
    error(
        app.get("/api/v1/accounts/abc").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_PATH",
    )
    .await;

    // Operators only.
    for path in [
        "/api/v1/accounts".to_owned(),
        format!("/api/v1/accounts/{}", a.id),
    ] {
        error(
            app.anonymous_get(&path).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
}
