//! When the next validation is due (D1): shortly after start-up, then daily at a local time
//! (12:00 by default) plus a random jitter, so a fleet does not arrive in the same second;
//! after a failure, again after an exponential backoff (never later than the next daily slot).
//!
//! Everything takes `now` and the random draw as arguments: tests never sleep, and the host
//! decides how to wait (a thread, its own event loop, a timer).

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone)]
pub struct ScheduleConfig {
    /// The daily check's local time (12:00).
    pub daily_at: Time,
    /// The zone `daily_at` is in (the system's).
    pub time_zone: TimeZone,
    /// The daily check happens at a random instant within this window after `daily_at`
    /// (30 minutes).
    pub jitter: SignedDuration,
    /// The start-up check happens at a random instant within this window after start-up
    /// (1 minute).
    pub startup_jitter: SignedDuration,
    /// The first retry after a failure (1 minute); each further one waits twice as long...
    pub retry_first: SignedDuration,
    /// ...up to this (1 hour).
    pub retry_max: SignedDuration,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            daily_at: Time::constant(12, 0, 0, 0),
            time_zone: TimeZone::try_system().unwrap_or(TimeZone::UTC),
            jitter: SignedDuration::from_mins(30),
            startup_jitter: SignedDuration::from_mins(1),
            retry_first: SignedDuration::from_mins(1),
            retry_max: SignedDuration::from_hours(1),
        }
    }
}

/// `window` × `fraction`, with `fraction` in [0, 1).
fn part(window: SignedDuration, fraction: f64) -> SignedDuration {
    window.mul_f64(fraction.clamp(0.0, 1.0))
}

/// The first daily slot (`daily_at` in the configured zone) strictly after `after`, plus the
/// jitter `fraction` of the window.
pub fn next_daily(cfg: &ScheduleConfig, after: Timestamp, fraction: f64) -> Timestamp {
    let local = after.to_zoned(cfg.time_zone.clone());
    let mut date = local.date();
    loop {
        // A daily time inside a DST gap resolves to the instant after the gap.
        if let Ok(slot) = date
            .to_datetime(cfg.daily_at)
            .to_zoned(cfg.time_zone.clone())
        {
            let slot = slot.timestamp();
            if slot > after {
                return slot
                    .saturating_add(part(cfg.jitter, fraction))
                    .unwrap_or(slot);
            }
        }
        date = match date.tomorrow() {
            Ok(d) => d,
            Err(_) => return after,
        };
    }
}

/// How long to wait after the `failures`-th failure in a row (1-based): `retry_first`
/// doubled each time, at most `retry_max`, plus up to a quarter more as jitter.
pub fn retry_delay(cfg: &ScheduleConfig, failures: u32, fraction: f64) -> SignedDuration {
    let doublings = failures.saturating_sub(1).min(30);
    let base = cfg
        .retry_first
        .checked_mul(1i32 << doublings)
        .unwrap_or(cfg.retry_max)
        .min(cfg.retry_max);
    base + part(base / 4, fraction)
}

/// The scheduler's state: when the next check is due and how many failed in a row.
#[derive(Debug, Clone)]
pub struct Schedule {
    cfg: ScheduleConfig,
    next_due: Timestamp,
    failures: u32,
}

impl Schedule {
    /// At start-up: the first check is due within `startup_jitter`.
    pub fn starting(cfg: ScheduleConfig, now: Timestamp, fraction: f64) -> Self {
        let next_due = now
            .saturating_add(part(cfg.startup_jitter, fraction))
            .unwrap_or(now);
        Schedule {
            cfg,
            next_due,
            failures: 0,
        }
    }

    pub fn next_due(&self) -> Timestamp {
        self.next_due
    }

    pub fn is_due(&self, now: Timestamp) -> bool {
        now >= self.next_due
    }

    /// Failed validations since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A validation succeeded at `now`: next at tomorrow's (or today's later) daily slot.
    pub fn succeeded(&mut self, now: Timestamp, fraction: f64) {
        self.failures = 0;
        self.next_due = next_daily(&self.cfg, now, fraction);
    }

    /// A validation failed at `now`: retry after the backoff, or at the daily slot if sooner.
    pub fn failed(&mut self, now: Timestamp, fraction: f64) {
        self.failures = self.failures.saturating_add(1);
        let retry = now
            .saturating_add(retry_delay(&self.cfg, self.failures, fraction))
            .unwrap_or(now);
        self.next_due = retry.min(next_daily(&self.cfg, now, fraction));
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::offset;
    use proptest::prelude::*;

    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// Noon at UTC+1 is 11:00Z.
    fn cfg() -> ScheduleConfig {
        ScheduleConfig {
            time_zone: TimeZone::fixed(offset(1)),
            ..ScheduleConfig::default()
        }
    }

    #[test]
    fn the_daily_check_is_at_local_noon_plus_jitter() {
        let c = cfg();
        assert_eq!(
            next_daily(&c, t("2026-11-23T08:00:00Z"), 0.0),
            t("2026-11-23T11:00:00Z")
        );
        // Just after today's slot: tomorrow's.
        assert_eq!(
            next_daily(&c, t("2026-11-23T11:00:00Z"), 0.0),
            t("2026-11-24T11:00:00Z")
        );
        assert_eq!(
            next_daily(&c, t("2026-11-23T08:00:00Z"), 0.5),
            t("2026-11-23T11:15:00Z")
        );
    }

    #[test]
    fn start_up_then_daily_and_backoff_on_failure() {
        let c = cfg();
        let start = t("2026-11-23T08:00:00Z");
        let mut s = Schedule::starting(c, start, 0.5);
        assert_eq!(s.next_due(), t("2026-11-23T08:00:30Z"));
        assert!(!s.is_due(start));
        assert!(s.is_due(s.next_due()));

        let now = s.next_due();
        s.failed(now, 0.0);
        assert_eq!(s.next_due(), now + SignedDuration::from_mins(1));
        s.failed(s.next_due(), 0.0);
        assert_eq!(s.failures(), 2);
        assert_eq!(s.next_due(), now + SignedDuration::from_mins(3));

        s.succeeded(s.next_due(), 0.0);
        assert_eq!(s.failures(), 0);
        assert_eq!(s.next_due(), t("2026-11-23T11:00:00Z"));
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum_and_never_skips_the_daily_slot() {
        let c = cfg();
        let mins = |n| SignedDuration::from_mins(n);
        assert_eq!(retry_delay(&c, 1, 0.0), mins(1));
        assert_eq!(retry_delay(&c, 2, 0.0), mins(2));
        assert_eq!(retry_delay(&c, 6, 0.0), mins(32));
        assert_eq!(retry_delay(&c, 7, 0.0), mins(60));
        assert_eq!(retry_delay(&c, 1_000, 0.0), mins(60));
        assert_eq!(
            retry_delay(&c, 1, 0.999),
            mins(1) + mins(1).mul_f64(0.25 * 0.999)
        );

        let mut s = Schedule::starting(c, t("2026-11-23T10:59:00Z"), 0.0);
        for _ in 0..10 {
            s.failed(t("2026-11-23T10:59:00Z"), 0.0);
        }
        assert_eq!(s.next_due(), t("2026-11-23T11:00:00Z"));
    }

    proptest! {
        #[test]
        fn the_next_check_is_after_now_and_within_a_day_and_the_window(
            secs in 0i64..400_000_000, frac in 0.0f64..1.0, hour in 0i8..24
        ) {
            let c = ScheduleConfig { daily_at: Time::constant(hour, 0, 0, 0), ..cfg() };
            let after = t("2020-01-01T00:00:00Z") + SignedDuration::from_secs(secs);
            let next = next_daily(&c, after, frac);
            prop_assert!(next > after);
            prop_assert!(next <= after + SignedDuration::from_hours(24) + c.jitter);
        }
    }
}
