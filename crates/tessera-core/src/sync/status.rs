//! A site's sync status (G5) and the client's clock. The seed's status icon shows: off,
//! idle (nothing to sync), uploading, downloading, and error with its cause; we add
//! "conflicts pending" (a first sync waits for a person's decision).

use jiff::{SignedDuration, Timestamp};

/// The client's clock may be this far from the server's.
pub const CLOCK_TOLERANCE: SignedDuration = SignedDuration::from_secs(5 * 60);

/// The client's clock is too far off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "clock mismatch: this computer's clock is {} s off the server's (more than 5 minutes); set an NTP server",
    skew.as_secs()
)]
pub struct ClockMismatch {
    /// Client time minus server time.
    pub skew: SignedDuration,
}

/// Refuses a client time more than [`CLOCK_TOLERANCE`] from the server's `now`.
pub fn clock_skew(client: Timestamp, now: Timestamp) -> Result<(), ClockMismatch> {
    let skew = now.duration_until(client);
    if skew.abs() > CLOCK_TOLERANCE {
        Err(ClockMismatch { skew })
    } else {
        Ok(())
    }
}

/// Where a site's sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// Not in the cloud: never connected.
    Off,
    /// Connected, nothing to do.
    Idle,
    /// Its first sync is running (it holds the lease).
    Uploading,
    /// The cloud holds changes the site has not pulled.
    Downloading,
    /// Conflicts of this site wait for a person.
    ConflictsPending,
    /// It cannot sync; the reason says why.
    Error,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Off => "off",
            SyncState::Idle => "idle",
            SyncState::Uploading => "uploading",
            SyncState::Downloading => "downloading",
            SyncState::ConflictsPending => "conflicts_pending",
            SyncState::Error => "error",
        }
    }
}

/// What the status is made of, as the server knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusFacts {
    /// The site has a cloud token (it exchanged its codes).
    pub connected: bool,
    /// Its cloud access, the lease or its clock refuse it (the caller knows which).
    pub refused: bool,
    pub holds_lease: bool,
    pub open_conflicts: u64,
    /// The newest version it may pull is past the cursor it last pulled to.
    pub behind: bool,
}

/// The one status the facts give, the more urgent first.
pub fn sync_state(f: StatusFacts) -> SyncState {
    if !f.connected {
        SyncState::Off
    } else if f.refused {
        SyncState::Error
    } else if f.holds_lease {
        SyncState::Uploading
    } else if f.open_conflicts > 0 {
        SyncState::ConflictsPending
    } else if f.behind {
        SyncState::Downloading
    } else {
        SyncState::Idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_minutes_either_way() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let off = |s: i64| clock_skew(now + SignedDuration::from_secs(s), now);
        assert!(off(300).is_ok() && off(-300).is_ok());
        let e = off(-301).unwrap_err();
        assert_eq!(e.skew.as_secs(), -301);
        assert!(e.to_string().contains("NTP"));
        assert!(off(3600).is_err());
    }

    #[test]
    fn the_more_urgent_state_wins() {
        let base = StatusFacts {
            connected: true,
            refused: false,
            holds_lease: false,
            open_conflicts: 0,
            behind: false,
        };
        assert_eq!(sync_state(base), SyncState::Idle);
        assert_eq!(
            sync_state(StatusFacts {
                behind: true,
                ..base
            }),
            SyncState::Downloading
        );
        let conflicts = StatusFacts {
            behind: true,
            open_conflicts: 2,
            ..base
        };
        assert_eq!(sync_state(conflicts), SyncState::ConflictsPending);
        assert_eq!(
            sync_state(StatusFacts {
                holds_lease: true,
                ..conflicts
            }),
            SyncState::Uploading
        );
        assert_eq!(
            sync_state(StatusFacts {
                refused: true,
                holds_lease: true,
                ..base
            }),
            SyncState::Error
        );
        assert_eq!(
            sync_state(StatusFacts {
                connected: false,
                ..base
            }),
            SyncState::Off
        );
    }
}
