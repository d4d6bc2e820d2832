/// Runs `$body` with `$db` bound to the backend's pool: the read pool or the single write
/// connection on SQLite (`read` / `write`), the one pool on PostgreSQL. The body is expanded
/// once per backend.
macro_rules! on_db {
    ($store:expr, read, $db:ident => $body:expr) => {
        match &$store.backend {
            crate::Backend::Sqlite { read, .. } => {
                let $db = read;
                $body
            }
            crate::Backend::Postgres(pool) => {
                let $db = pool;
                $body
            }
        }
    };
    ($store:expr, write, $db:ident => $body:expr) => {
        match &$store.backend {
            crate::Backend::Sqlite { write, .. } => {
                let $db = write;
                $body
            }
            crate::Backend::Postgres(pool) => {
                let $db = pool;
                $body
            }
        }
    };
}

/// Runs `$body` inside a write transaction bound to `$tx` (`&mut *$tx` is the executor) and
/// commits it; an early return or `?` drops the transaction, which rolls it back. SQLite
/// transactions begin IMMEDIATE so a read-then-write never fails to upgrade its lock.
macro_rules! in_tx {
    ($store:expr, $tx:ident => $body:expr) => {
        match &$store.backend {
            crate::Backend::Sqlite { write, .. } => {
                let mut $tx = write.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            crate::Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}
