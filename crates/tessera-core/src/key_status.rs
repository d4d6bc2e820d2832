//! The key lifecycle (A3): issued → registered → activated; any of them → revoked.
//! Registration, activation, upgrade and transfer come with the account issues; this module
//! holds the states and the transitions that exist so far.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Issued,
    Registered,
    Activated,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("the key is already revoked")]
    AlreadyRevoked,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Issued => "issued",
            KeyStatus::Registered => "registered",
            KeyStatus::Activated => "activated",
            KeyStatus::Revoked => "revoked",
        }
    }

    /// Revoking is allowed from every state but revoked.
    pub fn revoke(self) -> Result<KeyStatus, TransitionError> {
        match self {
            KeyStatus::Revoked => Err(TransitionError::AlreadyRevoked),
            _ => Ok(KeyStatus::Revoked),
        }
    }
}

impl fmt::Display for KeyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KeyStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "issued" => KeyStatus::Issued,
            "registered" => KeyStatus::Registered,
            "activated" => KeyStatus::Activated,
            "revoked" => KeyStatus::Revoked,
            other => return Err(format!("unknown key status '{other}'")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoke_once() {
        for s in [
            KeyStatus::Issued,
            KeyStatus::Registered,
            KeyStatus::Activated,
        ] {
            assert_eq!(s.revoke(), Ok(KeyStatus::Revoked));
            assert_eq!(s.as_str().parse::<KeyStatus>(), Ok(s));
        }
        assert_eq!(
            KeyStatus::Revoked.revoke(),
            Err(TransitionError::AlreadyRevoked)
        );
    }
}
