//! Conflicts (G3) as the account's portal sees them: listed with both sides, settled by
//! someone holding `sync.conflicts.resolve` (a site user: its own site's only).

use serde_json::{Map, Value};
use tessera_api::{ConflictList, ConflictSide, ErrorCode, ResolveConflict, SyncConflict};
use tessera_core::sync::Keep;
use tessera_core::sync::collection::record_data;
use tessera_store::ConflictRecord;

use crate::actors::{Holds, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn side(record_id: &str, version: Option<i64>, data: Option<&Map<String, Value>>) -> ConflictSide {
    ConflictSide {
        record_id: record_id.to_owned(),
        version,
        data: data.map(|d| Value::Object(d.clone())),
        deleted: data.is_none(),
    }
}

pub fn to_api(c: &ConflictRecord) -> SyncConflict {
    SyncConflict {
        id: c.id,
        collection: c.collection.clone(),
        kind: c.kind.clone(),
        field: c.field.clone(),
        value: c.value.clone(),
        site_id: c.site_id.clone(),
        cloud: side(&c.record_id, c.cloud_version, c.cloud_data.as_ref()),
        site: side(
            &c.site_record_id,
            Some(c.base_version),
            c.site_data.as_ref(),
        ),
        created_at: c.created_at.to_string(),
        resolved_at: c.resolved_at.map(|t| t.to_string()),
        resolution: c.resolution.clone(),
        resolved_by: c.resolved_by.clone(),
        resolved_version: c.resolved_version,
    }
}

/// The conflicts the login may see: the account's, a site user's site's; open ones only
/// unless `all`.
pub async fn list(
    app: &AppState,
    me: &Holds<right::ResolveSyncConflicts, PortalUser>,
    all: bool,
) -> ApiResult<ConflictList> {
    let found = app.store.sync_conflicts(me.id, me.site(), !all).await?;
    Ok(ConflictList {
        conflicts: found.iter().map(to_api).collect(),
    })
}

/// Settles conflict `id`: keep the cloud's side, the site's, or the edited data.
pub async fn resolve(
    app: &AppState,
    me: &Holds<right::ResolveSyncConflicts, PortalUser>,
    id: i64,
    req: ResolveConflict,
) -> ApiResult<SyncConflict> {
    let keep = match (req.keep.trim(), req.data) {
        ("cloud", None) => Keep::Cloud,
        ("site", None) => Keep::Site,
        ("edit", Some(data)) => Keep::Edit(
            record_data(data).map_err(|e| ApiError::invalid(ErrorCode::from(&e), "data", e))?,
        ),
        _ => {
            return Err(ApiError::invalid(
                ErrorCode::KeepInvalid,
                "keep",
                ErrorCode::KeepInvalid.message(),
            ));
        }
    };
    let done = app
        .store
        .resolve_conflict(me.id, me.site(), id, keep, &me.actor(), app.clock.now())
        .await?;
    tracing::info!(account = me.id, conflict = id, keep = ?done.resolution, "sync conflict settled");
    Ok(to_api(&done))
}
