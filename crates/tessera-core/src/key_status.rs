//! The key lifecycle (A3): issued → registered (to an account) → activated (bound to a
//! machine) → registered again when deactivated; any of them → revoked.

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
    /// Registering needs a fresh key; activating needs a registered one. Callers answer with
    /// one "invalid key" error so nobody learns which keys exist.
    #[error("the key is {0} and cannot do that")]
    Unavailable(KeyStatus),
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

    /// An issued key is registered to an account.
    pub fn register(self) -> Result<KeyStatus, TransitionError> {
        match self {
            KeyStatus::Issued => Ok(KeyStatus::Registered),
            other => Err(TransitionError::Unavailable(other)),
        }
    }

    /// A registered key (or an activated one, again or on another machine) is activated.
    pub fn activate(self) -> Result<KeyStatus, TransitionError> {
        match self {
            KeyStatus::Registered | KeyStatus::Activated => Ok(KeyStatus::Activated),
            other => Err(TransitionError::Unavailable(other)),
        }
    }

    /// Deactivation releases the machine; the key stays with its account.
    pub fn deactivate(self) -> Result<KeyStatus, TransitionError> {
        match self {
            KeyStatus::Activated | KeyStatus::Registered => Ok(KeyStatus::Registered),
            other => Err(TransitionError::Unavailable(other)),
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

    #[test]
    fn register_activate_deactivate() {
        use KeyStatus::*;
        assert_eq!(Issued.register(), Ok(Registered));
        assert_eq!(
            Registered.register(),
            Err(TransitionError::Unavailable(Registered))
        );
        assert_eq!(
            Revoked.register(),
            Err(TransitionError::Unavailable(Revoked))
        );
        assert_eq!(Issued.activate(), Err(TransitionError::Unavailable(Issued)));
        assert_eq!(Registered.activate(), Ok(Activated));
        assert_eq!(Activated.activate(), Ok(Activated));
        assert_eq!(
            Revoked.activate(),
            Err(TransitionError::Unavailable(Revoked))
        );
        assert_eq!(Activated.deactivate(), Ok(Registered));
        assert_eq!(
            Revoked.deactivate(),
            Err(TransitionError::Unavailable(Revoked))
        );
    }
}
