//! Rate limits on the public client routes (registration, activation, validation): per
//! client IP and per product key or site, each a token bucket refilled over a minute. Counts
//! live in this instance's memory (see docs/operations.md).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimits;
use crate::error::ApiError;

/// The bucket an address counts in: IPv4 addresses one by one; IPv6 by /64, the smallest
/// network a customer is usually given (one host can use any address of it).
pub(crate) fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
    }
}

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
        self.check_ip(ip)?;
        self.check_subject(subject)
    }

    /// Takes one token from the IP's bucket only (before the subject is known).
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), ApiError> {
        match &self.per_ip {
            Some(l) => l.check_key(&network(ip)).map_err(refuse),
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
    pub cloud_codes: Limit,
}

impl RateLimiters {
    pub fn new(c: &RateLimits) -> Self {
        RateLimiters {
            key_lookups: Limit::new(c.key_lookups_per_ip, c.key_lookups_per_key),
            activations: Limit::new(c.activations_per_ip, c.activations_per_key),
            validations: Limit::new(c.validations_per_ip, c.validations_per_site),
            cloud_codes: Limit::new(c.cloud_codes_per_ip, c.cloud_codes_per_site_code),
        }
    }

    /// Forgets buckets that are full again, so memory follows the active callers.
    pub fn retain_recent(&self) {
        self.key_lookups.retain_recent();
        self.activations.retain_recent();
        self.validations.retain_recent();
        self.cloud_codes.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_share_their_64_bit_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network(other));
        let v4: IpAddr = "203.0.113.7".parse().unwrap();
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(network(v4), v4);
        assert_eq!(network(mapped), v4);
    }

    #[test]
    fn one_network_runs_out_and_is_told_when_to_retry() {
        let limit = Limit::new(2, 0);
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let b: IpAddr = "2001:db8::2".parse().unwrap();
        assert!(limit.check_ip(a).is_ok());
        assert!(limit.check_ip(b).is_ok());
        match limit.check_ip(a) {
            Err(ApiError::Throttled { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs))
            }
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limit.check_ip("2001:db9::1".parse().unwrap()).is_ok());
    }
}
