//! Request and response bodies of Tessera's HTTP API, shared by the server, the `tessera`
//! command line and the client library. The OpenAPI document is generated from these types.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod auth;
pub mod catalog;
pub mod cloud;
pub mod error;
pub mod error_code;
pub mod fleet;
pub mod keys;
pub mod license;
pub mod operations;
mod refusals;
pub mod releases;
mod schemas;
pub mod services;
pub mod signing;
pub mod sites;
pub mod sync;
pub mod users;
pub mod webhooks;

pub use accounts::*;
pub use auth::*;
pub use catalog::*;
pub use cloud::*;
pub use error::ErrorBody;
pub use error_code::ErrorCode;
pub use fleet::*;
pub use keys::*;
pub use license::{
    BatchProof, OfflineRequest, OfflineRequestFile, OfflineRequestKind, OfflineResponseFile,
    SignedDocument,
};
pub use operations::*;
pub use releases::*;
pub use services::*;
pub use signing::*;
pub use sites::*;
pub use sync::*;
pub use users::*;
pub use webhooks::*;
