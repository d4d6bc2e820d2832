//! The payment provider's confirmation (E2–E3): the callback's signature is checked before
//! its body is read, then the payment is recorded once, the subscription started or
//! extended and the invoice issued, all in one transaction. What the payment does is
//! decided by `tessera_core::payment::decide_payment` (through the store). A confirmed
//! payment that cannot be applied is kept for the vendor to refund.

use tessera_api::{ErrorCode, Order, PaymentCallback};
use tessera_core::money::amount;
use tessera_core::payment::verify;
use tessera_store::{PaymentIn, PaymentOutcome, StoreError};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A payment id is 1 to this many characters.
const MAX_PAYMENT_ID: usize = 200;

/// Confirms the payment in the callback `body`, signed as `signature` (the header's value).
/// The same payment again is `AlreadyRecorded` and changes nothing. Gives the order id the
/// callback named, with the outcome.
pub async fn confirm_payment(
    app: &AppState,
    signature: &str,
    body: &[u8],
) -> ApiResult<(String, PaymentOutcome)> {
    let secret = app
        .config
        .billing
        .payment_secret
        .as_deref()
        .ok_or(ApiError::from(ErrorCode::PaymentsNotConfigured))?;
    let now = app.clock.now();
    verify(secret.as_bytes(), signature, body, now).map_err(|e| {
        tracing::warn!(error = %e, "payment callback refused");
        ApiError::refused((&e).into(), e)
    })?;
    if crate::control_chars::might_hold(body) {
        crate::control_chars::read_checked::<PaymentCallback>(body)
            .map_err(|field| crate::extract::control_character(&field))?;
    }
    let cb: PaymentCallback = serde_json::from_slice(body).map_err(|e| {
        ApiError::refused(ErrorCode::MalformedJson, format!("the callback body: {e}"))
    })?;
    let payment = PaymentIn {
        provider_id: cb.payment_id.trim(),
        order: cb.order_id.trim(),
        amount: cb.amount,
        currency: cb.currency.trim(),
    };
    if payment.provider_id.is_empty() || payment.provider_id.len() > MAX_PAYMENT_ID {
        return Err(ApiError::invalid(
            ErrorCode::PaymentIdInvalid,
            "payment_id",
            "1 to 200 characters",
        ));
    }
    match record(app, &payment).await {
        Ok(outcome) => Ok((payment.order.to_owned(), outcome)),
        Err(e) => {
            // The provider has the money: a refusal is kept for the vendor to refund.
            if let Some(reason) = unapplied_reason(&e) {
                app.store.record_unapplied(&payment, reason, now).await?;
                tracing::warn!(
                    payment = payment.provider_id,
                    order = payment.order,
                    reason,
                    "payment not applied: kept for a refund"
                );
            }
            Err(e.into())
        }
    }
}

/// Where the customer pays `order`: the configured provider's page (`billing.checkout_url`
/// with `{order}`, `{amount}` and `{currency}` filled in), else the built-in test provider's
/// when it is on, else nowhere (payments are not set up).
pub fn checkout_url(app: &AppState, order: &Order) -> Option<String> {
    let billing = &app.config.billing;
    match &billing.checkout_url {
        Some(template) => {
            let s = &order.summary;
            Some(
                template
                    .replace("{order}", &url_encoded(&order.order_id))
                    .replace("{amount}", &amount(s.total, &s.currency))
                    .replace("{currency}", &url_encoded(&s.currency)),
            )
        }
        None if billing.test_payments => {
            Some(format!("/test-payments/{}", url_encoded(&order.order_id)))
        }
        None => None,
    }
}

/// `value` safe in any part of a URL: unreserved characters as they are, the rest
/// percent-encoded.
fn url_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Records the payment; the store issues its invoice document and queues the confirmation.
async fn record(app: &AppState, payment: &PaymentIn<'_>) -> Result<PaymentOutcome, StoreError> {
    let now = app.clock.now();
    let seller = app.config.billing.seller();
    let zone = &app.zone;
    let actor = tessera_core::Actor::System;
    app.store
        .record_payment(payment, zone, &seller, &actor, now)
        .await
}

/// Why a signed payment was refused, when the refusal is about the payment itself (not a
/// failure the provider's retry may get past).
fn unapplied_reason(e: &StoreError) -> Option<&'static str> {
    match e {
        StoreError::Conflict(code) | StoreError::Refused { code, .. } => Some(code.as_str()),
        StoreError::NotFound("order") => Some(ErrorCode::OrderNotFound.as_str()),
        _ => None,
    }
}

/// Confirmed payments that could not be applied, newest first, each for a refund or a
/// manual fix.
pub async fn unapplied(
    app: &AppState,
    _op: &crate::actors::Operator,
) -> ApiResult<Vec<tessera_api::UnappliedPayment>> {
    let payments = app.store.unapplied_payments().await?;
    Ok(payments
        .into_iter()
        .map(|p| tessera_api::UnappliedPayment {
            payment_id: p.provider_id,
            order_id: p.order,
            amount: p.amount,
            currency: p.currency,
            reason: p.reason,
            received_at: p.received_at.to_string(),
        })
        .collect())
}
