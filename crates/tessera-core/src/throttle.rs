//! Failure counting for login throttling: [`Backoff`], one client's failures on one account,
//! each failure past the free ones doubling the wait; and [`SlidingWindow`], at most `max`
//! failures within `window`, after which the caller waits until the oldest failure leaves it.

use std::collections::VecDeque;

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttled {
    /// Whole seconds until another attempt is allowed (at least 1).
    pub retry_after_secs: u64,
}

impl Throttled {
    /// Throttled for `wait`, rounded up to whole seconds, at least one.
    fn for_wait(wait: SignedDuration) -> Throttled {
        let secs = wait.as_secs() + i64::from(wait.subsec_nanos() > 0);
        Throttled {
            retry_after_secs: secs.max(1) as u64,
        }
    }
}

/// How one client's failures slow it down: `free` failures cost nothing; after that each
/// failure makes the client wait `base`, doubled for every further failure, at most `cap`.
/// Failures are forgotten `forget` after the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffPolicy {
    pub free: u32,
    pub base: SignedDuration,
    pub cap: SignedDuration,
    pub forget: SignedDuration,
}

impl BackoffPolicy {
    /// The wait after `failures` failures.
    pub fn wait(&self, failures: u32) -> SignedDuration {
        let Some(doublings) = failures.checked_sub(self.free) else {
            return SignedDuration::ZERO;
        };
        let factor = 1i32 << doublings.min(30);
        self.base
            .checked_mul(factor)
            .map_or(self.cap, |wait| wait.min(self.cap))
    }
}

/// One client's failures on one account, under a [`BackoffPolicy`].
#[derive(Debug, Clone)]
pub struct Backoff {
    failures: u32,
    last: Timestamp,
}

impl Backoff {
    pub fn new(now: Timestamp) -> Self {
        Backoff {
            failures: 0,
            last: now,
        }
    }

    /// The failures still remembered at `now`.
    pub fn failures(&mut self, policy: &BackoffPolicy, now: Timestamp) -> u32 {
        if now.duration_since(self.last) >= policy.forget {
            self.failures = 0;
        }
        self.failures
    }

    /// May the client try again now?
    pub fn check(&mut self, policy: &BackoffPolicy, now: Timestamp) -> Result<(), Throttled> {
        let wait = policy.wait(self.failures(policy, now)) - now.duration_since(self.last);
        if wait.is_positive() {
            return Err(Throttled::for_wait(wait));
        }
        Ok(())
    }

    pub fn record_failure(&mut self, policy: &BackoffPolicy, now: Timestamp) {
        self.failures = self.failures(policy, now).saturating_add(1);
        self.last = now;
    }
}

#[derive(Debug, Clone)]
pub struct SlidingWindow {
    max: usize,
    window: SignedDuration,
    failures: VecDeque<Timestamp>,
}

impl SlidingWindow {
    pub fn new(max: usize, window: SignedDuration) -> Self {
        SlidingWindow {
            max,
            window,
            failures: VecDeque::new(),
        }
    }

    fn forget_old(&mut self, now: Timestamp) {
        while let Some(&oldest) = self.failures.front() {
            if now.duration_since(oldest) >= self.window {
                self.failures.pop_front();
            } else {
                break;
            }
        }
    }

    /// May another attempt be made now?
    pub fn check(&mut self, now: Timestamp) -> Result<(), Throttled> {
        self.forget_old(now);
        if self.failures.len() < self.max {
            return Ok(());
        }
        let oldest = self.failures[self.failures.len() - self.max];
        Err(Throttled::for_wait(
            self.window - now.duration_since(oldest),
        ))
    }

    pub fn record_failure(&mut self, now: Timestamp) {
        self.forget_old(now);
        self.failures.push_back(now);
    }

    /// Forgets the most recent failure (an attempt counted in advance that succeeded).
    pub fn forget_latest(&mut self) {
        self.failures.pop_back();
    }

    /// True when nothing is remembered any more (the entry can be dropped).
    pub fn is_idle(&mut self, now: Timestamp) -> bool {
        self.forget_old(now);
        self.failures.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: BackoffPolicy = BackoffPolicy {
        free: 3,
        base: SignedDuration::from_secs(60),
        cap: SignedDuration::from_secs(300),
        forget: SignedDuration::from_hours(24),
    };

    #[test]
    fn backoff_doubles_after_the_free_failures_up_to_the_cap() {
        let waits: Vec<i64> = (0..9).map(|n| POLICY.wait(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 60, 120, 240, 300, 300, 300]);
        assert_eq!(POLICY.wait(u32::MAX), POLICY.cap);
    }

    #[test]
    fn backoff_makes_the_client_wait_and_forgets_after_a_day() {
        let mut t = Timestamp::from_second(1_000_000).unwrap();
        let mut b = Backoff::new(t);
        for _ in 0..3 {
            assert!(b.check(&POLICY, t).is_ok());
            b.record_failure(&POLICY, t);
        }
        let after = |b: &mut Backoff, t| b.check(&POLICY, t).unwrap_err().retry_after_secs;
        assert_eq!(after(&mut b, t), 60);
        t += SignedDuration::from_secs(59);
        assert_eq!(after(&mut b, t), 1);
        t += SignedDuration::from_secs(1);
        assert!(b.check(&POLICY, t).is_ok());
        b.record_failure(&POLICY, t);
        assert_eq!(after(&mut b, t), 120);
        t += SignedDuration::from_hours(24);
        assert!(b.check(&POLICY, t).is_ok());
        assert_eq!(b.failures(&POLICY, t), 0);
    }

    #[test]
    fn blocks_after_max_failures_until_the_window_passes() {
        let t0 = Timestamp::from_second(1_000_000).unwrap();
        let mut w = SlidingWindow::new(3, SignedDuration::from_secs(60));
        for i in 0..3 {
            assert!(w.check(t0 + SignedDuration::from_secs(i)).is_ok());
            w.record_failure(t0 + SignedDuration::from_secs(i));
        }
        let later = t0 + SignedDuration::from_secs(10);
        assert_eq!(
            w.check(later),
            Err(Throttled {
                retry_after_secs: 50
            })
        );
        assert!(w.check(t0 + SignedDuration::from_secs(60)).is_ok());
        assert!(!w.is_idle(t0 + SignedDuration::from_secs(61)));
        assert!(w.is_idle(t0 + SignedDuration::from_secs(63)));
    }
}
