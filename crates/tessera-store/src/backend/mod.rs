//! The two backends. Each of `sqlite` and `postgres` compiles the shared SQL modules
//! (`src/sql/`) once against its own driver and defines, in one place, what differs: its
//! pools and how a write transaction begins, the row-lock clauses, and how a change is
//! announced to other instances.

pub(crate) mod postgres;
pub(crate) mod sqlite;

/// The open database of a [`crate::Store`].
#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite(sqlite::Pools),
    Postgres(postgres::Pools),
}
