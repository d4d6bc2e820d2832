//! Grace, warning and lock (D2) as plain functions over instants.
//!
//! The deadline always comes from a signed document: the license's `check_deadline` or the
//! last valid validation's `next_check_deadline` (both = the server's time + `grace_days`).
//! Nothing local can move it later. "Now" is the later of the local clock and the highest
//! time the client has seen, so setting the clock back does not buy days either.

use jiff::{SignedDuration, Timestamp};
use tessera_core::LicenseState;

const DAY: SignedDuration = SignedDuration::from_hours(24);

/// Why the host may not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// More than `grace_days` without a successful validation.
    GraceOver,
    /// The license's `expires_at` has passed.
    Expired,
    /// The server's signed answer was not `valid` (revoked, suspended, …).
    Refused(LicenseState),
}

/// How an installation stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No license stored.
    NotActivated,
    /// May run; `days_left` whole days until the lock.
    Valid {
        days_left: u32,
    },
    /// May run, but the lock is near: tell the user to get the validation through.
    Warning {
        days_left: u32,
    },
    Locked(LockReason),
}

impl Standing {
    /// The host's question: may I run?
    pub fn may_run(self) -> bool {
        matches!(self, Standing::Valid { .. } | Standing::Warning { .. })
    }

    pub fn days_left(self) -> Option<u32> {
        match self {
            Standing::Valid { days_left } | Standing::Warning { days_left } => Some(days_left),
            _ => None,
        }
    }

    /// A stable name for logs and the C ABI.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::NotActivated => "not_activated",
            Standing::Valid { .. } => "valid",
            Standing::Warning { .. } => "warning",
            Standing::Locked(LockReason::GraceOver) => "locked",
            Standing::Locked(LockReason::Expired) => "expired",
            Standing::Locked(LockReason::Refused(_)) => "refused",
        }
    }
}

/// Whole days from `now` to `deadline`, rounded down; None once `now` is past it. At the
/// deadline itself (exactly `grace_days` offline) the answer is `Some(0)`: still running.
pub fn days_left(deadline: Timestamp, now: Timestamp) -> Option<u32> {
    let left = deadline.duration_since(now);
    if left.is_negative() {
        return None;
    }
    Some(u32::try_from(left.as_secs() / DAY.as_secs()).unwrap_or(u32::MAX))
}

/// The time the rules use: the local clock, unless it is behind a time already seen.
pub fn effective_now(local: Timestamp, highest_seen: Timestamp) -> Timestamp {
    local.max(highest_seen)
}

/// What the stored documents allow at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entitled {
    /// Lock after this instant without a successful validation.
    pub deadline: Timestamp,
    /// The license's expiry, if it has one.
    pub expires_at: Option<Timestamp>,
    /// The state of the last signed validation, if it was not `valid`.
    pub refused: Option<LicenseState>,
}

/// The standing at `now`, warning `warn_days` days before the lock.
pub fn standing(e: &Entitled, now: Timestamp, warn_days: u32) -> Standing {
    if let Some(state) = e.refused {
        return Standing::Locked(LockReason::Refused(state));
    }
    if e.expires_at.is_some_and(|x| x <= now) {
        return Standing::Locked(LockReason::Expired);
    }
    let Some(days) = days_left(e.deadline, now) else {
        return Standing::Locked(LockReason::GraceOver);
    };
    let warn = DAY
        .checked_mul(i32::try_from(warn_days).unwrap_or(i32::MAX))
        .unwrap_or(SignedDuration::MAX);
    if e.deadline.duration_since(now) <= warn {
        Standing::Warning { days_left: days }
    } else {
        Standing::Valid { days_left: days }
    }
}

/// The later of two deadlines: a validation never shortens what the license already grants,
/// and an older document never shortens a newer one.
pub fn later(a: Timestamp, b: Option<Timestamp>) -> Timestamp {
    b.map_or(a, |b| a.max(b))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn grace(deadline: Timestamp) -> Entitled {
        Entitled {
            deadline,
            expires_at: None,
            refused: None,
        }
    }

    #[test]
    fn ten_days_offline_is_the_last_day_and_more_locks() {
        let last = t("2026-11-23T12:00:00Z");
        let e = grace(last + DAY * 10);
        assert_eq!(standing(&e, last, 3), Standing::Valid { days_left: 10 });
        assert_eq!(
            standing(&e, last + DAY * 7, 3),
            Standing::Warning { days_left: 3 }
        );
        assert_eq!(
            standing(&e, last + DAY * 7 - SignedDuration::from_secs(1), 3),
            Standing::Valid { days_left: 3 }
        );
        assert_eq!(
            standing(&e, last + DAY * 10, 3),
            Standing::Warning { days_left: 0 }
        );
        assert_eq!(
            standing(&e, last + DAY * 10 + SignedDuration::from_secs(1), 3),
            Standing::Locked(LockReason::GraceOver)
        );
    }

    #[test]
    fn a_refusal_or_expiry_locks_whatever_the_grace() {
        let now = t("2026-11-23T12:00:00Z");
        let mut e = grace(now + DAY * 10);
        e.expires_at = Some(now);
        assert_eq!(standing(&e, now, 3), Standing::Locked(LockReason::Expired));
        e.expires_at = Some(now + DAY);
        assert_eq!(standing(&e, now, 3), Standing::Valid { days_left: 10 });
        e.refused = Some(LicenseState::Revoked);
        assert_eq!(
            standing(&e, now, 3),
            Standing::Locked(LockReason::Refused(LicenseState::Revoked))
        );
        assert!(!standing(&e, now, 3).may_run());
    }

    #[test]
    fn a_clock_set_back_does_not_count() {
        let seen = t("2026-12-10T00:00:00Z");
        let back = t("2026-11-01T00:00:00Z");
        assert_eq!(effective_now(back, seen), seen);
        assert_eq!(effective_now(seen + DAY, seen), seen + DAY);
    }

    proptest! {
        #[test]
        fn past_the_deadline_is_always_locked(secs in 1i64..10_000_000, warn in 0u32..30) {
            let deadline = t("2026-11-23T12:00:00Z");
            let now = deadline + SignedDuration::from_secs(secs);
            prop_assert_eq!(standing(&grace(deadline), now, warn), Standing::Locked(LockReason::GraceOver));
        }

        #[test]
        fn days_left_never_grows_as_time_passes(a in 0i64..2_000_000, b in 0i64..2_000_000) {
            let start = t("2026-11-23T12:00:00Z");
            let deadline = start + DAY * 10;
            let (early, late) = (a.min(b), a.max(b));
            let d1 = days_left(deadline, start + SignedDuration::from_secs(early));
            let d2 = days_left(deadline, start + SignedDuration::from_secs(late));
            prop_assert!(d2.unwrap_or(0) <= d1.unwrap_or(0));
            prop_assert!(d1.is_some() || d2.is_none());
        }

        #[test]
        fn setting_the_clock_back_never_improves_the_standing(seen in 0i64..2_000_000, back in 0i64..2_000_000) {
            let start = t("2026-11-23T12:00:00Z");
            let e = grace(start + DAY * 10);
            let highest = start + SignedDuration::from_secs(seen);
            let honest = standing(&e, highest, 3);
            let cheated = standing(&e, effective_now(highest - SignedDuration::from_secs(back), highest), 3);
            prop_assert_eq!(honest, cheated);
        }
    }
}
