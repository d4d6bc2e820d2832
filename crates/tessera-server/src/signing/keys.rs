//! The signing keys as operators keep them (C3): listed, rotated (a new key signs from now
//! on; the old ones still verify), retired (verifiers stop trusting what a key signed). The
//! JSON routes are routes/signing_keys.rs and routes/public_keys.rs; the operator console's
//! page calls the same functions.

use tessera_api::{ErrorCode, PublicKeyInfo};

use super::KeyringError;
use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

impl From<KeyringError> for ApiError {
    fn from(e: KeyringError) -> Self {
        match e {
            KeyringError::NotFound(_) => {
                ApiError::refused(ErrorCode::SigningKeyNotFound, e.to_string())
            }
            KeyringError::AlreadyRetired(_) => {
                ApiError::refused(ErrorCode::SigningKeyRetired, e.to_string())
            }
            KeyringError::Active(_) => {
                ApiError::refused(ErrorCode::SigningKeyActive, e.to_string())
            }
            KeyringError::Other(e) => ApiError::Internal(e),
        }
    }
}

/// Every signing key's public half, as clients and verifiers fetch them.
pub async fn public_keys(app: &AppState) -> ApiResult<Vec<PublicKeyInfo>> {
    let keys = app.keyring.fresh(&app.store).await?;
    Ok(keys.public_keys())
}

/// Makes a new key the one documents are signed with.
pub async fn rotate(app: &AppState, op: &Operator) -> ApiResult<PublicKeyInfo> {
    let key = app
        .keyring
        .rotate(&app.store, &op.actor(), app.clock.now())
        .await?;
    tracing::info!(key_id = %key.key_id, operator = %op.username, "signing key rotated");
    Ok(key)
}

/// Retires the key `key_id` (never the active one): what it signed is no longer trusted.
pub async fn retire(app: &AppState, op: &Operator, key_id: &str) -> ApiResult<PublicKeyInfo> {
    let key = app
        .keyring
        .retire(&app.store, key_id, &op.actor(), app.clock.now())
        .await?;
    tracing::info!(key_id = %key.key_id, operator = %op.username, "signing key retired");
    Ok(key)
}
