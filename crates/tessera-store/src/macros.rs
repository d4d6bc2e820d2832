/// Runs one call of the shared SQL on the store's backend: `$call` is written once and
/// compiled once per backend, with `$db` bound to that backend's pools and `sql` naming that
/// backend's copy of the SQL modules. `on_backend!(self, |db| sql::users::user(db, id))`
/// awaits the call and gives its result. It is written like a closure so that rustfmt formats
/// the call; no closure is made.
macro_rules! on_backend {
    ($store:expr, |$db:ident| $call:expr) => {
        match &$store.backend {
            crate::backend::Backend::Sqlite($db) => {
                use crate::backend::sqlite::sql;
                $call.await
            }
            crate::backend::Backend::Postgres($db) => {
                use crate::backend::postgres::sql;
                $call.await
            }
        }
    };
}
