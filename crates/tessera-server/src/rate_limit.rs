//! Rate limits on the public client routes (registration, activation, validation): per
//! client IP and per product key or site, each a token bucket refilled over a minute. Counts
//! live in this instance's memory (see docs/operations.md).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimits;
use crate::error::ApiError;

/// One limited action: a bucket per IP and a bucket per subject (key or site).
pub struct Limit {
    per_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    per_subject: Option<DefaultKeyedRateLimiter<String>>,
}

fn limiter<K: std::hash::Hash + Eq + Clone>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

fn refuse(not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> ApiError {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    ApiError::Throttled {
        retry_after_secs: wait.as_secs() + 1,
    }
}

impl Limit {
    pub fn new(per_ip: u32, per_subject: u32) -> Self {
        Limit {
            per_ip: limiter(per_ip),
            per_subject: limiter(per_subject),
        }
    }

    /// Takes one token from the IP's bucket, then one from the subject's; 429 with the wait
    /// when either is empty.
    pub fn check(&self, ip: IpAddr, subject: &str) -> Result<(), ApiError> {
        if let Some(l) = &self.per_ip {
            l.check_key(&ip).map_err(refuse)?;
        }
        self.check_subject(subject)
    }

    /// Takes one token from the IP's bucket only (before the subject is known).
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), ApiError> {
        match &self.per_ip {
            Some(l) => l.check_key(&ip).map_err(refuse),
            None => Ok(()),
        }
    }

    /// Takes one token from the subject's bucket only.
    pub fn check_subject(&self, subject: &str) -> Result<(), ApiError> {
        match &self.per_subject {
            Some(l) => l.check_key(&subject.to_owned()).map_err(refuse),
            None => Ok(()),
        }
    }

    fn retain_recent(&self) {
        if let Some(l) = &self.per_ip {
            l.retain_recent();
        }
        if let Some(l) = &self.per_subject {
            l.retain_recent();
        }
    }
}

/// The limits of every public client route.
pub struct RateLimiters {
    pub key_lookups: Limit,
    pub activations: Limit,
    pub validations: Limit,
}

impl RateLimiters {
    pub fn new(c: &RateLimits) -> Self {
        RateLimiters {
            key_lookups: Limit::new(c.key_lookups_per_ip, c.key_lookups_per_key),
            activations: Limit::new(c.activations_per_ip, c.activations_per_key),
            validations: Limit::new(c.validations_per_ip, c.validations_per_site),
        }
    }

    /// Forgets buckets that are full again, so memory follows the active callers.
    pub fn retain_recent(&self) {
        self.key_lookups.retain_recent();
        self.activations.retain_recent();
        self.validations.retain_recent();
    }
}
