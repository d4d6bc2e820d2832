//! Throttles sign-ins per (account, client network) with exponential backoff, so that
//! guessing one account's password from one network gets slow fast, while the right password
//! keeps working from every other network: nobody can lock an account (the operator `admin`
//! included) by failing on purpose. A ceiling per account across all networks slows a
//! distributed attack, but only for networks that have already failed on that account.
//!
//! A client network is an IPv4 address or an IPv6 /64, as the rate limits count. Counts live
//! in this instance's memory: behind a load balancer each instance counts on its own (see
//! docs/operations.md, "Sign-in throttling").

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};
use tessera_core::{Backoff, BackoffPolicy, SlidingWindow, Throttled};

use crate::rate_limit::network;

/// The figures of the throttle.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// One network's failures on one account.
    pub backoff: BackoffPolicy,
    /// Failures on one account from all networks within `window` above which networks that
    /// have failed on it wait (networks that never failed on it do not).
    pub account_ceiling: usize,
    pub window: SignedDuration,
}

impl Default for ThrottlePolicy {
    /// Five failures free, then 1 min, 2, 4, 8 … up to an hour between attempts, forgotten a
    /// day after the last failure; 100 failures per account per 15 minutes in all.
    fn default() -> Self {
        ThrottlePolicy {
            backoff: BackoffPolicy {
                free: 5,
                base: SignedDuration::from_mins(1),
                cap: SignedDuration::from_hours(1),
                forget: SignedDuration::from_hours(24),
            },
            account_ceiling: 100,
            window: SignedDuration::from_mins(15),
        }
    }
}

/// Above this many tracked entries, idle ones are dropped on the next failure.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
struct Counts {
    /// Per (account, client network).
    clients: HashMap<(String, IpAddr), Backoff>,
    /// Per account, all networks together.
    accounts: HashMap<String, SlidingWindow>,
}

#[derive(Default)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    counts: Mutex<Counts>,
}

impl LoginThrottle {
    pub fn new(policy: ThrottlePolicy) -> Self {
        LoginThrottle {
            policy,
            counts: Mutex::default(),
        }
    }

    /// Refuses while the client's network must wait after its failures on `account` (or the
    /// account's ceiling is reached and this network has failed on it too); otherwise counts
    /// this attempt as a failure right away, under the same lock, so parallel attempts cannot
    /// all pass the check before any of them is counted. [`LoginThrottle::succeeded`] takes
    /// it back.
    pub fn begin_attempt(
        &self,
        account: &str,
        ip: IpAddr,
        now: Timestamp,
    ) -> Result<(), Throttled> {
        let policy = &self.policy;
        let mut counts = self.counts.lock().expect("throttle lock");
        let client = (account.to_owned(), network(ip));
        if let Some(backoff) = counts.clients.get_mut(&client)
            && backoff.failures(&policy.backoff, now) > 0
        {
            backoff.check(&policy.backoff, now)?;
            if let Some(window) = counts.accounts.get_mut(account) {
                window.check(now)?;
            }
        }
        if counts.clients.len() + counts.accounts.len() > SWEEP_ABOVE {
            counts.sweep(policy, now);
        }
        counts
            .clients
            .entry(client)
            .or_insert_with(|| Backoff::new(now))
            .record_failure(&policy.backoff, now);
        counts
            .accounts
            .entry(account.to_owned())
            .or_insert_with(|| SlidingWindow::new(policy.account_ceiling, policy.window))
            .record_failure(now);
        Ok(())
    }

    /// A successful sign-in clears the client's failures on the account and takes back the
    /// attempt counted against the account.
    pub fn succeeded(&self, account: &str, ip: IpAddr) {
        let mut counts = self.counts.lock().expect("throttle lock");
        counts.clients.remove(&(account.to_owned(), network(ip)));
        if let Some(window) = counts.accounts.get_mut(account) {
            window.forget_latest();
        }
    }
}

impl Counts {
    fn sweep(&mut self, policy: &ThrottlePolicy, now: Timestamp) {
        self.clients
            .retain(|_, b| b.failures(&policy.backoff, now) > 0);
        self.accounts.retain(|_, w| !w.is_idle(now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            backoff: BackoffPolicy {
                free: 2,
                base: SignedDuration::from_secs(10),
                cap: SignedDuration::from_secs(100),
                forget: SignedDuration::from_hours(1),
            },
            account_ceiling: 4,
            window: SignedDuration::from_mins(15),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn one_network_waits_while_others_sign_in() {
        let throttle = LoginThrottle::new(policy());
        let t = Timestamp::from_second(1_000_000).unwrap();
        for _ in 0..2 {
            throttle
                .begin_attempt("admin", ip("2001:db8::1"), t)
                .unwrap();
        }
        // Another address of the same /64 is the same client.
        let wait = throttle.begin_attempt("admin", ip("2001:db8::2"), t);
        assert_eq!(wait.unwrap_err().retry_after_secs, 10);
        // Another network has not failed: it goes through, and succeeds.
        throttle
            .begin_attempt("admin", ip("2001:db8:1::1"), t)
            .unwrap();
        throttle.succeeded("admin", ip("2001:db8:1::1"));
        throttle.begin_attempt("admin", ip("192.0.2.1"), t).unwrap();
    }

    #[test]
    fn the_account_ceiling_slows_failed_networks_only() {
        let throttle = LoginThrottle::new(policy());
        let t = Timestamp::from_second(1_000_000).unwrap();
        for n in 1..=4 {
            let attacker = ip(&format!("192.0.2.{n}"));
            throttle.begin_attempt("admin", attacker, t).unwrap();
        }
        // The ceiling is reached: a network that failed before waits for the window …
        let wait = throttle.begin_attempt("admin", ip("192.0.2.1"), t);
        assert_eq!(wait.unwrap_err().retry_after_secs, 15 * 60);
        // … one that never failed does not.
        throttle
            .begin_attempt("admin", ip("198.51.100.7"), t)
            .unwrap();
    }
}
