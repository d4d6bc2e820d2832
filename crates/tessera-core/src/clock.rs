//! Time is injected: every rule that needs "now" gets it from a [`Clock`], so tests can set it.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

/// The earliest and latest years a time given to the API may have.
pub const YEARS: std::ops::RangeInclusive<i16> = 1970..=9999;

/// Why a time given as text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    #[error(
        "not an RFC 3339 time with an offset (2026-12-31T23:00:00Z, 2027-01-01T00:00:00+01:00)"
    )]
    Form,
    #[error("an offset is Z or -23:59 to +23:59")]
    Offset,
    #[error("the year must be 1970 to 9999")]
    Year,
}

/// An instant as RFC 3339 text: a date and time with `Z` or an offset of at most ±23:59, in
/// the years [`YEARS`] (no year 0001, no negative years, no `+25:00`).
pub fn parse_instant(text: &str) -> Result<Timestamp, InstantError> {
    let offset_ok = match text.as_bytes() {
        [.., b'Z' | b'z'] => true,
        [.., b'+' | b'-', h1, h2, b':', m1, m2] => {
            let two =
                |a: u8, b: u8| Some((a as char).to_digit(10)? * 10 + (b as char).to_digit(10)?);
            matches!((two(*h1, *h2), two(*m1, *m2)), (Some(0..=23), Some(0..=59)))
        }
        _ => return Err(InstantError::Form),
    };
    if !offset_ok {
        return Err(InstantError::Offset);
    }
    let instant: Timestamp = text.parse().map_err(|_| InstantError::Form)?;
    let year = instant.to_zoned(jiff::tz::TimeZone::UTC).year();
    if !YEARS.contains(&year) {
        return Err(InstantError::Year);
    }
    Ok(instant)
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock tests set and advance by hand.
#[derive(Debug)]
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        ManualClock(Mutex::new(start))
    }

    pub fn set(&self, to: Timestamp) {
        *self.0.lock().expect("clock lock") = to;
    }

    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.0.lock().expect("clock lock");
        *now = now.checked_add(by).expect("clock stays in range");
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("clock lock")
    }
}

#[cfg(test)]
mod tests {
    use super::{InstantError, parse_instant};

    #[test]
    fn instants_are_rfc3339_in_range() {
        assert!(parse_instant("2027-01-01T00:00:00Z").is_ok());
        assert!(parse_instant("2027-01-01T00:00:00+01:00").is_ok());
        assert!(parse_instant("2027-01-01T00:00:00-23:59").is_ok());
        assert_eq!(
            parse_instant("2027-01-01T00:00:00+25:00"),
            Err(InstantError::Offset)
        );
        assert_eq!(
            parse_instant("0001-01-01T00:00:00Z"),
            Err(InstantError::Year)
        );
        assert_eq!(
            parse_instant("-000001-01-01T00:00:00Z"),
            Err(InstantError::Year)
        );
        assert_eq!(
            parse_instant("1969-12-31T23:59:59Z"),
            Err(InstantError::Year)
        );
        assert_eq!(parse_instant("2027-01-01"), Err(InstantError::Form));
        assert_eq!(
            parse_instant("2027-13-01T00:00:00Z"),
            Err(InstantError::Form)
        );
    }
}
