//! Operator accounts (vendor staff) and their bearer-token sessions.

use jiff::Timestamp;

use crate::{Result, Store, to_micros};

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OperatorRecord {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
}

/// The password hash stays out of debug output.
impl std::fmt::Debug for OperatorRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Creates the operator unless one of that name exists; true if this call created it.
    /// Safe when several instances bootstrap the same database at once.
    pub async fn create_operator_if_absent(
        &self,
        username: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let done = in_tx!(self, tx => {
            let inserted = sqlx::query(
                "INSERT INTO operators (username, password_hash, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (username) DO NOTHING",
            )
            .bind(username)
            .bind(password_hash)
            .bind(to_micros(now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if inserted {
                crate::audit::audit!(tx, now, tessera_core::Actor::System, "operator.created",
                    "operator", username, None::<String>);
            }
            inserted
        });
        Ok(done)
    }

    pub async fn operator_by_username(&self, username: &str) -> Result<Option<OperatorRecord>> {
        Ok(on_db!(self, read, db => {
            sqlx::query_as::<_, OperatorRecord>(
                "SELECT id, username, password_hash FROM operators WHERE username = $1",
            )
            .bind(username)
            .fetch_optional(db)
            .await?
        }))
    }

    /// Stores a session under the SHA-256 of its token (the token itself is never stored).
    pub async fn create_operator_session(
        &self,
        operator_id: i64,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_db!(self, write, db => {
            sqlx::query(
                "INSERT INTO operator_sessions (token_hash, operator_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(operator_id)
            .bind(to_micros(now))
            .bind(to_micros(expires_at))
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// The operator a live session belongs to; None for an unknown or expired token.
    pub async fn operator_for_session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<OperatorRecord>> {
        Ok(on_db!(self, read, db => {
            sqlx::query_as::<_, OperatorRecord>(
                "SELECT o.id, o.username, o.password_hash FROM operator_sessions s \
                 JOIN operators o ON o.id = s.operator_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2",
            )
            .bind(token_hash)
            .bind(to_micros(now))
            .fetch_optional(db)
            .await?
        }))
    }

    pub async fn delete_operator_session(&self, token_hash: &str) -> Result<()> {
        on_db!(self, write, db => {
            sqlx::query("DELETE FROM operator_sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(db)
                .await?;
        });
        Ok(())
    }

    /// Drops sessions that expired before `now`.
    pub async fn purge_expired_operator_sessions(&self, now: Timestamp) -> Result<u64> {
        Ok(on_db!(self, write, db => {
            sqlx::query("DELETE FROM operator_sessions WHERE expires_at <= $1")
                .bind(to_micros(now))
                .execute(db)
                .await?
                .rows_affected()
        }))
    }
}
