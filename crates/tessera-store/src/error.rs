use tessera_api::ErrorCode;

/// What can go wrong in storage. A missing row is `NotFound`, never confused with a failed
/// query; unique-constraint violations become `Conflict` so callers can answer 409.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A rule or constraint refused the change; the code names which (`PRODUCT_EXISTS`).
    #[error("conflict: {0}")]
    Conflict(ErrorCode),
    /// A unique constraint refused the change; callers turn it into a specific `Conflict`.
    /// A rule refused the change and says why in words as well (`EDITION_MISMATCH`).
    #[error("{code}: {message}")]
    Refused { code: ErrorCode, message: String },
    #[error("duplicate: {0}")]
    Duplicate(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// No connection to the database came free, nor could a new one be opened, while the
    /// caller waited: all were in use, or the database accepted none (down, starting, at its
    /// `max_connections`). The call may succeed a moment later.
    #[error(
        "no database connection within the pool's wait (all in use, or the database accepted none)"
    )]
    NoConnection,
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// One failure of a statement that wrote for several callers, given to each.
    #[error("{0}")]
    Shared(std::sync::Arc<StoreError>),
}

impl StoreError {
    /// A domain rule's refusal, with its code and its own words.
    pub(crate) fn refused<E>(e: &E) -> StoreError
    where
        E: std::fmt::Display,
        for<'a> ErrorCode: From<&'a E>,
    {
        StoreError::Refused {
            code: ErrorCode::from(e),
            message: e.to_string(),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Duplicate(db.message().to_owned());
        }
        if let sqlx::Error::PoolTimedOut = e {
            return StoreError::NoConnection;
        }
        StoreError::Database(e)
    }
}

/// Turns a unique-constraint violation into the conflict code the caller knows it means.
pub(crate) fn duplicate_as(code: ErrorCode) -> impl Fn(StoreError) -> StoreError {
    move |e| match e {
        StoreError::Duplicate(_) => StoreError::Conflict(code),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::StoreError;

    #[test]
    fn a_wait_for_a_connection_that_ran_out_is_told_apart() {
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::NoConnection
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolClosed),
            StoreError::Database(_)
        ));
    }
}
