//! Failure counting for login throttling: at most `max` failures within `window`; after that
//! the caller waits until the oldest failure leaves the window.

use std::collections::VecDeque;

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttled {
    /// Whole seconds until another attempt is allowed (at least 1).
    pub retry_after_secs: u64,
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
        let wait = self.window - now.duration_since(oldest);
        let secs = wait.as_secs() + i64::from(wait.subsec_nanos() > 0);
        Err(Throttled {
            retry_after_secs: secs.max(1) as u64,
        })
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
