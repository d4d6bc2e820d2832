//! The exclusive first sync (G2): within an account one site at a time runs its first sync,
//! holding a lease it renews while it uploads. Another site asking meanwhile is told who
//! holds it and when to try again; a lease not renewed runs out, so a site that crashed does
//! not block its account for ever.

use jiff::{SignedDuration, Timestamp};

/// How long a lease lasts from its start or last renewal.
pub const LEASE_TTL: SignedDuration = SignedDuration::from_secs(120);

/// The account's first-sync lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub site: String,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
}

impl Lease {
    /// Held by `site` at `now` (not run out).
    pub fn held_by(&self, site: &str, now: Timestamp) -> bool {
        self.site == site && now < self.expires_at
    }

    /// In force at `now`, whoever holds it.
    pub fn live(&self, now: Timestamp) -> bool {
        now < self.expires_at
    }
}

/// Another site holds the lease until `retry_at`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("another site ({holder}) is running its first sync; retry after {retry_at}")]
pub struct AnotherSiteSyncing {
    pub holder: String,
    pub retry_at: Timestamp,
}

impl AnotherSiteSyncing {
    /// Whole seconds until `retry_at`, at least 1.
    pub fn retry_after_secs(&self, now: Timestamp) -> u64 {
        let secs = now.duration_until(self.retry_at).as_secs();
        u64::try_from(secs).unwrap_or(0).max(1)
    }
}

/// The lease was not renewed in time, or another site took it since.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this site's first-sync lease ran out or was taken; start the first sync again")]
pub struct LeaseLost;

/// `site` starts (or restarts) its first sync: it gets the lease unless another site holds
/// a live one. The same site starting again keeps its start time and gets a fresh expiry.
pub fn decide_start(
    current: Option<&Lease>,
    site: &str,
    now: Timestamp,
) -> Result<Lease, AnotherSiteSyncing> {
    match current {
        Some(l) if l.live(now) && l.site != site => Err(AnotherSiteSyncing {
            holder: l.site.clone(),
            retry_at: l.expires_at,
        }),
        Some(l) if l.live(now) => Ok(Lease {
            expires_at: now + LEASE_TTL,
            ..l.clone()
        }),
        _ => Ok(Lease {
            site: site.to_owned(),
            started_at: now,
            expires_at: now + LEASE_TTL,
        }),
    }
}

/// `site` renews its lease: only while it still holds it.
pub fn decide_renew(
    current: Option<&Lease>,
    site: &str,
    now: Timestamp,
) -> Result<Lease, LeaseLost> {
    match current {
        Some(l) if l.held_by(site, now) => Ok(Lease {
            expires_at: now + LEASE_TTL,
            ..l.clone()
        }),
        _ => Err(LeaseLost),
    }
}

/// `site` finishes its first sync: only while it still holds the lease, which is released.
pub fn decide_finish(current: Option<&Lease>, site: &str, now: Timestamp) -> Result<(), LeaseLost> {
    match current {
        Some(l) if l.held_by(site, now) => Ok(()),
        _ => Err(LeaseLost),
    }
}

/// Whether `site` may push, and how: a site that finished a first sync pushes as usual; one
/// that has not must hold the lease (its pushes are then its first sync).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushMode {
    Normal,
    FirstSync,
}

/// Why a site that has not finished its first sync may not push now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushRefused {
    #[error(transparent)]
    Busy(AnotherSiteSyncing),
    #[error("this site has not run its first sync: start it first")]
    FirstSyncRequired,
}

/// How `site` may push at `now`. While it holds the lease its pushes are a first sync, even
/// if it finished one before (a site may run its first sync again).
pub fn push_mode(
    lease: Option<&Lease>,
    site: &str,
    first_synced: bool,
    now: Timestamp,
) -> Result<PushMode, PushRefused> {
    match lease {
        Some(l) if l.held_by(site, now) => Ok(PushMode::FirstSync),
        _ if first_synced => Ok(PushMode::Normal),
        Some(l) if l.live(now) => Err(PushRefused::Busy(AnotherSiteSyncing {
            holder: l.site.clone(),
            retry_at: l.expires_at,
        })),
        _ => Err(PushRefused::FirstSyncRequired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    #[test]
    fn one_site_at_a_time_until_it_finishes_or_its_lease_runs_out() {
        let a = decide_start(None, "A", t(0)).unwrap();
        assert_eq!(a.expires_at, t(120));
        let busy = decide_start(Some(&a), "B", t(10)).unwrap_err();
        assert_eq!((busy.holder.as_str(), busy.retry_at), ("A", t(120)));
        assert_eq!(busy.retry_after_secs(t(10)), 110);
        let a = decide_renew(Some(&a), "A", t(100)).unwrap();
        assert_eq!((a.started_at, a.expires_at), (t(0), t(220)));
        assert!(decide_start(Some(&a), "B", t(219)).is_err());
        let b = decide_start(Some(&a), "B", t(220)).unwrap();
        assert_eq!(b.site, "B");
        assert_eq!(decide_renew(Some(&b), "A", t(221)), Err(LeaseLost));
        assert_eq!(decide_finish(Some(&b), "A", t(221)), Err(LeaseLost));
        assert_eq!(decide_finish(Some(&b), "B", t(221)), Ok(()));
        assert_eq!(decide_finish(Some(&b), "B", t(400)), Err(LeaseLost));
    }

    #[test]
    fn restarting_keeps_the_start() {
        let a = decide_start(None, "A", t(0)).unwrap();
        let again = decide_start(Some(&a), "A", t(50)).unwrap();
        assert_eq!((again.started_at, again.expires_at), (t(0), t(170)));
    }

    #[test]
    fn who_may_push() {
        let a = decide_start(None, "A", t(0)).unwrap();
        assert_eq!(
            push_mode(Some(&a), "A", false, t(1)),
            Ok(PushMode::FirstSync)
        );
        assert_eq!(push_mode(Some(&a), "B", true, t(1)), Ok(PushMode::Normal));
        assert!(matches!(
            push_mode(Some(&a), "B", false, t(1)),
            Err(PushRefused::Busy(_))
        ));
        assert_eq!(
            push_mode(Some(&a), "B", false, t(121)),
            Err(PushRefused::FirstSyncRequired)
        );
        assert_eq!(
            push_mode(None, "B", false, t(1)),
            Err(PushRefused::FirstSyncRequired)
        );
        assert_eq!(
            push_mode(Some(&a), "A", false, t(121)),
            Err(PushRefused::FirstSyncRequired)
        );
    }
}
