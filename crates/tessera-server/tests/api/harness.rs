//! The server's tests use the shared harness of `tessera-testkit`: `spawn_app(backend,
//! configure)`, a real server on 127.0.0.1:0 with a fresh database, an SMTP sink and a
//! settable clock.

pub use tessera_testkit::app::*;
pub(crate) use tessera_testkit::both_backends;
