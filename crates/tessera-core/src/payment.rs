//! A payment (E2–E3): the provider's signed confirmation callback, what a confirmed payment
//! does to the order and the subscription ([`decide_payment`]), and the numbers of invoices.
//!
//! The provider signs each callback with a secret both sides share, as `signed_header`
//! describes (the same scheme signs Tessera's own webhooks). Replays within the tolerance
//! are the store's business: a payment id is recorded once.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::order::{OrderClosed, OrderStatus};
pub use crate::signed_header::{SIGNATURE_HEADER, SignatureError, TOLERANCE_SECS, sign, verify};
use crate::subscription::{SubscriptionState, Unusable, term};

/// An invoice's number: the year and its gap-free sequence, `2026-000042`.
pub fn invoice_number(year: i16, seq: i64) -> String {
    format!("{year}-{seq:06}")
}

/// The order a payment is for, as it stands before the payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayableOrder<'a> {
    pub id: &'a str,
    /// As stored: the expiry job may not have written down an expiry yet.
    pub status: OrderStatus,
    /// The payment deadline: from this instant on an unpaid order has expired.
    pub pay_by: Timestamp,
    pub total: i64,
    pub currency: &'a str,
    /// How long a term the order buys.
    pub months: i32,
}

/// The payment as the provider confirmed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paid<'a> {
    pub amount: i64,
    pub currency: &'a str,
}

/// The same provider payment id, if it was recorded before: for which order, and the
/// invoice that payment issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenBefore<'a> {
    pub order: &'a str,
    pub invoice: Option<&'a str>,
}

/// The account's subscription to the service, as a payment finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    pub state: SubscriptionState,
    pub purchased_at: Option<Timestamp>,
    pub expires_at: Timestamp,
    pub pending_renewal: Option<Timestamp>,
}

/// What a confirmed payment does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentDecision {
    /// The provider sent the same payment again: nothing changes, the answer names the
    /// invoice it issued the first time.
    AlreadyRecorded { invoice: String },
    /// Record it, with this effect on the subscription, and issue the invoice.
    Apply(PaymentEffect),
}

/// A recorded payment's effect on the subscription; each term runs `[starts, ends)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentEffect {
    /// The first purchase (no subscription yet): a new one, active.
    Start { starts: Timestamp, ends: Timestamp },
    /// The new term takes effect now: state, seats and plan are the order's, the sites it
    /// does not keep are dropped (sites are dropped only when a term starts).
    Renew {
        state: SubscriptionState,
        starts: Timestamp,
        ends: Timestamp,
    },
    /// A renewal paid while a paid term runs starts when that term ends: only the expiry
    /// moves now; seats, plan and kept sites wait until `starts` (the expiry job applies
    /// them).
    Defer {
        state: SubscriptionState,
        starts: Timestamp,
        ends: Timestamp,
    },
}

/// Why a confirmed payment cannot be applied; the provider has the money, so the vendor
/// keeps it on the list to refund.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentRefused {
    #[error("this payment id was recorded for another order")]
    PaymentIdReused,
    /// The order no longer awaits payment: paid already (by another payment), cancelled,
    /// or past its deadline.
    #[error(transparent)]
    Closed(OrderClosed),
    #[error("the order is {total} {currency}; the payment is {amount} {paid_currency}")]
    AmountMismatch {
        total: i64,
        currency: String,
        amount: i64,
        paid_currency: String,
    },
    /// The order was placed before the subscription was deleted.
    #[error(transparent)]
    Unusable(Unusable),
    /// Two early renewals were ordered before either was paid.
    #[error("a renewal is paid already and has not started yet")]
    RenewalPending,
}

/// Decides what the payment `paid` for `order` does, given whether its provider id was
/// `seen` before and the account's `current` subscription (None: it never had one). Terms
/// are calendar months in `zone` (see [`term`]). In this order: the same payment again, a
/// reused id, an order paid already, cancelled or expired (at `now`, whether or not the
/// expiry job has written it down), a wrong amount, a deleted subscription, a second early
/// renewal.
pub fn decide_payment(
    order: &PayableOrder<'_>,
    paid: Paid<'_>,
    seen: Option<SeenBefore<'_>>,
    current: Option<&Current>,
    now: Timestamp,
    zone: &TimeZone,
) -> Result<PaymentDecision, PaymentRefused> {
    match seen {
        Some(SeenBefore {
            order: seen_order,
            invoice: Some(invoice),
        }) if seen_order == order.id => {
            return Ok(PaymentDecision::AlreadyRecorded {
                invoice: invoice.to_owned(),
            });
        }
        Some(_) => return Err(PaymentRefused::PaymentIdReused),
        None => {}
    }
    order
        .status
        .awaiting(order.pay_by, now)
        .map_err(PaymentRefused::Closed)?;
    if paid.amount != order.total || paid.currency != order.currency {
        return Err(PaymentRefused::AmountMismatch {
            total: order.total,
            currency: order.currency.to_owned(),
            amount: paid.amount,
            paid_currency: paid.currency.to_owned(),
        });
    }
    let Some(sub) = current else {
        let (starts, ends) = term(None, now, order.months, zone);
        return Ok(PaymentDecision::Apply(PaymentEffect::Start {
            starts,
            ends,
        }));
    };
    if sub.state == SubscriptionState::Deleted {
        return Err(PaymentRefused::Unusable(Unusable::Deleted));
    }
    // A trial's days are not paid ones: the first term runs from the payment.
    let paid_until = sub.purchased_at.map(|_| sub.expires_at);
    let (starts, ends) = term(paid_until, now, order.months, zone);
    // Maintenance and blocked are the vendor's to lift; a payment keeps them.
    let state = match sub.state {
        SubscriptionState::Maintenance | SubscriptionState::Blocked => sub.state,
        _ => SubscriptionState::Active,
    };
    if starts <= now {
        return Ok(PaymentDecision::Apply(PaymentEffect::Renew {
            state,
            starts,
            ends,
        }));
    }
    if sub.pending_renewal.is_some() {
        return Err(PaymentRefused::RenewalPending);
    }
    Ok(PaymentDecision::Apply(PaymentEffect::Defer {
        state,
        starts,
        ends,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"shared-with-the-provider";

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).unwrap()
    }

    #[test]
    fn a_fresh_signature_over_the_body_passes() {
        let body = br#"{"payment_id":"P1"}"#;
        let header = sign(SECRET, 1_800_000_000, body);
        assert_eq!(verify(SECRET, &header, body, at(1_800_000_100)), Ok(()));
    }

    #[test]
    fn another_body_secret_or_timestamp_fails() {
        let body = br#"{"payment_id":"P1","amount":36600}"#;
        let header = sign(SECRET, 1_800_000_000, body);
        let now = at(1_800_000_000);
        let other = br#"{"payment_id":"P1","amount":1}"#;
        assert_eq!(
            verify(SECRET, &header, other, now),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify(b"guess", &header, body, now),
            Err(SignatureError::Invalid)
        );
        // The timestamp is signed: moving it breaks the MAC.
        let moved = header.replace("t=1800000000", "t=1800000001");
        assert_eq!(
            verify(SECRET, &moved, body, now),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn an_old_or_future_callback_is_stale() {
        let body = b"{}";
        let header = sign(SECRET, 1_800_000_000, body);
        assert_eq!(
            verify(SECRET, &header, body, at(1_800_000_301)),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(SECRET, &header, body, at(1_799_999_699)),
            Err(SignatureError::Stale)
        );
        assert_eq!(verify(SECRET, &header, body, at(1_800_000_300)), Ok(()));
        for t in [i64::MIN, i64::MAX] {
            let absurd = format!("t={t},v1=00");
            assert_eq!(
                verify(SECRET, &absurd, body, at(1_800_000_000)),
                Err(SignatureError::Stale)
            );
        }
    }

    #[test]
    fn malformed_headers_are_named() {
        for header in ["", "v1=00", "t=1", "t=x,v1=00", "t=1,v1=zz"] {
            assert_eq!(
                verify(SECRET, header, b"", at(1)),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn invoice_numbers_sort_by_year_then_sequence() {
        assert_eq!(invoice_number(2026, 42), "2026-000042");
        assert!(invoice_number(2026, 999) < invoice_number(2026, 1000));
    }

    mod decide {
        use super::super::*;

        fn at(s: &str) -> Timestamp {
            s.parse().unwrap()
        }

        /// Placed on 2026-05-30, due by 2026-06-02: it awaits payment at the tests' `now`.
        fn order(status: OrderStatus) -> PayableOrder<'static> {
            PayableOrder {
                id: "ord_1",
                status,
                pay_by: at("2026-06-02T10:00:00Z"),
                total: 12_200,
                currency: "EUR",
                months: 12,
            }
        }

        const PAID: Paid<'static> = Paid {
            amount: 12_200,
            currency: "EUR",
        };

        fn current(state: SubscriptionState, bought: bool, expires: &str) -> Current {
            Current {
                state,
                purchased_at: bought.then(|| at("2026-01-10T00:00:00Z")),
                expires_at: at(expires),
                pending_renewal: None,
            }
        }

        fn decide(
            seen: Option<SeenBefore<'_>>,
            sub: Option<&Current>,
        ) -> Result<PaymentDecision, PaymentRefused> {
            decide_payment(
                &order(OrderStatus::AwaitingPayment),
                PAID,
                seen,
                sub,
                at("2026-06-01T10:00:00Z"),
                &TimeZone::UTC,
            )
        }

        #[test]
        fn the_same_payment_again_changes_nothing_and_a_reused_id_is_refused() {
            let again = SeenBefore {
                order: "ord_1",
                invoice: Some("2026-000001"),
            };
            assert_eq!(
                decide(Some(again), None),
                Ok(PaymentDecision::AlreadyRecorded {
                    invoice: "2026-000001".into()
                })
            );
            let other = SeenBefore {
                order: "ord_2",
                invoice: Some("2026-000002"),
            };
            assert_eq!(
                decide(Some(other), None),
                Err(PaymentRefused::PaymentIdReused)
            );
        }

        #[test]
        fn paid_orders_and_wrong_amounts_are_refused() {
            let now = at("2026-06-01T10:00:00Z");
            let utc = TimeZone::UTC;
            assert_eq!(
                decide_payment(&order(OrderStatus::Paid), PAID, None, None, now, &utc),
                Err(PaymentRefused::Closed(OrderClosed::Paid))
            );
            let wrong = Paid {
                amount: 12_200,
                currency: "USD",
            };
            let awaiting = order(OrderStatus::AwaitingPayment);
            let err = decide_payment(&awaiting, wrong, None, None, now, &utc).unwrap_err();
            assert!(matches!(err, PaymentRefused::AmountMismatch { .. }));
            assert_eq!(
                err.to_string(),
                "the order is 12200 EUR; the payment is 12200 USD"
            );
        }

        #[test]
        fn cancelled_and_expired_orders_are_refused_even_before_the_job() {
            let now = at("2026-06-01T10:00:00Z");
            let utc = TimeZone::UTC;
            let refused = |o: &PayableOrder<'_>, now| {
                decide_payment(o, PAID, None, None, now, &utc).unwrap_err()
            };
            assert_eq!(
                refused(&order(OrderStatus::Cancelled), now),
                PaymentRefused::Closed(OrderClosed::Cancelled)
            );
            let due = at("2026-06-02T10:00:00Z");
            assert_eq!(
                refused(&order(OrderStatus::Expired), now),
                PaymentRefused::Closed(OrderClosed::Expired(due))
            );
            // Still awaiting as stored, but its deadline has passed: a second late is late.
            let awaiting = order(OrderStatus::AwaitingPayment);
            assert_eq!(
                refused(&awaiting, due),
                PaymentRefused::Closed(OrderClosed::Expired(due))
            );
            let just_in_time = due - jiff::SignedDuration::from_secs(1);
            assert!(decide_payment(&awaiting, PAID, None, None, just_in_time, &utc).is_ok());
            // A wrong amount for a closed order: the order's state is the reason given.
            let wrong = Paid {
                amount: 1,
                currency: "EUR",
            };
            assert_eq!(
                decide_payment(&order(OrderStatus::Cancelled), wrong, None, None, now, &utc),
                Err(PaymentRefused::Closed(OrderClosed::Cancelled))
            );
            // The same payment delivered again after the deadline still finds its invoice.
            let again = SeenBefore {
                order: "ord_1",
                invoice: Some("2026-000001"),
            };
            let paid = order(OrderStatus::Paid);
            assert_eq!(
                decide_payment(&paid, PAID, Some(again), None, due, &utc),
                Ok(PaymentDecision::AlreadyRecorded {
                    invoice: "2026-000001".into()
                })
            );
        }

        #[test]
        fn a_first_purchase_starts_a_term_and_a_trial_does_not_count() {
            let now = at("2026-06-01T10:00:00Z");
            let year = at("2027-06-01T10:00:00Z");
            assert_eq!(
                decide(None, None),
                Ok(PaymentDecision::Apply(PaymentEffect::Start {
                    starts: now,
                    ends: year
                }))
            );
            let trial = current(SubscriptionState::Trialing, false, "2026-09-01T00:00:00Z");
            assert_eq!(
                decide(None, Some(&trial)),
                Ok(PaymentDecision::Apply(PaymentEffect::Renew {
                    state: SubscriptionState::Active,
                    starts: now,
                    ends: year
                }))
            );
        }

        #[test]
        fn an_early_renewal_waits_for_the_paid_term_and_only_once() {
            let mut sub = current(SubscriptionState::Active, true, "2026-08-01T00:00:00Z");
            assert_eq!(
                decide(None, Some(&sub)),
                Ok(PaymentDecision::Apply(PaymentEffect::Defer {
                    state: SubscriptionState::Active,
                    starts: at("2026-08-01T00:00:00Z"),
                    ends: at("2027-08-01T00:00:00Z")
                }))
            );
            sub.pending_renewal = Some(at("2026-08-01T00:00:00Z"));
            assert_eq!(
                decide(None, Some(&sub)),
                Err(PaymentRefused::RenewalPending)
            );
        }

        #[test]
        fn a_late_renewal_starts_now_and_vendor_states_stay() {
            let now = at("2026-06-01T10:00:00Z");
            for (state, kept) in [
                (SubscriptionState::Expired, SubscriptionState::Active),
                (SubscriptionState::Blocked, SubscriptionState::Blocked),
                (
                    SubscriptionState::Maintenance,
                    SubscriptionState::Maintenance,
                ),
            ] {
                let sub = current(state, true, "2026-05-01T00:00:00Z");
                assert_eq!(
                    decide(None, Some(&sub)),
                    Ok(PaymentDecision::Apply(PaymentEffect::Renew {
                        state: kept,
                        starts: now,
                        ends: at("2027-06-01T10:00:00Z")
                    })),
                    "{state:?}"
                );
            }
            let deleted = current(SubscriptionState::Deleted, true, "2026-05-01T00:00:00Z");
            assert_eq!(
                decide(None, Some(&deleted)),
                Err(PaymentRefused::Unusable(Unusable::Deleted))
            );
        }
    }
}
