//! What needs a customer's attention on the overview of all sites (H3): a site whose daily
//! check is overdue (and how many days until the client locks), a licence or a subscription
//! running out within [`WARN_DAYS`], a site whose licence no longer matches its cloud
//! subscription, a payment the provider took but that could not be applied.

use jiff::{SignedDuration, Timestamp};

use crate::site::SiteStatus;
use crate::subscription::SubscriptionState;

/// How far ahead an end is announced.
pub const WARN_DAYS: i64 = 30;

/// A check is overdue once the last one is older than this: the client checks daily, so
/// this is a missed day with a day's slack.
pub const CHECK_OVERDUE: SignedDuration = SignedDuration::from_hours(48);

/// One alarm on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Alarm {
    /// No successful check for longer than [`CHECK_OVERDUE`]; the client locks in `days`
    /// (0: locked by now).
    CheckOverdue { lock_in_days: i64 },
    /// The licence ends in `days` days.
    LicenceEnding { days: i64 },
    /// The cloud subscription the site is enabled in ends in `days` days.
    SubscriptionEnding { days: i64 },
    /// Enabled in a subscription whose edition and size the site's licence no longer has.
    LicenceMismatch,
}

impl Alarm {
    /// A stable name, for filters and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Alarm::CheckOverdue { .. } => "check-overdue",
            Alarm::LicenceEnding { .. } => "licence-ending",
            Alarm::SubscriptionEnding { .. } => "subscription-ending",
            Alarm::LicenceMismatch => "licence-mismatch",
        }
    }
}

/// The cloud subscription a site is enabled in, as the alarms need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloudFacts {
    pub state: SubscriptionState,
    pub expires_at: Timestamp,
    /// The site's edition and size are not the subscription's.
    pub mismatch: bool,
}

/// One site, as the alarms need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteFacts {
    pub status: SiteStatus,
    pub activated_at: Option<Timestamp>,
    pub last_validated_at: Option<Timestamp>,
    pub grace_days: u32,
    pub expires_at: Option<Timestamp>,
    pub cloud: Option<CloudFacts>,
}

/// Whole days from `now` until `then`, rounded up (an end later today is "0 days" only once
/// it has passed); negative once past.
fn days_until(then: Timestamp, now: Timestamp) -> i64 {
    let secs = then.as_second() - now.as_second();
    secs.div_euclid(86_400) + i64::from(secs.rem_euclid(86_400) > 0)
}

/// Days until the client of an active site locks for want of a successful check: the last
/// check (or the activation, before the first) plus the grace days. None for a site not
/// active.
pub fn days_until_lock(site: &SiteFacts, now: Timestamp) -> Option<i64> {
    if site.status != SiteStatus::Active {
        return None;
    }
    let since = site.last_validated_at.or(site.activated_at)?;
    let lock = since + SignedDuration::from_hours(24 * i64::from(site.grace_days));
    Some(days_until(lock, now).max(0))
}

/// The site's alarms at `now`, most urgent kind first.
pub fn site_alarms(site: &SiteFacts, now: Timestamp) -> Vec<Alarm> {
    let mut alarms = Vec::new();
    if site.status == SiteStatus::Active
        && let Some(since) = site.last_validated_at.or(site.activated_at)
        && now.duration_since(since) > CHECK_OVERDUE
    {
        alarms.push(Alarm::CheckOverdue {
            lock_in_days: days_until_lock(site, now).unwrap_or(0),
        });
    }
    if matches!(site.status, SiteStatus::Active | SiteStatus::Registered)
        && let Some(end) = site.expires_at
        && (0..=WARN_DAYS).contains(&days_until(end, now))
    {
        alarms.push(Alarm::LicenceEnding {
            days: days_until(end, now),
        });
    }
    if let Some(cloud) = site.cloud {
        let days = days_until(cloud.expires_at, now);
        let running = matches!(
            cloud.state,
            SubscriptionState::Active | SubscriptionState::Trialing
        );
        if running && (0..=WARN_DAYS).contains(&days) {
            alarms.push(Alarm::SubscriptionEnding { days });
        }
        if cloud.mismatch {
            alarms.push(Alarm::LicenceMismatch);
        }
    }
    alarms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn active(last: Option<&str>) -> SiteFacts {
        SiteFacts {
            status: SiteStatus::Active,
            activated_at: Some(at("2026-01-01T00:00:00Z")),
            last_validated_at: last.map(at),
            grace_days: 7,
            expires_at: None,
            cloud: None,
        }
    }

    #[test]
    fn a_check_is_overdue_after_two_days_and_the_lock_counts_down_from_the_last_one() {
        let now = at("2026-03-10T12:00:00Z");
        assert!(site_alarms(&active(Some("2026-03-09T12:00:00Z")), now).is_empty());
        assert!(site_alarms(&active(Some("2026-03-08T12:00:00Z")), now).is_empty());
        let three_days = active(Some("2026-03-07T12:00:00Z"));
        assert_eq!(
            site_alarms(&three_days, now),
            [Alarm::CheckOverdue { lock_in_days: 4 }]
        );
        assert_eq!(days_until_lock(&three_days, now), Some(4));
        // Never checked: counted from the activation; locked long ago shows 0.
        assert_eq!(
            site_alarms(&active(None), now),
            [Alarm::CheckOverdue { lock_in_days: 0 }]
        );
        let registered = SiteFacts {
            status: SiteStatus::Registered,
            ..active(None)
        };
        assert!(site_alarms(&registered, now).is_empty());
        assert_eq!(days_until_lock(&registered, now), None);
    }

    #[test]
    fn ends_within_thirty_days_are_announced() {
        let now = at("2026-03-10T12:00:00Z");
        let ending = |end: &str| SiteFacts {
            expires_at: Some(at(end)),
            ..active(Some("2026-03-10T06:00:00Z"))
        };
        assert_eq!(
            site_alarms(&ending("2026-04-09T12:00:00Z"), now),
            [Alarm::LicenceEnding { days: 30 }]
        );
        assert!(site_alarms(&ending("2026-04-09T12:00:01Z"), now).is_empty());
        assert_eq!(
            site_alarms(&ending("2026-03-10T13:00:00Z"), now),
            [Alarm::LicenceEnding { days: 1 }]
        );
        assert!(
            site_alarms(&ending("2026-03-01T00:00:00Z"), now).is_empty(),
            "ended"
        );
        let cloud = |state, end: &str, mismatch| SiteFacts {
            cloud: Some(CloudFacts {
                state,
                expires_at: at(end),
                mismatch,
            }),
            ..active(Some("2026-03-10T06:00:00Z"))
        };
        assert_eq!(
            site_alarms(
                &cloud(SubscriptionState::Trialing, "2026-03-20T12:00:00Z", false),
                now
            ),
            [Alarm::SubscriptionEnding { days: 10 }]
        );
        assert!(
            site_alarms(
                &cloud(SubscriptionState::Active, "2026-06-20T12:00:00Z", false),
                now
            )
            .is_empty()
        );
        assert_eq!(
            site_alarms(
                &cloud(SubscriptionState::Active, "2026-06-20T12:00:00Z", true),
                now
            ),
            [Alarm::LicenceMismatch]
        );
    }
}
