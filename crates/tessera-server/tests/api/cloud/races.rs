//! The races: trials, enablements, wrong codes, callbacks and payments at once; an order
//! cancelled while its payment arrives.

use super::*;

both_backends!(
    cloud_races_grant_once with racing_config,
    a_cancellation_and_a_payment_at_once_end_one_way with cloud_config,
);

/// An order cancelled by its account at the moment its payment arrives, four times over
/// (an account each: one purchase each): each ends either paid (the cancellation refused
/// `ORDER_ALREADY_PAID`) or cancelled with the payment refused `ORDER_CANCELLED` and kept
/// for a refund, never both and never neither.
async fn a_cancellation_and_a_payment_at_once_end_one_way(app: TestApp) {
    let keys = catalog(&app, 4).await;
    let mut kept = Vec::new();
    for (i, key) in keys[..4].iter().enumerate() {
        let name = format!("racer{i}");
        register(&app, &name, &format!("{name}@example.com"), IT_VATS[i], key).await;
        let token = account_login(&app, &name).await;
        let placed = order(&app, &token, &new_order(1)).await.unwrap();
        let account = app.api_as(Some(&token));
        let body = payment(&placed, &format!("RACE-{i}"));
        let (cancelled, paid) = tokio::join!(
            account.cancel_order(&placed.order_id),
            callback(&app, &body)
        );
        let now = account.order(&placed.order_id).await.unwrap();
        let subscription = overview(&app, &token).await.subscription;
        if paid.status() == StatusCode::OK {
            refused(cancelled, StatusCode::CONFLICT, "ORDER_ALREADY_PAID");
            assert_eq!(now.status, "paid");
            assert!(now.invoice.is_some());
            assert_eq!(subscription.unwrap().state, "active");
        } else {
            error(paid, StatusCode::CONFLICT, "ORDER_CANCELLED").await;
            assert_eq!(cancelled.unwrap().status, "cancelled");
            assert_eq!((now.status.as_str(), now.invoice), ("cancelled", None));
            assert!(subscription.is_none());
            kept.push(body.payment_id);
        }
    }
    // Exactly the refused payments wait for a refund.
    let mut unapplied: Vec<String> = app
        .api()
        .unapplied_payments()
        .await
        .unwrap()
        .payments
        .into_iter()
        .map(|p| p.payment_id)
        .collect();
    unapplied.sort();
    assert_eq!(unapplied, kept);
    app.stop().await;
}

/// Two trials at once grant one; two enablements at once never pass the seats; wrong codes
/// are rate-limited; a callback delivered twice at once records one payment; payments at
/// once get gap-free invoice numbers.
async fn cloud_races_grant_once(app: TestApp) {
    let keys = catalog(&app, 4).await;
    let (token, sites) = customer(&app, "racer", IT_VATS[1], &keys[..4]).await;

    let (a, b) = tokio::join!(start_trial(&app, &token), start_trial(&app, &token));
    one_won(a, b, "TRIAL_USED");

    // 3 seats: two selections of two at once; one wins, nothing beyond the seats.
    let (left, right) = ([&sites[0], &sites[1]], [&sites[2], &sites[3]]);
    let (a, b) = tokio::join!(enable(&app, &token, &left), enable(&app, &token, &right));
    one_won(a, b, "SEATS_EXCEEDED");
    assert_eq!(overview(&app, &token).await.active, 2);

    // Wrong codes: three tries per site code a minute, then 429 even for the right ones.
    let enabled: Vec<String> = overview(&app, &token).await.groups[0]
        .sites
        .iter()
        .filter(|s| s.cloud == "enabled")
        .map(|s| s.email.clone().unwrap())
        .collect();
    let text = mail_for(&app, &enabled[0]).await;
    let (activation, site_code) = (
        code_after(&text, "Activation code:"),
        code_after(&text, "Site code:"),
    );
    for _ in 0..3 {
        refused(
            exchange(&app, &site_code, "WRONG").await,
            StatusCode::UNAUTHORIZED,
            "CLOUD_CODES_INVALID",
        );
    }
    refused(
        exchange(&app, &site_code, &activation).await,
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
    );

    // One callback delivered twice at the same moment: one payment, one invoice.
    let first = order(&app, &token, &new_order(2)).await.unwrap();
    let body = payment(&first, "P-1");
    let (a, b) = tokio::join!(callback(&app, &body), callback(&app, &body));
    let a: PaymentReceipt = ok(a, StatusCode::OK).await;
    let b: PaymentReceipt = ok(b, StatusCode::OK).await;
    assert_eq!(a.invoice, b.invoice);
    assert_eq!([a.recorded, b.recorded].iter().filter(|r| **r).count(), 1);

    // Four payments at once (three new buyers and the racer's renewal): invoice numbers
    // 2..5, none missing, none twice.
    let mut orders = vec![order(&app, &token, &new_order(2)).await.unwrap()];
    for (i, vat) in [IT_VATS[0], IT_VATS[2], IT_VATS[3]].into_iter().enumerate() {
        let name = format!("buyer{i}");
        let key = batch_keys(&app, "ssm2", "std", "s10", 1).await.remove(0);
        register(&app, &name, &format!("{name}@example.com"), vat, &key).await;
        let t = account_login(&app, &name).await;
        orders.push(order(&app, &t, &new_order(1)).await.unwrap());
    }
    let paid = futures_join_all(&app, &orders).await;
    let mut numbers: Vec<String> = paid.into_iter().map(|r| r.invoice).collect();
    numbers.sort();
    let expected: Vec<String> = (2..=5).map(|n| format!("2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
    app.stop().await;
}

/// Of two racing requests, one succeeded (with its route's status, as the client checks) and
/// the other was refused 409 with `code`.
#[track_caller]
fn one_won<T: std::fmt::Debug>(a: ApiResult<T>, b: ApiResult<T>, code: &str) {
    let (winner, loser) = if a.is_ok() { (a, b) } else { (b, a) };
    winner.unwrap();
    refused(loser, StatusCode::CONFLICT, code);
}

/// Pays every order at once.
async fn futures_join_all(app: &TestApp, orders: &[Order]) -> Vec<PaymentReceipt> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, o) in orders.iter().enumerate() {
        let http = app.http.clone();
        let url = format!("{}/api/v1/payments/callback", app.base);
        let raw = serde_json::to_vec(&payment(o, &format!("BULK-{i}"))).unwrap();
        let signature =
            tessera_core::payment::sign(SECRET.as_bytes(), app.clock.now().as_second(), &raw);
        tasks.spawn(async move {
            http.post(url)
                .header("content-type", "application/json")
                .header("tessera-signature", signature)
                .body(raw)
                .send()
                .await
                .unwrap()
        });
    }
    let mut receipts = Vec::new();
    while let Some(resp) = tasks.join_next().await {
        receipts.push(ok::<PaymentReceipt>(resp.unwrap(), StatusCode::OK).await);
    }
    receipts
}
