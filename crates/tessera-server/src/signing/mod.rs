//! Signing (C3, D5, D6): the vendor's Ed25519 keys (keyring.rs: load, create, rotate, retire,
//! shared through the database on PostgreSQL), the documents they sign (documents.rs: the
//! license an activation returns, the payload of a validation response) and the batch signer
//! (batch.rs: where validation responses are signed, many under one signature over a Merkle
//! root).

pub mod batch;
pub mod documents;
mod keyring;
pub mod keys;

pub use keyring::*;
