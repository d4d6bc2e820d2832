//! Product keys as use cases: batches ordered, filled and exported (A2), and single keys
//! looked up, revoked, moved to another edition, with their history (A3, E6). The JSON
//! routes are routes/batches.rs and routes/keys.rs.

pub mod batches;
pub mod import;

use tessera_api::{AuditEntry, ErrorCode, KeyHistory};
use tessera_core::ProductKey;
use tessera_store::KeyRecord;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The key a person typed in `field`: one Tessera issues, checked by its check symbol before
/// any look-up; or, when it is not one, a key imported in an earlier system's spelling that
/// Tessera holds (X5). Anything else is refused as a mistyped Tessera key would be, so the
/// answer says nothing more about which keys exist than a look-up does.
pub async fn typed_key(app: &AppState, field: &str, input: &str) -> ApiResult<ProductKey> {
    let native = match ProductKey::parse(input) {
        Ok(key) => return Ok(key),
        Err(e) => e,
    };
    if let Ok(key) = ProductKey::any_format(input) {
        match app.store.key(&key).await {
            Ok(_) => return Ok(key),
            Err(tessera_store::StoreError::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::invalid((&native).into(), field, native))
}

/// The key `key` (with or without dashes, any case) as it stands (A3).
pub async fn key(app: &AppState, _op: &Operator, key: &str) -> ApiResult<KeyRecord> {
    let key = typed_key(app, "key", key).await?;
    Ok(app.store.key(&key).await?)
}

/// Revokes the key `key` for `reason`, which its history keeps (A3).
pub async fn revoke(
    app: &AppState,
    op: &Operator,
    key: &str,
    reason: &str,
) -> ApiResult<KeyRecord> {
    let key = typed_key(app, "key", key).await?;
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
    let key = typed_key(app, "key", key).await?;
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
    let key = typed_key(app, "key", key).await?;
    Ok(app.store.key_installation(&key).await?)
}

/// Everything that happened to the key `key`, oldest first, with who and when (A3).
pub async fn history(app: &AppState, _op: &Operator, key: &str) -> ApiResult<KeyHistory> {
    let key = typed_key(app, "key", key).await?;
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
