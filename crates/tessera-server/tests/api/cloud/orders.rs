//! Orders that are not paid: the account cancels one, or its deadline passes and the hourly
//! `expiry` job writes the expiry down; a payment for either is refused and kept for a
//! refund, and changes nothing. (The race of a cancellation with a payment is in races.rs.)
//! Neither a trial nor an order is made without the service's terms accepted.

use tessera_api::StartTrial;
use tessera_core::order::OrderStatus;

use super::*;

both_backends!(
    an_unpaid_order_is_cancelled_or_expires with cloud_config,
    no_trial_and_no_order_without_the_terms_accepted with cloud_config,
    operators_list_every_accounts_orders with cloud_config,
);

/// The order `id` as the account lists it.
async fn listed(app: &TestApp, token: &str, id: &str) -> Order {
    let list = app.api_as(Some(token)).orders().await.unwrap();
    list.orders
        .into_iter()
        .find(|o| o.order_id == id)
        .unwrap_or_else(|| panic!("order {id} is not listed"))
}

/// The status the store holds for `id` (what the job writes down).
async fn stored_status(app: &TestApp, id: &str) -> OrderStatus {
    app.store.order(id, None).await.unwrap().status
}

/// Why each unapplied payment was kept, by payment id.
async fn unapplied(app: &TestApp) -> Vec<(String, String)> {
    let list = app.api().unapplied_payments().await.unwrap();
    list.payments
        .into_iter()
        .map(|p| (p.payment_id, p.reason))
        .collect()
}

async fn an_unpaid_order_is_cancelled_or_expires(mut app: TestApp) {
    let keys = catalog(&app, 2).await;
    let (token, _) = customer(&app, "rossi", IT_VATS[0], &keys[..1]).await;
    let (other, _) = customer(&app, "bianchi", IT_VATS[1], &keys[1..2]).await;
    let placed_at = app.clock.now();

    // Placed: awaiting payment until 72 hours later (the default), listed newest first.
    let first = order(&app, &token, &new_order(1)).await.unwrap();
    assert_eq!(first.status, "awaiting_payment");
    let deadline = placed_at + SignedDuration::from_hours(72);
    assert_eq!(first.expires_at, deadline.to_string());
    let second = order(&app, &token, &new_order(2)).await.unwrap();
    let list = app.api_as(Some(&token)).orders().await.unwrap();
    let ids: Vec<&str> = list.orders.iter().map(|o| o.order_id.as_str()).collect();
    assert_eq!(ids, [second.order_id.as_str(), first.order_id.as_str()]);
    assert!(
        app.api_as(Some(&other))
            .orders()
            .await
            .unwrap()
            .orders
            .is_empty()
    );

    // Cancelled by its account, once; another account does not see it.
    refused(
        app.api_as(Some(&other)).cancel_order(&first.order_id).await,
        StatusCode::NOT_FOUND,
        "ORDER_NOT_FOUND",
    );
    let cancelled = app
        .api_as(Some(&token))
        .cancel_order(&first.order_id)
        .await
        .unwrap();
    assert_eq!(cancelled.status, "cancelled");
    assert_eq!(cancelled.order_id, first.order_id);
    refused(
        app.api_as(Some(&token)).cancel_order(&first.order_id).await,
        StatusCode::CONFLICT,
        "ORDER_CANCELLED",
    );
    assert_eq!(
        listed(&app, &token, &first.order_id).await.status,
        "cancelled"
    );
    // The account's operations log has both attempts, with who.
    let ops = app
        .api_as(Some(&token))
        .own_operations("")
        .await
        .unwrap()
        .operations;
    let cancels: Vec<(&str, &str, Option<&str>)> = ops
        .iter()
        .filter(|o| o.operation == "POST /api/v1/account/cloud/orders/{order_id}/cancel")
        .map(|o| (o.actor.as_str(), o.outcome.as_str(), o.code.as_deref()))
        .collect();
    assert_eq!(
        cancels,
        [
            ("account:rossi", "refused", Some("ORDER_CANCELLED")),
            ("account:rossi", "ok", None),
        ]
    );

    // Its payment is refused and kept for a refund; nothing is bought.
    error(
        callback(&app, &payment(&first, "P-CANCELLED")).await,
        StatusCode::CONFLICT,
        "ORDER_CANCELLED",
    )
    .await;
    assert_eq!(
        unapplied(&app).await,
        [("P-CANCELLED".to_owned(), "ORDER_CANCELLED".to_owned())]
    );
    assert!(overview(&app, &token).await.subscription.is_none());
    let after = app
        .api_as(Some(&token))
        .order(&first.order_id)
        .await
        .unwrap();
    assert_eq!(
        (after.status.as_str(), after.invoice, after.paid_at),
        ("cancelled", None, None)
    );

    // Paid a second before its deadline: that still counts, and a paid order is not
    // cancelled (the vendor refunds).
    move_to(&mut app, deadline - SignedDuration::from_secs(1)).await;
    let token = account_login(&app, "rossi").await;
    assert_eq!(
        listed(&app, &token, &second.order_id).await.status,
        "awaiting_payment"
    );
    pay(&app, &second, "P-IN-TIME").await;
    refused(
        app.api_as(Some(&token))
            .cancel_order(&second.order_id)
            .await,
        StatusCode::CONFLICT,
        "ORDER_ALREADY_PAID",
    );
    let bought = overview(&app, &token).await.subscription.unwrap();
    assert_eq!((bought.state.as_str(), bought.seats), ("active", 2));

    // A renewal left unpaid: from its deadline on it is expired, even before the job runs.
    let renewal = order(&app, &token, &new_order(5)).await.unwrap();
    assert_eq!(renewal.kind, "renewal");
    let renewal_deadline: Timestamp = renewal.expires_at.parse().unwrap();
    app.clock
        .advance(renewal_deadline.duration_since(app.clock.now()));
    let token = account_login(&app, "rossi").await;
    assert_eq!(
        stored_status(&app, &renewal.order_id).await,
        OrderStatus::AwaitingPayment
    );
    assert_eq!(
        listed(&app, &token, &renewal.order_id).await.status,
        "expired"
    );
    refused(
        app.api_as(Some(&token))
            .cancel_order(&renewal.order_id)
            .await,
        StatusCode::CONFLICT,
        "ORDER_EXPIRED",
    );

    // The expiry job writes it down, run now by an operator as on schedule.
    app.sign_in().await;
    let run = app.api().run_job("expiry").await.unwrap();
    assert_eq!(run.outcome, "done");
    assert!(
        run.detail
            .as_deref()
            .is_some_and(|d| d.contains("1 unpaid orders expired")),
        "{run:?}"
    );
    assert_eq!(
        stored_status(&app, &renewal.order_id).await,
        OrderStatus::Expired
    );
    // Paid and cancelled orders are left as they were.
    assert_eq!(
        stored_status(&app, &first.order_id).await,
        OrderStatus::Cancelled
    );
    assert_eq!(
        stored_status(&app, &second.order_id).await,
        OrderStatus::Paid
    );

    // A payment after the deadline is kept for a refund; the subscription stays as bought.
    error(
        callback(&app, &payment(&renewal, "P-LATE")).await,
        StatusCode::CONFLICT,
        "ORDER_EXPIRED",
    )
    .await;
    let kept = unapplied(&app).await;
    assert_eq!(kept[0], ("P-LATE".to_owned(), "ORDER_EXPIRED".to_owned()));
    let late = app
        .api_as(Some(&token))
        .order(&renewal.order_id)
        .await
        .unwrap();
    assert_eq!(
        (late.status.as_str(), late.invoice, late.paid_at),
        ("expired", None, None)
    );
    let still = overview(&app, &token).await.subscription.unwrap();
    assert_eq!(
        (still.seats, still.expires_at.as_str(), still.plan.as_str()),
        (
            bought.seats,
            bought.expires_at.as_str(),
            bought.plan.as_str()
        )
    );
    let invoices = app.api_as(Some(&token)).own_invoices().await.unwrap();
    assert_eq!(invoices.invoices.len(), 1);
    app.stop().await;
}

/// E1–E2: the customer accepts the service's terms before a trial or an order; without
/// them the refusal names the field and nothing is made.
async fn no_trial_and_no_order_without_the_terms_accepted(app: TestApp) {
    let keys = catalog(&app, 1).await;
    let (token, _) = customer(&app, "rossi", IT_VATS[0], &keys).await;
    let portal = app.api_as(Some(&token));

    let unaccepted = StartTrial {
        plan: "cloud-s10".into(),
        terms_accepted: false,
    };
    let e = refused(
        portal.start_trial(&unaccepted).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "TERMS_NOT_ACCEPTED",
    );
    assert_eq!(e.field.as_deref(), Some("terms_accepted"));
    assert!(overview(&app, &token).await.subscription.is_none());

    let mut body = new_order(1);
    body.terms_accepted = false;
    let e = refused(
        order(&app, &token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "TERMS_NOT_ACCEPTED",
    );
    assert_eq!(e.field.as_deref(), Some("terms_accepted"));
    assert!(portal.orders().await.unwrap().orders.is_empty());

    // Accepted, both go through.
    start_trial(&app, &token).await.unwrap();
    order(&app, &token, &new_order(1)).await.unwrap();
}

async fn operators_list_every_accounts_orders(app: TestApp) {
    let keys = catalog(&app, 2).await;
    let (token, _) = customer(&app, "rossi", IT_VATS[0], &keys[..1]).await;
    let (other, _) = customer(&app, "bianchi", IT_VATS[1], &keys[1..2]).await;
    let first = order(&app, &token, &new_order(1)).await.unwrap();
    let second = order(&app, &token, &new_order(2)).await.unwrap();

    // Operators see every account's orders, newest first, with whose they are, a page at a
    // time; an account's token does not open the list.
    let theirs = order(&app, &other, &new_order(1)).await.unwrap();
    let all = app.api().all_orders(None, Some(2)).await.unwrap();
    let seen: Vec<(&str, i64)> = all
        .orders
        .iter()
        .map(|o| (o.order_id.as_str(), o.account_id))
        .collect();
    assert_eq!(
        seen,
        [
            (theirs.order_id.as_str(), theirs.account_id),
            (second.order_id.as_str(), second.account_id)
        ]
    );
    assert_ne!(theirs.account_id, second.account_id);
    let rest = app
        .api()
        .all_orders(all.next_before, Some(2))
        .await
        .unwrap();
    assert_eq!(rest.orders.len(), 1);
    assert_eq!(rest.orders[0].order_id, first.order_id);
    assert_eq!(rest.next_before, None);
    refused(
        app.api_as(Some(&token)).all_orders(None, None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
