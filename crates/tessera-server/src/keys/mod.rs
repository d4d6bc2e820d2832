//! Product keys as use cases: batches ordered, filled and exported (A2), and single keys
//! looked up, revoked, moved to another edition, with their history (A3, E6). The JSON
//! routes are routes/batches.rs and routes/keys.rs.

pub mod batches;

use tessera_api::{AuditEntry, ErrorCode, KeyHistory};
use tessera_core::ProductKey;
use tessera_store::KeyRecord;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn parse_key(s: &str) -> ApiResult<ProductKey> {
    crate::forms::product_key("key", s)
}

/// The key `key` (with or without dashes, any case) as it stands (A3).
pub async fn key(app: &AppState, _op: &Operator, key: &str) -> ApiResult<KeyRecord> {
    let key = parse_key(key)?;
    Ok(app.store.key(&key).await?)
}

/// Revokes the key `key` for `reason`, which its history keeps (A3).
pub async fn revoke(
    app: &AppState,
    op: &Operator,
    key: &str,
    reason: &str,
) -> ApiResult<KeyRecord> {
    let key = parse_key(key)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(ApiError::invalid(
            ErrorCode::InvalidReason,
            "reason",
            "give a reason of 1 to 1000 characters",
        ));
    }
    Ok(app
        .store
        .revoke_key(&key, reason, &op.actor(), app.clock.now())
        .await?)
}

/// Moves the key `key` to another `edition` of its product, an upgrade (E6: a site enabled
/// in a cloud subscription of the old edition then shows the license mismatch).
pub async fn change_edition(
    app: &AppState,
    op: &Operator,
    key: &str,
    edition: &str,
) -> ApiResult<KeyRecord> {
    let key = parse_key(key)?;
    Ok(app
        .store
        .change_key_edition(&key, edition.trim(), &op.actor(), app.clock.now())
        .await?)
}

/// The account and installation (site id) the key `key` is registered as, if any.
pub async fn installation(
    app: &AppState,
    _op: &Operator,
    key: &str,
) -> ApiResult<Option<(i64, String)>> {
    let key = parse_key(key)?;
    Ok(app.store.key_installation(&key).await?)
}

/// Everything that happened to the key `key`, oldest first, with who and when (A3).
pub async fn history(app: &AppState, _op: &Operator, key: &str) -> ApiResult<KeyHistory> {
    let key = parse_key(key)?;
    let events = app
        .store
        .key_history(&key)
        .await?
        .into_iter()
        .map(|a| AuditEntry {
            at: a.at.to_string(),
            actor: a.actor,
            action: a.action,
            detail: a.detail,
        })
        .collect();
    Ok(KeyHistory {
        key: key.to_string(),
        events,
    })
}
