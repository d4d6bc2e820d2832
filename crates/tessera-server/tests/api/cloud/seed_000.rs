//! Seed 000's story: register, trial, enable three sites, purchase, the provider's callback, a renewal that drops a site, reminders and expiry.

use super::*;

both_backends!(
    the_cloud_story_of_seed_000 with cloud_config,
);

async fn the_cloud_story_of_seed_000(mut app: TestApp) {
    let keys = catalog(&app, 4).await;
    let (token, sites) = customer(&app, "ib50", IT_VATS[0], &keys).await;
    let pro_site = &sites[4];

    // The set-up page before anything: grouped by edition, nothing enabled.
    let view = overview(&app, &token).await;
    assert!(view.subscription.is_none());
    let groups: Vec<_> = view
        .groups
        .iter()
        .map(|g| (g.edition.as_str(), g.available, g.active))
        .collect();
    assert_eq!(groups, [("std", 4, 0), ("pro", 1, 0)]);
    error(
        enable(&app, &token, &[&sites[0]]).await,
        StatusCode::NOT_FOUND,
        "SUBSCRIPTION_NOT_FOUND",
    )
    .await;

    // Try & Buy: once.
    let trial: Subscription = ok(start_trial(&app, &token).await, StatusCode::CREATED).await;
    assert_eq!((trial.state.as_str(), trial.seats), ("trialing", 3));
    assert_eq!(trial.expires_at, "2027-05-23T09:00:00Z");
    error(
        start_trial(&app, &token).await,
        StatusCode::CONFLICT,
        "TRIAL_USED",
    )
    .await;

    // Enabling: only what the plan covers (std/s10), one edition and size, no more than the
    // seats; all or nothing. A site the plan does not cover never fixes the bundle, first or not.
    for selection in [vec![pro_site], vec![&sites[0], pro_site]] {
        let e = error(
            enable(&app, &token, &selection).await,
            StatusCode::CONFLICT,
            "PLAN_MISMATCH",
        )
        .await;
        assert!(e.message.contains(pro_site.as_str()), "{}", e.message);
    }
    error(
        enable(&app, &token, &[&sites[0], &sites[1], &sites[2], &sites[3]]).await,
        StatusCode::CONFLICT,
        "SEATS_EXCEEDED",
    )
    .await;
    assert_eq!(
        overview(&app, &token).await.active,
        0,
        "a refused selection enables nothing"
    );
    let view: CloudOverview = ok(
        enable(&app, &token, &[&sites[0], &sites[1], &sites[2]]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((view.available, view.active), (5, 3));
    assert_eq!(view.groups[0].active, 3);
    error(
        enable(&app, &token, &[pro_site]).await,
        StatusCode::CONFLICT,
        "PLAN_MISMATCH",
    )
    .await;
    error(
        enable(&app, &token, &[&sites[3]]).await,
        StatusCode::CONFLICT,
        "SEATS_EXCEEDED",
    )
    .await;

    // Each representative receives the two codes over SMTP; the client exchanges them.
    let mut cloud_tokens = Vec::new();
    for (i, site) in sites[..3].iter().enumerate() {
        let text = mail_for(&app, &format!("rep{i}@ib50.example")).await;
        let activation = code_after(&text, "Activation code:");
        let site_code = code_after(&text, "Site code:");
        error(
            exchange(&app, &site_code, "AAAA-BBBB-CCCC-DDDD").await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        )
        .await;
        error(
            exchange(&app, "ZZZZ-ZZZZ", &activation).await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        )
        .await;
        let got: CloudToken = ok(
            exchange(&app, &site_code.to_lowercase(), &activation).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            (got.site_id.as_str(), got.state.as_str()),
            (site.as_str(), "trialing")
        );
        let _: Value = ok(cloud_status(&app, &got.cloud_token).await, StatusCode::OK).await;
        cloud_tokens.push(got.cloud_token);
    }
    error(
        cloud_status(&app, "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // A site is not dropped mid-term.
    error(
        app.call(
            Method::DELETE,
            &format!("/api/v1/account/cloud/sites/{}", sites[0]),
            None,
            Some(&token),
        )
        .await,
        StatusCode::CONFLICT,
        "SITE_LOCKED_UNTIL_RENEWAL",
    )
    .await;

    // Purchase: the summary, then the provider's callback.
    let mut body = new_order(3);
    body.billing.vat_number = None;
    error(
        order(&app, &token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VAT_NUMBER_REQUIRED",
    )
    .await;
    let bought: Order = ok(
        order(&app, &token, &new_order(3)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (bought.kind.as_str(), bought.status.as_str()),
        ("purchase", "awaiting_payment")
    );
    let s = &bought.summary;
    assert_eq!(
        (s.article_code.as_str(), s.net, s.vat, s.total),
        ("F00772540", 90_000, 19_800, 109_800)
    );
    assert_eq!(
        (
            s.vat_rate.as_str(),
            s.vat_treatment.as_str(),
            s.purchase_date.as_str()
        ),
        ("22.00%", "charged", "2026-11-23")
    );

    let now = app.clock.now().as_second();
    let paid = json!({"payment_id": "Q10270", "order_id": bought.order_id, "amount": 109_800, "currency": "EUR"});
    error(
        callback_signed(&app, &paid, "guessed secret", now).await,
        StatusCode::UNAUTHORIZED,
        "SIGNATURE_INVALID",
    )
    .await;
    error(
        callback_signed(&app, &paid, SECRET, now - 600).await,
        StatusCode::UNAUTHORIZED,
        "SIGNATURE_STALE",
    )
    .await;
    let unsigned = app
        .http
        .post(format!("{}/api/v1/payments/callback", app.base))
        .json(&paid)
        .send()
        .await
        .unwrap();
    error(unsigned, StatusCode::UNAUTHORIZED, "SIGNATURE_MALFORMED").await;
    let mut wrong = paid.clone();
    wrong["amount"] = json!(100);
    wrong["payment_id"] = json!("Q-WRONG");
    error(
        callback(&app, &wrong).await,
        StatusCode::CONFLICT,
        "AMOUNT_MISMATCH",
    )
    .await;
    // A refused payment leaves its trace for the vendor to refund.
    let refused: tessera_api::OperationPage = ok(
        app.get("/api/v1/operations?outcome=refused").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        refused
            .operations
            .iter()
            .any(|o| o.operation == "POST /api/v1/payments/callback"
                && o.code.as_deref() == Some("AMOUNT_MISMATCH")),
        "{:?}",
        refused.operations
    );
    let mut unknown = paid.clone();
    unknown["order_id"] = json!("ord_unknown");
    unknown["payment_id"] = json!("Q-UNKNOWN");
    error(
        callback(&app, &unknown).await,
        StatusCode::NOT_FOUND,
        "ORDER_NOT_FOUND",
    )
    .await;
    let receipt: PaymentReceipt = ok(callback(&app, &paid).await, StatusCode::OK).await;
    assert_eq!(
        (receipt.invoice.as_str(), receipt.recorded),
        ("2026-000001", true)
    );
    let again: PaymentReceipt = ok(callback(&app, &paid).await, StatusCode::OK).await;
    assert_eq!(
        (again.invoice.as_str(), again.recorded),
        ("2026-000001", false)
    );
    let mut second = paid.clone();
    second["payment_id"] = json!("Q10271");
    for _ in 0..2 {
        error(
            callback(&app, &second).await,
            StatusCode::CONFLICT,
            "ORDER_ALREADY_PAID",
        )
        .await;
    }
    // Each refused payment is kept once for the vendor to refund, newest first.
    let unapplied: tessera_api::UnappliedPayments =
        ok(app.get("/api/v1/payments/unapplied").await, StatusCode::OK).await;
    let kept: Vec<(&str, &str, i64)> = unapplied
        .payments
        .iter()
        .map(|p| (p.payment_id.as_str(), p.reason.as_str(), p.amount))
        .collect();
    assert_eq!(
        kept,
        [
            ("Q10271", "ORDER_ALREADY_PAID", 109_800),
            ("Q-UNKNOWN", "ORDER_NOT_FOUND", 109_800),
            ("Q-WRONG", "AMOUNT_MISMATCH", 100),
        ]
    );
    error(
        app.call(
            Method::GET,
            "/api/v1/payments/unapplied",
            None,
            Some(&token),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // Active for a year from the payment; the trial's sites carried over; no trial again.
    let view = overview(&app, &token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.state.as_str(), sub.seats, sub.expires_at.as_str()),
        ("active", 3, "2027-11-23T09:00:33Z"),
        "a year from the payment (the mail job's clock steps moved it 33 s past 09:00)"
    );
    assert_eq!(view.active, 3);
    let standing: Value = ok(cloud_status(&app, &cloud_tokens[0]).await, StatusCode::OK).await;
    assert_eq!(standing["state"], "active");
    error(
        start_trial(&app, &token).await,
        StatusCode::CONFLICT,
        "TRIAL_AFTER_PURCHASE",
    )
    .await;

    // The invoice: listed, printable, mailed to the invoice address.
    let invoices: Value = ok(
        app.call(Method::GET, "/api/v1/account/invoices", None, Some(&token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(invoices["invoices"][0]["number"], "2026-000001");
    assert_eq!(invoices["invoices"][0]["total"], 109_800);
    let page = app
        .call(
            Method::GET,
            "/api/v1/account/invoices/2026-000001",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    for shown in [
        "2026-000001",
        "Vendor S.p.A.",
        "Rossi Trasporti S.r.l.",
        "F00772540",
        "900.00 EUR",
        "198.00 EUR",
        "1098.00 EUR",
        "IT01234567897",
    ] {
        assert!(html.contains(shown), "the invoice shows {shown}");
    }
    let paid_mail = mail_for(&app, "invoices@rossi.example").await;
    assert!(paid_mail.contains("2026-000001"), "{paid_mail}");

    // The key of site 3 is upgraded to pro: "cloud disabled: license mismatch".
    let _: Value = ok(
        app.post(
            &format!("/api/v1/keys/{}/edition", keys[2]),
            &json!({"edition": "pro"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        cloud_of(&overview(&app, &token).await, &sites[2]),
        "license_mismatch"
    );
    error(
        cloud_status(&app, &cloud_tokens[2]).await,
        StatusCode::FORBIDDEN,
        "CLOUD_LICENSE_MISMATCH",
    )
    .await;
    // The site's own license comes first: suspended by the vendor, it is out of the cloud
    // until resumed.
    let suspend = async |action: &str| {
        app.post(
            &format!("/api/v1/sites/{}/{action}", sites[1]),
            &json!({"reason": "unpaid"}),
        )
        .await
    };
    assert_eq!(suspend("suspend").await.status(), StatusCode::OK);
    error(
        cloud_status(&app, &cloud_tokens[1]).await,
        StatusCode::FORBIDDEN,
        "LICENSE_SUSPENDED",
    )
    .await;
    assert_eq!(suspend("resume").await.status(), StatusCode::OK);
    let _: Value = ok(cloud_status(&app, &cloud_tokens[1]).await, StatusCode::OK).await;

    // Renewal before expiry, dropping site 3: extends from the old expiry.
    move_to(&mut app, "2027-10-01T10:00:00Z".parse().unwrap()).await;
    let token = account_login(&app, "ib50").await;
    let mut renewal = new_order(2);
    renewal.keep = Some(vec![sites[0].clone(), sites[1].clone(), sites[2].clone()]);
    error(
        order(&app, &token, &renewal).await,
        StatusCode::CONFLICT,
        "KEEP_EXCEEDS_QUANTITY",
    )
    .await;
    renewal.keep = Some(vec![sites[0].clone(), sites[3].clone()]);
    error(
        order(&app, &token, &renewal).await,
        StatusCode::CONFLICT,
        "KEEP_UNKNOWN_SITE",
    )
    .await;
    renewal.keep = Some(vec![sites[0].clone(), sites[1].clone()]);
    let renewed: Order = ok(order(&app, &token, &renewal).await, StatusCode::CREATED).await;
    assert_eq!(
        (renewed.kind.as_str(), renewed.summary.total),
        ("renewal", 73_200)
    );
    let receipt = pay(&app, &renewed, "Q20001").await;
    assert_eq!(receipt.invoice, "2027-000001", "numbers restart each year");
    // Paid early, the new year starts at the old expiry: until then the paid term runs as
    // bought (three seats, site 2 still in), and no second renewal can be ordered.
    let view = overview(&app, &token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.seats, sub.expires_at.as_str()),
        (3, "2028-11-23T09:00:33Z"),
        "the expiry moves at once, the seats when the new year starts"
    );
    assert_eq!(cloud_of(&view, &sites[2]), "license_mismatch");
    error(
        order(&app, &token, &new_order(2)).await,
        StatusCode::CONFLICT,
        "RENEWAL_PENDING",
    )
    .await;
    let before = last_expiry_run(&app, None).await;
    move_to(&mut app, "2027-11-23T09:05:00Z".parse().unwrap()).await;
    last_expiry_run(&app, Some(&before)).await;
    let token = account_login(&app, "ib50").await;
    let view = overview(&app, &token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.seats, sub.state.as_str(), sub.expires_at.as_str()),
        (2, "active", "2028-11-23T09:00:33Z"),
        "the new year has started"
    );
    assert_eq!(cloud_of(&view, &sites[2]), "not_enabled");
    assert_eq!(cloud_of(&view, &sites[0]), "enabled");
    error(
        cloud_status(&app, &cloud_tokens[2]).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // Reminders 30, 7 and 1 day before, then expiry, each once, by the hourly job.
    let expiry: Timestamp = "2028-11-23T09:00:33Z".parse().unwrap();
    let account_mail = "ib50@example.com";
    for (days, kind, count) in [
        (30, "subscription.reminder", 1),
        (7, "subscription.reminder", 2),
        (1, "subscription.reminder", 3),
        (0, "subscription.expired", 1),
    ] {
        move_to(
            &mut app,
            expiry - SignedDuration::from_hours(days * 24) + SignedDuration::from_mins(5),
        )
        .await;
        until(&format!("{kind} {days}"), async || {
            (queued(&app, account_mail, kind).await == count).then_some(())
        })
        .await;
        // An hour later the job runs again and queues nothing new.
        let first = last_expiry_run(&app, None).await;
        move_to(
            &mut app,
            expiry - SignedDuration::from_hours(days * 24) + SignedDuration::from_mins(65),
        )
        .await;
        last_expiry_run(&app, Some(&first)).await;
        assert_eq!(
            queued(&app, account_mail, kind).await,
            count,
            "{kind} {days} once"
        );
    }
    let reminder = mail_for(&app, account_mail).await;
    assert!(reminder.contains("ib50"), "{reminder}");
    let subs: Value = ok(app.get("/api/v1/subscriptions").await, StatusCode::OK).await;
    assert_eq!(subs["subscriptions"][0]["state"], "expired");
    let stored = app
        .store
        .subscription(
            subs["subscriptions"][0]["account_id"].as_i64().unwrap(),
            "cloud",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.state.as_str(),
        "expired",
        "the job wrote the expiry down"
    );
    error(
        cloud_status(&app, &cloud_tokens[0]).await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_EXPIRED",
    )
    .await;
    let token = account_login(&app, "ib50").await;
    error(
        enable(&app, &token, &[&sites[3]]).await,
        StatusCode::CONFLICT,
        "SUBSCRIPTION_EXPIRED",
    )
    .await;

    // Renewed after expiry: the new year runs from the payment.
    move_to(&mut app, "2028-12-10T12:00:00Z".parse().unwrap()).await;
    let token = account_login(&app, "ib50").await;
    let late: Order = ok(
        order(&app, &token, &new_order(2)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(pay(&app, &late, "Q30001").await.invoice, "2028-000001");
    let sub = overview(&app, &token).await.subscription.unwrap();
    assert_eq!(
        (sub.state.as_str(), sub.expires_at.as_str()),
        ("active", "2029-12-10T12:00:00Z")
    );
    let _: Value = ok(cloud_status(&app, &cloud_tokens[0]).await, StatusCode::OK).await;

    // Operators block and delete; each state refuses with its own code.
    let id = sub.id;
    for (state, status, code) in [
        ("blocked", StatusCode::FORBIDDEN, "SUBSCRIPTION_BLOCKED"),
        (
            "maintenance",
            StatusCode::FORBIDDEN,
            "SUBSCRIPTION_MAINTENANCE",
        ),
        ("deleted", StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
    ] {
        let path = format!("/api/v1/subscriptions/{id}/state");
        let _: Value = ok(
            app.post(&path, &json!({"state": state})).await,
            StatusCode::OK,
        )
        .await;
        error(cloud_status(&app, &cloud_tokens[0]).await, status, code).await;
    }
    error(
        app.post(
            &format!("/api/v1/subscriptions/{id}/state"),
            &json!({"state": "active"}),
        )
        .await,
        StatusCode::CONFLICT,
        "SUBSCRIPTION_DELETED",
    )
    .await;
    app.stop().await;
}
