//! Clock checks (D4) as plain functions. Every signed validation response carries the
//! server's time; the client refuses one too far from its own clock, and refuses to ask at
//! all when its clock is behind a time it has already seen. Neither case moves the grace
//! deadline: the caller keeps the state it had.

use jiff::{SignedDuration, Timestamp};

use crate::errors::{ClientError, Result};

/// How far the local clock may be from the server's (D4): five minutes.
pub const DEFAULT_TOLERANCE: SignedDuration = SignedDuration::from_mins(5);

/// Refuses a local clock that is more than `tolerance` behind `highest_seen`, the highest
/// time (local or server) the client has recorded.
pub fn not_set_back(
    now: Timestamp,
    highest_seen: Timestamp,
    tolerance: SignedDuration,
) -> Result<()> {
    if highest_seen.duration_since(now) > tolerance {
        return Err(ClientError::ClockMovedBack {
            now,
            seen: highest_seen,
        });
    }
    Ok(())
}

/// Refuses a signed `server` time more than `tolerance` away from the `local` clock, either
/// way.
pub fn agrees_with_server(
    local: Timestamp,
    server: Timestamp,
    tolerance: SignedDuration,
) -> Result<()> {
    if server.duration_since(local).abs() > tolerance {
        return Err(ClientError::ClockMismatch {
            local,
            server,
            tolerance,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn six_minutes_off_either_way_is_a_mismatch_and_five_is_not() {
        let server = t("2026-11-23T12:00:00Z");
        let tol = DEFAULT_TOLERANCE;
        for off in [-6, 6] {
            let local = server + SignedDuration::from_mins(off);
            let err = agrees_with_server(local, server, tol).unwrap_err();
            assert_eq!(err.code(), "CLOCK_MISMATCH");
            assert!(
                err.to_string()
                    .contains("clock mismatch — set an NTP server")
            );
        }
        for off in [-5, 0, 5] {
            assert!(
                agrees_with_server(server + SignedDuration::from_mins(off), server, tol).is_ok()
            );
        }
    }

    #[test]
    fn a_clock_behind_what_was_seen_is_refused() {
        let seen = t("2026-11-23T12:00:00Z");
        let tol = DEFAULT_TOLERANCE;
        assert!(not_set_back(seen + SignedDuration::from_hours(24), seen, tol).is_ok());
        assert!(not_set_back(seen - SignedDuration::from_mins(4), seen, tol).is_ok());
        let err = not_set_back(seen - SignedDuration::from_hours(1), seen, tol).unwrap_err();
        assert_eq!(err.code(), "CLOCK_MOVED_BACK");
    }

    proptest! {
        #[test]
        fn the_mismatch_check_is_symmetric(a in -10_000i64..10_000, tol in 0i64..1_000) {
            let base = t("2026-11-23T12:00:00Z");
            let other = base + SignedDuration::from_secs(a);
            let tol = SignedDuration::from_secs(tol);
            prop_assert_eq!(
                agrees_with_server(base, other, tol).is_ok(),
                agrees_with_server(other, base, tol).is_ok()
            );
            prop_assert_eq!(agrees_with_server(base, other, tol).is_ok(), a.abs() <= tol.as_secs());
        }
    }
}
