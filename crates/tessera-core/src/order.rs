//! Placing an order for the cloud service (E2–E3): whether the account may buy now, and
//! whether the order is a first purchase or a renewal. What paying it does is
//! [`crate::payment::decide_payment`].

use jiff::Timestamp;

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
