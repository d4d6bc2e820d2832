//! The operators' fleet dashboard, as calendar maths and the rules its counts follow: the
//! months it shows (in the server's time zone), when a site counts as overdue, and when as
//! locked — the same instant the customers' overview counts the lock down to
//! (`alarms::days_until_lock` reaching 0).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// Days without a successful check after which the dashboard counts a site overdue, unless
/// the reader asks for another number.
pub const OVERDUE_DAYS: u16 = 7;

/// How far ahead the dashboard lists subscriptions running out.
pub const EXPIRING_DAYS: i64 = 30;

/// One calendar month as an interval of instants: `[starts, ends)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM`.
    pub key: String,
    pub starts: Timestamp,
    pub ends: Timestamp,
}

/// The `n` months up to and including the one `now` falls in (in `zone`), oldest first.
pub fn months_back(now: Timestamp, zone: &TimeZone, n: u8) -> Vec<Month> {
    let this = now.to_zoned(zone.clone()).date().first_of_month();
    let start = |d: Date| {
        d.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::MIN)
    };
    (0..i64::from(n))
        .rev()
        .filter_map(|back| this.checked_sub(back.months()).ok())
        .map(|first| {
            let next = first.checked_add(1.month()).unwrap_or(first);
            Month {
                key: format!("{:04}-{:02}", first.year(), first.month()),
                starts: start(first),
                ends: start(next),
            }
        })
        .collect()
}

/// A site whose last successful check (or its activation, before the first) is older than
/// this instant is overdue: no check for more than `days` days.
pub fn overdue_before(now: Timestamp, days: u16) -> Timestamp {
    now - SignedDuration::from_hours(24 * i64::from(days))
}

/// A site is locked by its client once its last check (or activation) plus its product's
/// grace days has passed: `since + grace <= now`.
pub fn locked(since: Timestamp, grace_days: u32, now: Timestamp) -> bool {
    since + SignedDuration::from_hours(24 * i64::from(grace_days)) <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alarms::{SiteFacts, days_until_lock};
    use crate::site::SiteStatus;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn months_are_calendar_months_in_the_zone_oldest_first() {
        let rome = TimeZone::fixed(jiff::tz::offset(1));
        let months = months_back(at("2026-03-01T00:30:00Z"), &rome, 3);
        let keys: Vec<_> = months.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(months[1].starts, at("2026-01-31T23:00:00Z"));
        assert_eq!(months[1].ends, months[2].starts);
        assert_eq!(months[2].ends, at("2026-03-31T23:00:00Z"));
        // Just before midnight UTC is already March in Rome; still February in UTC.
        let utc = months_back(at("2026-02-28T23:30:00Z"), &TimeZone::UTC, 1);
        assert_eq!(utc[0].key, "2026-02");
        let year = months_back(at("2026-01-15T00:00:00Z"), &TimeZone::UTC, 12);
        assert_eq!((year[0].key.as_str(), year.len()), ("2025-02", 12));
    }

    #[test]
    fn overdue_and_locked_count_from_the_last_check() {
        let now = at("2026-03-10T12:00:00Z");
        assert_eq!(overdue_before(now, 7), at("2026-03-03T12:00:00Z"));
        let since = at("2026-03-03T12:00:00Z");
        assert!(locked(since, 7, now));
        assert!(!locked(since, 8, now));
        // The same instant as the overview's countdown reaching 0.
        for grace in [6, 7, 8] {
            let facts = SiteFacts {
                status: SiteStatus::Active,
                activated_at: Some(since),
                last_validated_at: Some(since),
                grace_days: grace,
                expires_at: None,
                cloud: None,
            };
            let countdown = days_until_lock(&facts, now) == Some(0);
            assert_eq!(locked(since, grace, now), countdown, "grace {grace}");
        }
    }
}
