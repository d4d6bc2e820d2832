//! Cloud data sync (G1–G6, E7; docs/sync.md) as use cases. A site's client, by its cloud
//! token: its collections, the exclusive first sync (a lease), push, pull, the dry-run data
//! check, its status. The account's portal: conflicts (`conflicts`). Operators: the
//! collections a product declares (`collections`). The rules are `tessera_core::sync`; the
//! JSON routes are routes/sync.rs.

pub mod collections;
pub mod conflicts;

use serde_json::Value;
use tessera_api::{
    CheckFinding, CheckReport, CheckRequest, CollectionList, ErrorCode, FirstSyncLease, PullPage,
    PulledRecord, PushAnswer, PushRequest, SyncStatus,
};
use tessera_core::clock::parse_instant;
use tessera_core::sync::collection::record_data;
use tessera_core::sync::{
    AnotherSiteSyncing, Candidate, Change, Lease, RecordId, Scope, StatusFacts, check_data,
    clock_skew, sync_state,
};
use tessera_store::{CloudAccess, PushChangeIn, PushIn, PushResult};

use crate::error::{ApiError, ApiResult};
use crate::extract::token_hash;
use crate::state::AppState;

/// At most this many changes in a push, records in a data check, records in a pull page.
pub const MAX_CHANGES: usize = 500;
pub const MAX_CHECKED: usize = 5000;
pub const MAX_PAGE: u32 = 500;

/// The client's time, refused when more than 5 minutes off the server's (D4, G5).
pub fn check_clock(app: &AppState, client_time: &str) -> ApiResult<()> {
    let client = parse_instant(client_time.trim())
        .map_err(|e| ApiError::invalid(ErrorCode::InvalidTimestamp, "client_time", e))?;
    clock_skew(client, app.clock.now()).map_err(|e| ApiError::refused(ErrorCode::from(&e), e))
}

fn busy(app: &AppState, e: &AnotherSiteSyncing) -> ApiError {
    ApiError::Busy {
        code: ErrorCode::from(e),
        message: e.to_string(),
        retry_after_secs: e.retry_after_secs(app.clock.now()),
    }
}

fn lease_lost(e: tessera_core::sync::LeaseLost) -> ApiError {
    ApiError::refused(ErrorCode::from(&e), e)
}

fn to_lease(l: &Lease, latest_version: i64) -> FirstSyncLease {
    FirstSyncLease {
        site_id: l.site.clone(),
        started_at: l.started_at.to_string(),
        expires_at: l.expires_at.to_string(),
        latest_version,
    }
}

/// The collections of the site's product, for its client.
pub async fn site_collections(app: &AppState, site: &CloudAccess) -> ApiResult<CollectionList> {
    let found = app.store.site_collections(&site.site_id).await?;
    let product = app.store.site_product(&site.site_id).await?;
    Ok(collections::list(&product, &found))
}

/// The site starts its first sync (G2): the lease, or `ANOTHER_SITE_SYNCING` with when to
/// retry.
pub async fn start(app: &AppState, site: &CloudAccess) -> ApiResult<FirstSyncLease> {
    let now = app.clock.now();
    match app
        .store
        .start_first_sync(site.account_id, &site.site_id, now)
        .await?
    {
        Ok((lease, latest)) => {
            tracing::info!(site = %site.site_id, "first sync started");
            Ok(to_lease(&lease, latest))
        }
        Err(e) => Err(busy(app, &e)),
    }
}

pub async fn renew(app: &AppState, site: &CloudAccess) -> ApiResult<FirstSyncLease> {
    let now = app.clock.now();
    let lease = app
        .store
        .renew_first_sync(site.account_id, &site.site_id, now)
        .await?
        .map_err(lease_lost)?;
    let state = app
        .store
        .site_sync_state(site.account_id, &site.site_id)
        .await?;
    Ok(to_lease(&lease, state.latest_version))
}

pub async fn finish(app: &AppState, site: &CloudAccess) -> ApiResult<()> {
    let now = app.clock.now();
    app.store
        .finish_first_sync(site.account_id, &site.site_id, now)
        .await?
        .map_err(lease_lost)?;
    tracing::info!(site = %site.site_id, "first sync finished");
    Ok(())
}

/// A batch of changes (G3, G6): parsed, then applied in one transaction; the same batch id
/// again gives the first answer.
pub async fn push(app: &AppState, site: &CloudAccess, req: &PushRequest) -> ApiResult<PushAnswer> {
    let batch_id = req.batch_id.trim();
    if batch_id.is_empty() || batch_id.chars().count() > 128 {
        let code = ErrorCode::BatchIdInvalid;
        return Err(ApiError::invalid(code, "batch_id", code.message()));
    }
    if req.changes.is_empty() || req.changes.len() > MAX_CHANGES {
        let message = format!("a push holds 1 to {MAX_CHANGES} changes");
        return Err(ApiError::invalid(
            ErrorCode::TooManyChanges,
            "changes",
            message,
        ));
    }
    let changes = req
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| parse_change(i, c))
        .collect::<ApiResult<Vec<_>>>()?;
    let hash = token_hash(&serde_json::to_string(&req.changes).unwrap_or_default());
    let push = PushIn {
        account_id: site.account_id,
        site_id: &site.site_id,
        batch_id,
        request_hash: &hash,
        changes: &changes,
    };
    match app.store.push_changes(&push, app.clock.now()).await? {
        PushResult::Done(answer) => Ok(answer),
        PushResult::Busy(e) => Err(busy(app, &e)),
        PushResult::FirstSyncRequired => Err(ErrorCode::FirstSyncRequired.into()),
        PushResult::BatchIdReused => Err(ApiError::invalid(
            ErrorCode::BatchIdReused,
            "batch_id",
            ErrorCode::BatchIdReused.message(),
        )),
    }
}

fn parse_change(i: usize, c: &tessera_api::PushChange) -> ApiResult<PushChangeIn> {
    let field = |name: &str| format!("changes[{i}].{name}");
    let invalid = |name: &str, why: &dyn std::fmt::Display| {
        ApiError::invalid(ErrorCode::RecordInvalid, &field(name), why)
    };
    let id = RecordId::parse(&c.id).map_err(|e| invalid("id", &e))?;
    if c.base_version < 0 {
        return Err(invalid("base_version", &"a version is 0 or more"));
    }
    let change = match (&c.data, c.deleted) {
        (None, true) => Change::Delete,
        (Some(data), false) => {
            Change::Upsert(record_data(data.clone()).map_err(|e| invalid("data", &e))?)
        }
        _ => return Err(invalid("data", &"send the record's data, or deleted: true")),
    };
    Ok(PushChangeIn {
        collection: c.collection.trim().to_owned(),
        id,
        base_version: c.base_version,
        change,
    })
}

/// The changes after `cursor` the site may see, oldest first (G4, G6).
pub async fn pull(
    app: &AppState,
    site: &CloudAccess,
    cursor: i64,
    limit: u32,
) -> ApiResult<PullPage> {
    if cursor < 0 {
        let code = ErrorCode::CursorInvalid;
        return Err(ApiError::invalid(code, "cursor", code.message()));
    }
    if !(1..=MAX_PAGE).contains(&limit) {
        let code = ErrorCode::InvalidLimit;
        return Err(ApiError::invalid(code, "limit", code.message()));
    }
    let page = app
        .store
        .pull_changes(
            site.account_id,
            &site.site_id,
            cursor,
            limit,
            app.clock.now(),
        )
        .await?;
    Ok(PullPage {
        records: page
            .records
            .into_iter()
            .map(|r| PulledRecord {
                collection: r.collection,
                id: r.record_id,
                version: r.version,
                deleted: r.data.is_none(),
                data: r.data.map(Value::Object),
                origin_site: r.origin_site,
            })
            .collect(),
        next_cursor: page.next_cursor,
        more: page.more,
    })
}

/// The data check before activation (E7), as a dry run: the site's records against its
/// product's collections and the account's cloud data. Nothing is stored.
pub async fn check(
    app: &AppState,
    site_id: &str,
    account_id: i64,
    req: &CheckRequest,
) -> ApiResult<CheckReport> {
    if req.records.len() > MAX_CHECKED {
        let message = format!("at most {MAX_CHECKED} records a call");
        return Err(ApiError::invalid(
            ErrorCode::TooManyChanges,
            "records",
            message,
        ));
    }
    let mut datas = Vec::with_capacity(req.records.len());
    for (i, r) in req.records.iter().enumerate() {
        let data = record_data(r.data.clone()).map_err(|e| {
            ApiError::invalid(ErrorCode::RecordInvalid, &format!("records[{i}].data"), e)
        })?;
        datas.push(data);
    }
    let declared = app.store.site_collections(site_id).await?;
    let candidates: Vec<Candidate<'_>> = req
        .records
        .iter()
        .zip(&datas)
        .map(|(r, data)| Candidate {
            collection: r.collection.trim(),
            id: &r.id,
            data,
        })
        .collect();
    let mut keys = Vec::new();
    for c in &candidates {
        let Some(d) = declared
            .iter()
            .find(|d| d.collection.name.as_str() == c.collection)
        else {
            continue;
        };
        if d.collection.scope == Scope::Account {
            for (field, value) in d.collection.unique_keys(c.data) {
                keys.push((d.id, c.collection.to_owned(), field.to_string(), value));
            }
        }
    }
    keys.sort();
    keys.dedup();
    let cloud = app.store.sync_key_holders(account_id, &keys).await?;
    let decls: Vec<_> = declared.into_iter().map(|d| d.collection).collect();
    let findings: Vec<CheckFinding> = check_data(&decls, &candidates, &cloud)
        .into_iter()
        .map(CheckFinding::from)
        .collect();
    Ok(CheckReport {
        ok: findings.is_empty(),
        findings,
    })
}

/// The site's sync status (G5). An unknown token is 401; a site that may not sync now is
/// `error` with the reason, as is another site's first sync while this one has not done
/// its own, or a clock (when given) more than 5 minutes off.
pub async fn status(
    app: &AppState,
    token: &str,
    client_time: Option<&str>,
) -> ApiResult<SyncStatus> {
    let site = app
        .store
        .cloud_access(&token_hash(token))
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let now = app.clock.now();
    let state = app
        .store
        .site_sync_state(site.account_id, &site.site_id)
        .await?;
    let first_synced = state.first_synced_at.is_some();
    let lease = state.lease.as_ref().filter(|l| l.live(now));
    let mut reason: Option<(ErrorCode, String, Option<u64>)> = site
        .refusal(now)
        .map(|code| (code, code.message().to_owned(), None));
    if reason.is_none()
        && let Some(time) = client_time
        && let Err(e) = check_clock(app, time)
    {
        reason = Some((e.code(), e.to_string(), None));
    }
    if reason.is_none()
        && let Some(l) = lease.filter(|l| l.site != site.site_id && !first_synced)
    {
        let busy = AnotherSiteSyncing {
            holder: l.site.clone(),
            retry_at: l.expires_at,
        };
        let code = ErrorCode::from(&busy);
        reason = Some((code, busy.to_string(), Some(busy.retry_after_secs(now))));
    }
    let sync = sync_state(StatusFacts {
        connected: true,
        refused: reason.is_some(),
        holds_lease: lease.is_some_and(|l| l.site == site.site_id),
        open_conflicts: state.open_conflicts,
        behind: state.latest_version > state.pulled_to,
    });
    Ok(SyncStatus {
        site_id: site.site_id.clone(),
        state: sync.as_str().to_owned(),
        reason: reason.as_ref().map(|r| r.0.as_str().to_owned()),
        message: reason.as_ref().map(|r| r.1.clone()),
        retry_after_secs: reason.and_then(|r| r.2),
        first_synced,
        lease_site: lease.map(|l| l.site.clone()),
        open_conflicts: state.open_conflicts,
        pulled_to: state.pulled_to,
        latest_version: state.latest_version,
    })
}
