//! The provider's callback: only signed, fresh and matching payments are applied, each once;
//! every refused payment is kept once for the vendor to refund.

use super::*;

pub(super) async fn the_provider_confirms_the_payment_once(
    app: &TestApp,
    story: &Story,
    bought: &Order,
) {
    let now = app.clock.now().as_second();
    let paid = PaymentCallback {
        payment_id: "Q10270".into(),
        order_id: bought.order_id.clone(),
        amount: 109_800,
        currency: "EUR".into(),
    };
    error(
        callback_signed(app, &paid, "guessed secret", now).await,
        StatusCode::UNAUTHORIZED,
        "SIGNATURE_INVALID",
    )
    .await;
    error(
        callback_signed(app, &paid, SECRET, now - 600).await,
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
    let wrong = PaymentCallback {
        amount: 100,
        payment_id: "Q-WRONG".into(),
        ..paid.clone()
    };
    error(
        callback(app, &wrong).await,
        StatusCode::CONFLICT,
        "AMOUNT_MISMATCH",
    )
    .await;
    // A refused payment leaves its trace for the vendor to refund.
    let refused_ops = app.api().operations("?outcome=refused").await.unwrap();
    assert!(
        refused_ops
            .operations
            .iter()
            .any(|o| o.operation == "POST /api/v1/payments/callback"
                && o.code.as_deref() == Some("AMOUNT_MISMATCH")),
        "{:?}",
        refused_ops.operations
    );
    let unknown = PaymentCallback {
        order_id: "ord_unknown".into(),
        payment_id: "Q-UNKNOWN".into(),
        ..paid.clone()
    };
    error(
        callback(app, &unknown).await,
        StatusCode::NOT_FOUND,
        "ORDER_NOT_FOUND",
    )
    .await;
    let receipt: PaymentReceipt = ok(callback(app, &paid).await, StatusCode::OK).await;
    assert_eq!(
        (receipt.invoice.as_str(), receipt.recorded),
        ("2026-000001", true)
    );
    let again: PaymentReceipt = ok(callback(app, &paid).await, StatusCode::OK).await;
    assert_eq!(
        (again.invoice.as_str(), again.recorded),
        ("2026-000001", false)
    );
    let second = PaymentCallback {
        payment_id: "Q10271".into(),
        ..paid.clone()
    };
    for _ in 0..2 {
        error(
            callback(app, &second).await,
            StatusCode::CONFLICT,
            "ORDER_ALREADY_PAID",
        )
        .await;
    }
    // Each refused payment is kept once for the vendor to refund, newest first.
    let unapplied = app.api().unapplied_payments().await.unwrap();
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
    refused(
        app.api_as(Some(&story.token)).unapplied_payments().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
