//! When scheduled jobs run (purge, billing, expiry, reminders, mail): each cadence cuts time
//! into periods with a stable key, and a job runs once per period. The key is what several
//! instances agree on in the database, so it depends only on the time and the zone.

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// How often a job runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    /// Once in every slice of this length since the Unix epoch (mail delivery: seconds).
    Every(SignedDuration),
    /// Once a day, at or after this local time.
    Daily(Time),
    /// Once a month, on this day of the month (1–28) at or after this local time.
    Monthly { day: i8, at: Time },
}

/// One period of a cadence: the job runs once in it, at or after `starts`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    /// Stable name of the period: `t29571840` (a slice number), `2026-11-23`, `2026-11`.
    pub key: String,
    pub starts: Timestamp,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CadenceError {
    #[error("a repeating job needs a period of at least one second")]
    TooShort,
    #[error("a monthly job runs on day 1 to 28 (every month has those), not {0}")]
    DayOutOfRange(i8),
}

impl Cadence {
    /// Checks the cadence can be scheduled.
    pub fn check(&self) -> Result<(), CadenceError> {
        match self {
            Cadence::Every(d) if *d < SignedDuration::from_secs(1) => Err(CadenceError::TooShort),
            Cadence::Monthly { day, .. } if !(1..=28).contains(day) => {
                Err(CadenceError::DayOutOfRange(*day))
            }
            _ => Ok(()),
        }
    }

    /// The latest period that has started at `now` in `zone`: the one a job should have run
    /// in. A daily job at 03:00 asked at 02:00 answers yesterday's period.
    pub fn current(&self, now: Timestamp, zone: &TimeZone) -> Period {
        match self {
            Cadence::Every(every) => {
                let every = every.as_secs().max(1);
                let slice = now.as_second().div_euclid(every);
                Period {
                    key: format!("t{slice}"),
                    starts: Timestamp::from_second(slice * every).unwrap_or(now),
                }
            }
            Cadence::Daily(at) => {
                let today = now.to_zoned(zone.clone()).date();
                let date = if local_start(today, *at, zone) <= now {
                    today
                } else {
                    today.yesterday().unwrap_or(today)
                };
                Period {
                    key: date.to_string(),
                    starts: local_start(date, *at, zone),
                }
            }
            Cadence::Monthly { day, at } => {
                let today = now.to_zoned(zone.clone()).date();
                let this_month = today.first_of_month().with().day(*day).build();
                let this_month = this_month.unwrap_or(today);
                let date = if local_start(this_month, *at, zone) <= now {
                    this_month
                } else {
                    this_month.checked_sub(1.month()).unwrap_or(this_month)
                };
                Period {
                    key: format!("{:04}-{:02}", date.year(), date.month()),
                    starts: local_start(date, *at, zone),
                }
            }
        }
    }
}

impl Cadence {
    /// When the period after the current one starts: the job's next run at the earliest.
    pub fn next_start(&self, now: Timestamp, zone: &TimeZone) -> Timestamp {
        let current = self.current(now, zone);
        match self {
            Cadence::Every(every) => current.starts + *every,
            Cadence::Daily(at) => {
                let date = current.starts.to_zoned(zone.clone()).date();
                local_start(date.tomorrow().unwrap_or(date), *at, zone)
            }
            Cadence::Monthly { at, .. } => {
                let date = current.starts.to_zoned(zone.clone()).date();
                local_start(date.checked_add(1.month()).unwrap_or(date), *at, zone)
            }
        }
    }
}

/// The instant `date` at `at` in `zone` (a time skipped by a DST change moves forward).
fn local_start(date: Date, at: Time, zone: &TimeZone) -> Timestamp {
    date.to_datetime(at)
        .to_zoned(zone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN)
}

/// How long to wait before attempt `attempt + 1` after `attempt` failures (1, 2, …): doubling
/// from `first`, never more than `cap`.
pub fn backoff(attempt: u32, first: SignedDuration, cap: SignedDuration) -> SignedDuration {
    let doublings = attempt.saturating_sub(1).min(30);
    first
        .checked_mul(1 << doublings)
        .map_or(cap, |d| d.min(cap))
}

#[cfg(test)]
mod tests {
    use jiff::civil::time;
    use proptest::prelude::*;

    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn slices_are_numbered_from_the_epoch() {
        let every = Cadence::Every(SignedDuration::from_secs(10));
        let p = every.current(ts("1970-01-01T00:00:25Z"), &TimeZone::UTC);
        assert_eq!(p.key, "t2");
        assert_eq!(p.starts, ts("1970-01-01T00:00:20Z"));
    }

    #[test]
    fn a_daily_job_before_its_hour_is_still_in_yesterday() {
        let daily = Cadence::Daily(time(3, 0, 0, 0));
        let before = daily.current(ts("2026-11-23T02:59:59Z"), &TimeZone::UTC);
        assert_eq!(before.key, "2026-11-22");
        assert_eq!(before.starts, ts("2026-11-22T03:00:00Z"));
        let after = daily.current(ts("2026-11-23T03:00:00Z"), &TimeZone::UTC);
        assert_eq!(after.key, "2026-11-23");
    }

    #[test]
    fn a_daily_job_follows_the_zone() {
        let rome = TimeZone::fixed(jiff::tz::offset(1));
        let daily = Cadence::Daily(time(0, 30, 0, 0));
        // 23:40 UTC on the 22nd is 00:40 on the 23rd in UTC+1.
        let p = daily.current(ts("2026-11-22T23:40:00Z"), &rome);
        assert_eq!(p.key, "2026-11-23");
        assert_eq!(p.starts, ts("2026-11-22T23:30:00Z"));
    }

    #[test]
    fn a_monthly_job_belongs_to_the_month_it_started_in() {
        let monthly = Cadence::Monthly {
            day: 1,
            at: time(2, 0, 0, 0),
        };
        assert_eq!(
            monthly
                .current(ts("2026-12-01T01:00:00Z"), &TimeZone::UTC)
                .key,
            "2026-11"
        );
        assert_eq!(
            monthly
                .current(ts("2026-12-01T02:00:00Z"), &TimeZone::UTC)
                .key,
            "2026-12"
        );
        assert_eq!(
            monthly
                .current(ts("2026-01-01T00:00:00Z"), &TimeZone::UTC)
                .key,
            "2025-12"
        );
    }

    #[test]
    fn the_next_run_starts_the_next_period() {
        let at = ts("2026-11-23T02:59:59Z");
        let every = Cadence::Every(SignedDuration::from_secs(10));
        assert_eq!(
            every.next_start(at, &TimeZone::UTC),
            ts("2026-11-23T03:00:00Z")
        );
        let daily = Cadence::Daily(time(3, 0, 0, 0));
        assert_eq!(
            daily.next_start(at, &TimeZone::UTC),
            ts("2026-11-23T03:00:00Z")
        );
        let later = ts("2026-11-23T03:00:00Z");
        assert_eq!(
            daily.next_start(later, &TimeZone::UTC),
            ts("2026-11-24T03:00:00Z")
        );
        let monthly = Cadence::Monthly {
            day: 1,
            at: time(2, 0, 0, 0),
        };
        assert_eq!(
            monthly.next_start(at, &TimeZone::UTC),
            ts("2026-12-01T02:00:00Z")
        );
        let new_year = ts("2026-12-31T23:00:00Z");
        assert_eq!(
            monthly.next_start(new_year, &TimeZone::UTC),
            ts("2027-01-01T02:00:00Z")
        );
    }

    #[test]
    fn cadences_are_checked() {
        assert_eq!(
            Cadence::Every(SignedDuration::from_millis(500)).check(),
            Err(CadenceError::TooShort)
        );
        let monthly = |day| Cadence::Monthly {
            day,
            at: Time::midnight(),
        };
        assert_eq!(monthly(29).check(), Err(CadenceError::DayOutOfRange(29)));
        assert_eq!(monthly(0).check(), Err(CadenceError::DayOutOfRange(0)));
        assert_eq!(monthly(28).check(), Ok(()));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let first = SignedDuration::from_secs(30);
        let cap = SignedDuration::from_secs(3600);
        let waits: Vec<i64> = (1..=9).map(|n| backoff(n, first, cap).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(u32::MAX, first, cap), cap);
    }

    proptest! {
        /// The current period has started, and the next one has not: a job runs in each
        /// period exactly once, whichever instant inside it the runner looks.
        #[test]
        fn the_current_period_contains_now(
            secs in 0i64..4_000_000_000,
            hour in 0i8..24,
            day in 1i8..=28,
            every in 1i64..100_000,
        ) {
            let now = Timestamp::from_second(secs).unwrap();
            let at = time(hour, 0, 0, 0);
            for cadence in [
                Cadence::Every(SignedDuration::from_secs(every)),
                Cadence::Daily(at),
                Cadence::Monthly { day, at },
            ] {
                let p = cadence.current(now, &TimeZone::UTC);
                prop_assert!(p.starts <= now, "{cadence:?} {p:?}");
                // One second later is the same period or the period that starts then.
                let later = cadence.current(now + SignedDuration::from_secs(1), &TimeZone::UTC);
                prop_assert!(later == p || later.starts == now + SignedDuration::from_secs(1),
                    "{cadence:?} {p:?} then {later:?}");
            }
        }
    }
}
