//! Placing an order for the cloud service (E2–E3): whether the account may buy now, and
//! whether the order is a first purchase or a renewal; how long it waits for its payment
//! and whether it may still be cancelled. What paying it does is
//! [`crate::payment::decide_payment`].

use jiff::{SignedDuration, Timestamp};

use crate::cloud::Bundle;
use crate::subscription::{SubscriptionState, Unusable};

/// What an order is, by the account's history with the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// The first purchase (a trial before it does not count).
    Purchase,
    /// The account has bought before: a new term.
    Renewal,
}

impl OrderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Purchase => "purchase",
            OrderKind::Renewal => "renewal",
        }
    }
}

/// Where an order stands. Only an order awaiting payment can be paid or cancelled; the
/// other three are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    AwaitingPayment,
    Paid,
    /// The account cancelled it before paying.
    Cancelled,
    /// Its payment deadline passed unpaid.
    Expired,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 4] = [
        OrderStatus::AwaitingPayment,
        OrderStatus::Paid,
        OrderStatus::Cancelled,
        OrderStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Expired => "expired",
        }
    }

    /// The status stored as `s`; None for a word that is not one.
    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The status at `now` of an order stored as `self` that must be paid before `pay_by`.
    /// One still awaiting payment at its deadline has expired, whether or not the job has
    /// written that down yet: a payment a second late never races the job.
    pub fn at(self, pay_by: Timestamp, now: Timestamp) -> OrderStatus {
        match self {
            OrderStatus::AwaitingPayment if pay_by <= now => OrderStatus::Expired,
            status => status,
        }
    }

    /// Ok while the order awaits payment at `now` (see [`OrderStatus::at`]); otherwise
    /// why it does not.
    pub fn awaiting(self, pay_by: Timestamp, now: Timestamp) -> Result<(), OrderClosed> {
        match self.at(pay_by, now) {
            OrderStatus::AwaitingPayment => Ok(()),
            OrderStatus::Paid => Err(OrderClosed::Paid),
            OrderStatus::Cancelled => Err(OrderClosed::Cancelled),
            OrderStatus::Expired => Err(OrderClosed::Expired(pay_by)),
        }
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an order no longer awaits its payment: what cancelling it, or paying it, is refused
/// with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrderClosed {
    #[error("the order is already paid")]
    Paid,
    #[error("the order was cancelled")]
    Cancelled,
    #[error("the order was not paid before {0} and has expired; place a new one")]
    Expired(Timestamp),
}

/// The deadline of an order placed at `placed` that waits `hours` for its payment: from
/// that instant on it has expired.
pub fn pay_by(placed: Timestamp, hours: u32) -> Timestamp {
    placed + SignedDuration::from_hours(i64::from(hours))
}

/// Whether the account may cancel an order stored as `status`, due by `pay_by`, at `now`:
/// only while it awaits payment. A paid order is the vendor's to refund; a cancelled or
/// expired one stays as it is.
pub fn decide_cancel(
    status: OrderStatus,
    pay_by: Timestamp,
    now: Timestamp,
) -> Result<(), OrderClosed> {
    status.awaiting(pay_by, now)
}

/// The account's subscription to the service, as an order sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing<'a> {
    pub state: SubscriptionState,
    pub purchased_at: Option<Timestamp>,
    /// When a renewal paid early starts, if one waits.
    pub pending_renewal: Option<Timestamp>,
    /// Fixed by the first site enabled.
    pub bundle: Option<&'a Bundle>,
}

/// Why an order cannot be placed; nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderRefused {
    /// Blocked or deleted (an expired or suspended-for-maintenance one may be renewed).
    #[error(transparent)]
    Unusable(Unusable),
    #[error("a renewal is paid already; it starts on {0}")]
    RenewalPending(Timestamp),
    #[error(
        "plan {plan} does not cover {} / {}, the edition and size of this subscription",
        bundle.edition, bundle.size
    )]
    PlanMismatch { plan: String, bundle: Bundle },
    #[error("site {0} is not enabled in this subscription")]
    KeepUnknownSite(String),
    #[error("{kept} sites kept but {bought} bought")]
    KeepExceedsQuantity { kept: usize, bought: u32 },
}

/// Decides an order of `quantity` sites of plan `plan` (which covers the bundles `covers`
/// says), keeping the sites `keep` at a renewal, for an account whose subscription is
/// `standing` (None: never subscribed) with the sites `enabled`.
pub fn decide_order(
    standing: Option<&Standing<'_>>,
    plan: &str,
    covers: impl Fn(&Bundle) -> bool,
    keep: Option<&[String]>,
    enabled: &[String],
    quantity: u32,
) -> Result<OrderKind, OrderRefused> {
    if let Some(sub) = standing {
        match sub.state.usable() {
            Err(why @ (Unusable::Blocked | Unusable::Deleted)) => {
                return Err(OrderRefused::Unusable(why));
            }
            Ok(()) | Err(Unusable::Expired | Unusable::Maintenance) => {}
        }
        if let Some(starts) = sub.pending_renewal {
            return Err(OrderRefused::RenewalPending(starts));
        }
        if let Some(bundle) = sub.bundle
            && !covers(bundle)
        {
            return Err(OrderRefused::PlanMismatch {
                plan: plan.to_owned(),
                bundle: bundle.clone(),
            });
        }
    }
    if let Some(keep) = keep {
        if let Some(unknown) = keep.iter().find(|k| !enabled.contains(k)) {
            return Err(OrderRefused::KeepUnknownSite(unknown.clone()));
        }
        if keep.len() > quantity as usize {
            return Err(OrderRefused::KeepExceedsQuantity {
                kept: keep.len(),
                bought: quantity,
            });
        }
    }
    Ok(match standing.and_then(|s| s.purchased_at) {
        Some(_) => OrderKind::Renewal,
        None => OrderKind::Purchase,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn small() -> Bundle {
        Bundle {
            edition: "std".into(),
            size: "small".into(),
        }
    }

    fn standing(state: SubscriptionState, bundle: Option<&Bundle>) -> Standing<'_> {
        Standing {
            state,
            purchased_at: None,
            pending_renewal: None,
            bundle,
        }
    }

    #[test]
    fn statuses_read_back_and_nothing_else_parses() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(OrderStatus::parse("refunded"), None);
        assert_eq!(OrderStatus::parse("Paid"), None);
    }

    #[test]
    fn an_unpaid_order_expires_at_its_deadline_even_before_the_job() {
        let placed = at("2026-03-01T10:00:00Z");
        let due = pay_by(placed, 72);
        assert_eq!(due, at("2026-03-04T10:00:00Z"));
        let awaiting = OrderStatus::AwaitingPayment;
        let second_before = due - SignedDuration::from_secs(1);
        assert_eq!(awaiting.at(due, second_before), awaiting);
        assert_eq!(awaiting.at(due, due), OrderStatus::Expired);
        assert_eq!(
            awaiting.at(due, due + SignedDuration::from_secs(1)),
            OrderStatus::Expired
        );
        // Final states stay what they are, deadline or not.
        for status in [
            OrderStatus::Paid,
            OrderStatus::Cancelled,
            OrderStatus::Expired,
        ] {
            assert_eq!(status.at(due, second_before), status);
            assert_eq!(status.at(due, due + SignedDuration::from_hours(1)), status);
        }
    }

    #[test]
    fn only_an_order_awaiting_payment_may_be_cancelled() {
        let due = at("2026-03-04T10:00:00Z");
        let before = at("2026-03-02T00:00:00Z");
        assert_eq!(
            decide_cancel(OrderStatus::AwaitingPayment, due, before),
            Ok(())
        );
        assert_eq!(
            decide_cancel(OrderStatus::Paid, due, before),
            Err(OrderClosed::Paid)
        );
        assert_eq!(
            decide_cancel(OrderStatus::Cancelled, due, before),
            Err(OrderClosed::Cancelled)
        );
        assert_eq!(
            decide_cancel(OrderStatus::Expired, due, before),
            Err(OrderClosed::Expired(due))
        );
        // Past the deadline it has expired, written down or not.
        let err = decide_cancel(OrderStatus::AwaitingPayment, due, due).unwrap_err();
        assert_eq!(err, OrderClosed::Expired(due));
        assert!(err.to_string().contains("2026-03-04T10:00:00Z"), "{err}");
    }

    #[test]
    fn a_first_order_is_a_purchase_and_later_ones_renewals() {
        let everything = |_: &Bundle| true;
        assert_eq!(
            decide_order(None, "p", everything, None, &[], 3),
            Ok(OrderKind::Purchase)
        );
        let trial = standing(SubscriptionState::Trialing, None);
        assert_eq!(
            decide_order(Some(&trial), "p", everything, None, &[], 3),
            Ok(OrderKind::Purchase)
        );
        let bought = Standing {
            purchased_at: Some(at("2026-01-01T00:00:00Z")),
            ..standing(SubscriptionState::Expired, None)
        };
        assert_eq!(
            decide_order(Some(&bought), "p", everything, None, &[], 3),
            Ok(OrderKind::Renewal)
        );
    }

    #[test]
    fn blocked_deleted_pending_and_uncovered_subscriptions_refuse() {
        let everything = |_: &Bundle| true;
        for (state, why) in [
            (SubscriptionState::Blocked, Unusable::Blocked),
            (SubscriptionState::Deleted, Unusable::Deleted),
        ] {
            assert_eq!(
                decide_order(Some(&standing(state, None)), "p", everything, None, &[], 1),
                Err(OrderRefused::Unusable(why))
            );
        }
        let maintenance = standing(SubscriptionState::Maintenance, None);
        assert!(decide_order(Some(&maintenance), "p", everything, None, &[], 1).is_ok());
        let starts = at("2027-01-01T00:00:00Z");
        let pending = Standing {
            pending_renewal: Some(starts),
            ..standing(SubscriptionState::Active, None)
        };
        assert_eq!(
            decide_order(Some(&pending), "p", everything, None, &[], 1),
            Err(OrderRefused::RenewalPending(starts))
        );
        let bundle = small();
        let fixed = standing(SubscriptionState::Active, Some(&bundle));
        let err = decide_order(Some(&fixed), "large", |_| false, None, &[], 1).unwrap_err();
        assert_eq!(
            err,
            OrderRefused::PlanMismatch {
                plan: "large".into(),
                bundle: small()
            }
        );
        assert!(err.to_string().contains("std / small"), "{err}");
    }

    #[test]
    fn kept_sites_must_be_enabled_and_fit_the_quantity() {
        let enabled = ["a".to_owned(), "b".to_owned()];
        let everything = |_: &Bundle| true;
        let keep = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            decide_order(None, "p", everything, Some(&keep(&["c"])), &enabled, 5),
            Err(OrderRefused::KeepUnknownSite("c".into()))
        );
        assert_eq!(
            decide_order(None, "p", everything, Some(&keep(&["a", "b"])), &enabled, 1),
            Err(OrderRefused::KeepExceedsQuantity { kept: 2, bought: 1 })
        );
        assert!(decide_order(None, "p", everything, Some(&keep(&["b"])), &enabled, 1).is_ok());
    }
}
