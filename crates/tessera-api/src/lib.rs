//! Request and response bodies of Tessera's HTTP API, shared by the server, the `tessera`
//! command line and the client library. The OpenAPI document is generated from these types.
#![forbid(unsafe_code)]

pub mod auth;
pub mod catalog;
pub mod error;
pub mod keys;
pub mod signing;

pub use auth::*;
pub use catalog::*;
pub use error::ErrorBody;
pub use keys::*;
pub use signing::*;
