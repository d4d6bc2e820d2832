//! The `#[repr(C)]` types and constants of the C ABI, as `include/tessera_client.h` declares
//! them. Plain integers and fixed `char` arrays only, so C, Delphi and C# can lay them out.

use std::ffi::c_char;

use tessera_client::{LockReason, Standing, Status};

use crate::guard::fill_field;

/// A call succeeded.
pub const TESSERA_OK: i32 = 0;
/// A call failed: `tessera_last_error_code` / `tessera_last_error_message` say why.
pub const TESSERA_ERROR: i32 = -1;

/// No license stored: activate first.
pub const TESSERA_STANDING_NOT_ACTIVATED: i32 = 0;
/// May run; `days_left` until the lock.
pub const TESSERA_STANDING_VALID: i32 = 1;
/// May run, but the lock is near: get a validation through.
pub const TESSERA_STANDING_WARNING: i32 = 2;
/// Locked: no successful validation within the grace period.
pub const TESSERA_STANDING_LOCKED: i32 = 3;
/// Locked: the license has expired.
pub const TESSERA_STANDING_EXPIRED: i32 = 4;
/// Locked: the server's signed answer was not `valid` (`refused` says which).
pub const TESSERA_STANDING_REFUSED: i32 = 5;

/// What `tessera_open` needs. Every string is borrowed for the call only.
#[repr(C)]
pub struct TesseraConfig {
    /// The servers, primary first, separated by commas, spaces or newlines.
    pub servers: *const c_char,
    /// The vendor's public keys: the JSON text `GET /api/v1/public-keys` returns.
    pub public_keys_json: *const c_char,
    /// Constant per product: salts the fingerprint and keys the state file's MAC.
    pub vendor_salt: *const c_char,
    /// The state file's path.
    pub state_path: *const c_char,
    /// NULL for the operating system's machine id; else an id kept by the host.
    pub machine_id: *const c_char,
}

/// The answer to "may I run, with what?", filled by `tessera_status`. Strings are
/// NUL-terminated and truncated to fit; times are Unix seconds, 0 when absent.
#[repr(C)]
pub struct TesseraStatus {
    /// 1 when the product may run, else 0.
    pub may_run: i32,
    /// One of `TESSERA_STANDING_*`.
    pub standing: i32,
    /// Whole days until the lock while the product may run; -1 otherwise.
    pub days_left: i32,
    /// The user count granted (the `users` limit when none is given); -1 when none.
    pub users: i32,
    /// Days of grace after each successful validation; 0 when not activated.
    pub grace_days: i32,
    /// 1 when the local clock was set back (tell the user to set an NTP server).
    pub clock_set_back: i32,
    /// The lock comes after this instant without a successful validation.
    pub deadline: i64,
    /// When the license expires; 0 for never.
    pub expires_at: i64,
    /// The server time of the last successful validation (or the activation).
    pub last_success: i64,
    pub product: [c_char; 64],
    pub edition: [c_char; 64],
    pub site_id: [c_char; 64],
    /// With `TESSERA_STANDING_REFUSED`: `revoked`, `suspended`, `expired`, … else "".
    pub refused: [c_char; 32],
}

impl TesseraStatus {
    pub(crate) fn from_status(status: &Status) -> TesseraStatus {
        let (standing, refused) = match status.standing {
            Standing::NotActivated => (TESSERA_STANDING_NOT_ACTIVATED, ""),
            Standing::Valid { .. } => (TESSERA_STANDING_VALID, ""),
            Standing::Warning { .. } => (TESSERA_STANDING_WARNING, ""),
            Standing::Locked(LockReason::GraceOver) => (TESSERA_STANDING_LOCKED, ""),
            Standing::Locked(LockReason::Expired) => (TESSERA_STANDING_EXPIRED, ""),
            Standing::Locked(LockReason::Refused(s)) => (TESSERA_STANDING_REFUSED, s.as_str()),
        };
        let e = status.entitlement.as_deref();
        let seconds = |t: Option<jiff::Timestamp>| t.map_or(0, |t| t.as_second());
        let mut out = TesseraStatus {
            may_run: i32::from(status.may_run()),
            standing,
            days_left: status
                .days_left()
                .map_or(-1, |d| i32::try_from(d).unwrap_or(i32::MAX)),
            users: e
                .and_then(|e| e.user_count.or_else(|| e.limits.get("users").copied()))
                .map_or(-1, |u| i32::try_from(u).unwrap_or(i32::MAX)),
            grace_days: e.map_or(0, |e| i32::try_from(e.grace_days).unwrap_or(i32::MAX)),
            clock_set_back: i32::from(status.clock_set_back),
            deadline: seconds(status.deadline),
            expires_at: seconds(e.and_then(|e| e.expires_at)),
            last_success: seconds(e.map(|e| e.last_success)),
            product: [0; 64],
            edition: [0; 64],
            site_id: [0; 64],
            refused: [0; 32],
        };
        if let Some(e) = e {
            fill_field(&mut out.product, &e.product);
            fill_field(&mut out.edition, &e.edition);
            fill_field(&mut out.site_id, &e.site_id);
        }
        fill_field(&mut out.refused, refused);
        out
    }
}

#[cfg(test)]
mod tests {
    use std::mem::{offset_of, size_of};

    use super::*;

    /// The layout docs/client.md gives Delphi and C# programmers.
    #[test]
    fn the_status_layout_is_the_documented_one() {
        assert_eq!(offset_of!(TesseraStatus, deadline), 24);
        assert_eq!(offset_of!(TesseraStatus, product), 48);
        assert_eq!(offset_of!(TesseraStatus, refused), 240);
        assert_eq!(size_of::<TesseraStatus>(), 272);
    }
}
