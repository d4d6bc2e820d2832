use jiff::Timestamp;

use crate::StoreError;

/// Instants are stored as microseconds since the Unix epoch, UTC, in both backends.
pub fn to_micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn from_micros(us: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us).map_err(|e| StoreError::Corrupt(format!("instant {us}: {e}")))
}
