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

    pub async fn operator(&self, id: i64) -> Result<Option<OperatorRecord>> {
        Ok(on_db!(self, read, db => {
            sqlx::query_as::<_, OperatorRecord>(
                "SELECT id, username, password_hash FROM operators WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(db)
            .await?
        }))
    }
}
