//! Bearer-token sessions of operators, customer accounts and their users: stored under the
//! SHA-256 of the token (the token itself is never stored), refused once expired.

use jiff::Timestamp;

use crate::{Result, Store};

/// Whose session: each kind has its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Operator,
    /// An account's superadmin (the account's own login).
    Account,
    /// One of an account's users (F5).
    User,
    /// A user of one site, signed in with the site code (H1).
    SiteUser,
}

impl SessionKind {
    pub const ALL: [SessionKind; 4] = [
        SessionKind::Operator,
        SessionKind::Account,
        SessionKind::User,
        SessionKind::SiteUser,
    ];

    pub(crate) fn insert_sql(self) -> &'static str {
        match self {
            SessionKind::Operator => {
                "INSERT INTO operator_sessions (token_hash, operator_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)"
            }
            SessionKind::Account => {
                "INSERT INTO account_sessions (token_hash, account_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)"
            }
            SessionKind::User => {
                "INSERT INTO user_sessions (token_hash, user_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)"
            }
            SessionKind::SiteUser => {
                "INSERT INTO site_user_sessions (token_hash, site_user_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)"
            }
        }
    }

    pub(crate) fn lookup_sql(self) -> &'static str {
        match self {
            SessionKind::Operator => {
                "SELECT operator_id FROM operator_sessions \
                 WHERE token_hash = $1 AND expires_at > $2"
            }
            SessionKind::Account => {
                "SELECT account_id FROM account_sessions WHERE token_hash = $1 AND expires_at > $2"
            }
            SessionKind::User => {
                "SELECT user_id FROM user_sessions WHERE token_hash = $1 AND expires_at > $2"
            }
            SessionKind::SiteUser => {
                "SELECT site_user_id FROM site_user_sessions \
                 WHERE token_hash = $1 AND expires_at > $2"
            }
        }
    }

    pub(crate) fn delete_sql(self) -> &'static str {
        match self {
            SessionKind::Operator => "DELETE FROM operator_sessions WHERE token_hash = $1",
            SessionKind::Account => "DELETE FROM account_sessions WHERE token_hash = $1",
            SessionKind::User => "DELETE FROM user_sessions WHERE token_hash = $1",
            SessionKind::SiteUser => "DELETE FROM site_user_sessions WHERE token_hash = $1",
        }
    }

    pub(crate) fn purge_sql(self) -> &'static str {
        match self {
            SessionKind::Operator => "DELETE FROM operator_sessions WHERE expires_at <= $1",
            SessionKind::Account => "DELETE FROM account_sessions WHERE expires_at <= $1",
            SessionKind::User => "DELETE FROM user_sessions WHERE expires_at <= $1",
            SessionKind::SiteUser => "DELETE FROM site_user_sessions WHERE expires_at <= $1",
        }
    }
}

impl Store {
    #[tracing::instrument(level = "debug", skip_all, fields(?kind, principal_id = principal_id))]
    pub async fn create_session(
        &self,
        kind: SessionKind,
        principal_id: i64,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::sessions::create_session(
            db,
            kind,
            principal_id,
            token_hash,
            now,
            expires_at,
        ))
    }

    /// The operator or account id a live session belongs to; None for an unknown or expired
    /// token.
    #[tracing::instrument(level = "debug", skip_all, fields(?kind))]
    pub async fn session_principal(
        &self,
        kind: SessionKind,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<i64>> {
        on_backend!(self, |db| sql::sessions::session_principal(
            db, kind, token_hash, now
        ))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(?kind))]
    pub async fn delete_session(&self, kind: SessionKind, token_hash: &str) -> Result<()> {
        on_backend!(self, |db| sql::sessions::delete_session(
            db, kind, token_hash
        ))
    }

    /// Drops sessions that expired before `now`.
    #[tracing::instrument(level = "debug", skip_all, fields(?kind))]
    pub async fn purge_expired_sessions(&self, kind: SessionKind, now: Timestamp) -> Result<u64> {
        on_backend!(self, |db| sql::sessions::purge_expired_sessions(
            db, kind, now
        ))
    }
}
