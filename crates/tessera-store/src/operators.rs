//! Operator accounts (vendor staff) and their bearer-token sessions.

use jiff::Timestamp;

use crate::{Result, Store};

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
    #[tracing::instrument(level = "debug", skip_all, fields(username = username))]
    pub async fn create_operator_if_absent(
        &self,
        username: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<bool> {
        on_backend!(self, |db| sql::operators::create_operator_if_absent(
            db,
            username,
            password_hash,
            now,
        ))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(username = username))]
    pub async fn operator_by_username(&self, username: &str) -> Result<Option<OperatorRecord>> {
        on_backend!(self, |db| sql::operators::operator_by_username(
            db, username
        ))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = id))]
    pub async fn operator(&self, id: i64) -> Result<Option<OperatorRecord>> {
        on_backend!(self, |db| sql::operators::operator(db, id))
    }
}
