//! Throttles operator logins per account and per client IP. Counts live in this instance's
//! memory: behind a load balancer each instance counts on its own, so the effective limit is
//! the per-instance limit times the number of instances (documented in docs/operations.md).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};
use tessera_core::{SlidingWindow, Throttled};

/// Failed logins allowed per account within the window.
pub const ACCOUNT_FAILURES: usize = 5;
/// Failed logins allowed per client IP within the window (covers guessing many usernames).
pub const IP_FAILURES: usize = 20;
pub const WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// Above this many tracked keys, idle entries are dropped on the next failure.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct LoginThrottle {
    windows: Mutex<HashMap<String, SlidingWindow>>,
}

fn keys(username: &str, ip: IpAddr) -> [(String, usize); 2] {
    [
        (format!("user:{username}"), ACCOUNT_FAILURES),
        (format!("ip:{ip}"), IP_FAILURES),
    ]
}

impl LoginThrottle {
    /// Refuses when the account or the IP has used up its failures; otherwise counts this
    /// attempt as a failure right away, under the same lock, so parallel attempts cannot all
    /// pass the check before any of them is counted. [`LoginThrottle::succeeded`] takes it back.
    pub fn begin_attempt(
        &self,
        username: &str,
        ip: IpAddr,
        now: Timestamp,
    ) -> Result<(), Throttled> {
        let mut windows = self.windows.lock().expect("throttle lock");
        for (key, _) in keys(username, ip) {
            if let Some(w) = windows.get_mut(&key) {
                w.check(now)?;
            }
        }
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, w| !w.is_idle(now));
        }
        for (key, max) in keys(username, ip) {
            windows
                .entry(key)
                .or_insert_with(|| SlidingWindow::new(max, WINDOW))
                .record_failure(now);
        }
        Ok(())
    }

    /// A successful login clears the account's count and takes back the IP's counted attempt.
    pub fn succeeded(&self, username: &str, ip: IpAddr) {
        let mut windows = self.windows.lock().expect("throttle lock");
        let [(account, _), (address, _)] = keys(username, ip);
        windows.remove(&account);
        if let Some(w) = windows.get_mut(&address) {
            w.forget_latest();
        }
    }
}
