//! Cloud data sync's JSON routes (G1–G6, E7; docs/sync.md); what they do is [`crate::sync`].
//! A site's client calls `/api/v1/cloud/sync/…` with its cloud token (the data check with
//! its site token: it runs before the cloud codes are exchanged); the account's portal
//! `/api/v1/account/sync/…`; operators declare collections in the catalog.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tessera_api::{
    CheckReport, CheckRequest, ClientTime, CollectionDecl, CollectionList, ConflictList,
    FirstSyncLease, PullPage, PushAnswer, PushRequest, ResolveConflict, SyncConflict, SyncStatus,
};
use utoipa::IntoParams;

use crate::actors::{CloudClient, Holds, Operator, PortalUser, SiteClient, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, bearer_token};
use crate::state::AppState;
use crate::sync::{self, collections, conflicts};

/// The collections a product's clients sync.
#[utoipa::path(get, path = "/api/v1/products/{code}/sync-collections", tag = "sync",
    params(("code" = String, Path)), security(("operator_token" = [])),
    responses(
        (status = 200, body = CollectionList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 404, description = "PRODUCT_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn list_collections(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<ApiJson<CollectionList>> {
    Ok(ApiJson(collections::of_product(&state, &code).await?))
}

/// Declare a collection of the product, or replace its declaration: its scope (`account`
/// or `site`), unique and required fields, web-user field. Once it holds records its scope
/// and unique fields are fixed (`COLLECTION_IN_USE`).
#[utoipa::path(post, path = "/api/v1/products/{code}/sync-collections", tag = "sync",
    params(("code" = String, Path)), request_body = CollectionDecl,
    security(("operator_token" = [])),
    responses(
        (status = 200, body = CollectionDecl),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 404, description = "PRODUCT_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "COLLECTION_IN_USE", body = tessera_api::ErrorBody),
        (status = 422, description = "COLLECTION_INVALID", body = tessera_api::ErrorBody),
    ))]
pub async fn declare_collection(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<CollectionDecl>,
) -> ApiResult<ApiJson<CollectionDecl>> {
    Ok(ApiJson(
        collections::declare(&state, &op, &code, &req).await?,
    ))
}

/// The collections this site's product syncs.
#[utoipa::path(get, path = "/api/v1/cloud/sync/collections", tag = "sync",
    security(("cloud_token" = [])),
    responses(
        (status = 200, body = CollectionList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "the site may not use the cloud now (the code says why)", body = tessera_api::ErrorBody),
    ))]
pub async fn site_collections(
    State(state): State<AppState>,
    CloudClient(site): CloudClient,
) -> ApiResult<ApiJson<CollectionList>> {
    Ok(ApiJson(sync::site_collections(&state, &site).await?))
}

/// Start this site's first sync (G2): the account's lease, renewed while uploading. Another
/// site holding it: `409 ANOTHER_SITE_SYNCING` with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/cloud/sync/first-sync/start", tag = "sync",
    request_body = ClientTime, security(("cloud_token" = [])),
    responses(
        (status = 200, body = FirstSyncLease),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 409, description = "ANOTHER_SITE_SYNCING (with Retry-After), CLOCK_MISMATCH", body = tessera_api::ErrorBody),
        (status = 422, description = "INVALID_TIMESTAMP", body = tessera_api::ErrorBody),
    ))]
pub async fn start(
    State(state): State<AppState>,
    CloudClient(site): CloudClient,
    ApiJson(req): ApiJson<ClientTime>,
) -> ApiResult<ApiJson<FirstSyncLease>> {
    sync::check_clock(&state, &req.client_time)?;
    Ok(ApiJson(sync::start(&state, &site).await?))
}

/// Renew this site's first-sync lease; lost (run out, or taken): `409 SYNC_LEASE_LOST`.
#[utoipa::path(post, path = "/api/v1/cloud/sync/first-sync/renew", tag = "sync",
    request_body = ClientTime, security(("cloud_token" = [])),
    responses(
        (status = 200, body = FirstSyncLease),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 409, description = "SYNC_LEASE_LOST, CLOCK_MISMATCH", body = tessera_api::ErrorBody),
        (status = 422, description = "INVALID_TIMESTAMP", body = tessera_api::ErrorBody),
    ))]
pub async fn renew(
    State(state): State<AppState>,
    CloudClient(site): CloudClient,
    ApiJson(req): ApiJson<ClientTime>,
) -> ApiResult<ApiJson<FirstSyncLease>> {
    sync::check_clock(&state, &req.client_time)?;
    Ok(ApiJson(sync::renew(&state, &site).await?))
}

/// Finish this site's first sync: the lease is released and the site syncs as usual from
/// now on. Open conflicts stay listed for the portal.
#[utoipa::path(post, path = "/api/v1/cloud/sync/first-sync/finish", tag = "sync",
    request_body = ClientTime, security(("cloud_token" = [])),
    responses(
        (status = 204, description = "finished"),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 409, description = "SYNC_LEASE_LOST, CLOCK_MISMATCH", body = tessera_api::ErrorBody),
        (status = 422, description = "INVALID_TIMESTAMP", body = tessera_api::ErrorBody),
    ))]
pub async fn finish(
    State(state): State<AppState>,
    CloudClient(site): CloudClient,
    ApiJson(req): ApiJson<ClientTime>,
) -> ApiResult<StatusCode> {
    sync::check_clock(&state, &req.client_time)?;
    sync::finish(&state, &site).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Push a batch of changes, applied in one transaction, each with its outcome (`applied`,
/// `unchanged`, `same_as`, `conflict`, `refused`). The same `batch_id` again gives the
/// first answer (`replayed: true`) and changes nothing. A site that has not finished a
/// first sync pushes only while it holds the lease.
#[utoipa::path(post, path = "/api/v1/cloud/sync/push", tag = "sync",
    request_body = PushRequest, security(("cloud_token" = [])),
    responses(
        (status = 200, body = PushAnswer),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 409, description = "ANOTHER_SITE_SYNCING (with Retry-After), FIRST_SYNC_REQUIRED, BATCH_ID_REUSED, CLOCK_MISMATCH", body = tessera_api::ErrorBody),
        (status = 422, description = "BATCH_ID_INVALID, TOO_MANY_CHANGES, RECORD_INVALID, INVALID_TIMESTAMP", body = tessera_api::ErrorBody),
    ))]
pub async fn push(
    State(state): State<AppState>,
    CloudClient(site): CloudClient,
    ApiJson(req): ApiJson<PushRequest>,
) -> ApiResult<ApiJson<PushAnswer>> {
    sync::check_clock(&state, &req.client_time)?;
    Ok(ApiJson(sync::push(&state, &site, &req).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The `next_cursor` of the previous page; 0 (the default) from the beginning.
    #[serde(default)]
    #[param(minimum = 0)]
    pub cursor: i64,
    /// 1–500, default 500.
    #[serde(default = "page")]
    #[param(minimum = 1, maximum = 500)]
    pub limit: u32,
    /// The client's time, RFC 3339.
    pub client_time: String,
}

fn page() -> u32 {
    sync::MAX_PAGE
}

/// The changes after `cursor` this site may see (the account's master data and its own
/// site data), oldest first: each record's latest version, data or tombstone. From 0, a
/// reinstalled site restores everything (G4); an offline one catches up (G6).
#[utoipa::path(get, path = "/api/v1/cloud/sync/pull", tag = "sync",
    params(PullQuery), security(("cloud_token" = [])),
    responses(
        (status = 200, body = PullPage),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, body = tessera_api::ErrorBody),
        (status = 409, description = "CLOCK_MISMATCH", body = tessera_api::ErrorBody),
        (status = 422, description = "CURSOR_INVALID, INVALID_LIMIT, INVALID_TIMESTAMP, INVALID_QUERY", body = tessera_api::ErrorBody),
    ))]
pub async fn pull(
    State(state): State<AppState>,
    CloudClient(site): CloudClient,
    ApiQuery(q): ApiQuery<PullQuery>,
) -> ApiResult<ApiJson<PullPage>> {
    sync::check_clock(&state, &q.client_time)?;
    Ok(ApiJson(sync::pull(&state, &site, q.cursor, q.limit).await?))
}

/// The data check before cloud activation (E7), as a dry run with the site's token: its
/// records against its product's collections (required fields, unique values) and the
/// account's cloud data; each offending record named. Nothing is stored.
#[utoipa::path(post, path = "/api/v1/site/sync/check", tag = "sync",
    request_body = CheckRequest, security(("site_token" = [])),
    responses(
        (status = 200, body = CheckReport),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 422, description = "TOO_MANY_CHANGES, RECORD_INVALID", body = tessera_api::ErrorBody),
    ))]
pub async fn check(
    State(state): State<AppState>,
    site: SiteClient,
    ApiJson(req): ApiJson<CheckRequest>,
) -> ApiResult<ApiJson<CheckReport>> {
    Ok(ApiJson(
        sync::check(&state, &site.site_id, site.account_id, &req).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// The client's time, RFC 3339: when more than 5 minutes off, the status is `error`
    /// with `CLOCK_MISMATCH`.
    pub client_time: Option<String>,
}

/// This site's sync status (G5): `off`, `idle`, `uploading`, `downloading`,
/// `conflicts_pending`, or `error` with the reason's code and message.
#[utoipa::path(get, path = "/api/v1/cloud/sync/status", tag = "sync",
    params(StatusQuery), security(("cloud_token" = [])),
    responses(
        (status = 200, body = SyncStatus),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 422, description = "INVALID_TIMESTAMP", body = tessera_api::ErrorBody),
    ))]
pub async fn status(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> ApiResult<ApiJson<SyncStatus>> {
    let token = bearer_token(&headers).ok_or(ApiError::Unauthenticated)?;
    Ok(ApiJson(
        sync::status(&state, token, q.client_time.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConflictQuery {
    /// Settled ones too (default: open only).
    #[serde(default)]
    pub all: bool,
}

/// The account's sync conflicts (a site user: its site's), oldest first, with both sides.
/// Needs `sync.conflicts.resolve`.
#[utoipa::path(get, path = "/api/v1/account/sync/conflicts", tag = "sync",
    params(ConflictQuery), security(("account_token" = [])),
    responses(
        (status = 200, body = ConflictList),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED", body = tessera_api::ErrorBody),
    ))]
pub async fn list_conflicts(
    State(state): State<AppState>,
    me: Holds<right::ResolveSyncConflicts, PortalUser>,
    ApiQuery(q): ApiQuery<ConflictQuery>,
) -> ApiResult<ApiJson<ConflictList>> {
    Ok(ApiJson(conflicts::list(&state, &me, q.all).await?))
}

/// Settle a conflict (G3): `keep` `cloud`, `site`, or `edit` with `data`. The decision is
/// written as a new version every site pulls (for two records with one identifier, the
/// site's record id gets a tombstone). Needs `sync.conflicts.resolve`.
#[utoipa::path(post, path = "/api/v1/account/sync/conflicts/{id}/resolve", tag = "sync",
    params(("id" = i64, Path)), request_body = ResolveConflict,
    security(("account_token" = [])),
    responses(
        (status = 200, body = SyncConflict),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED", body = tessera_api::ErrorBody),
        (status = 404, description = "CONFLICT_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "CONFLICT_RESOLVED, UNIQUE_VALUE_TAKEN", body = tessera_api::ErrorBody),
        (status = 422, description = "KEEP_INVALID, RECORD_INVALID, REQUIRED_FIELD_MISSING", body = tessera_api::ErrorBody),
    ))]
pub async fn resolve_conflict(
    State(state): State<AppState>,
    me: Holds<right::ResolveSyncConflicts, PortalUser>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ResolveConflict>,
) -> ApiResult<ApiJson<SyncConflict>> {
    Ok(ApiJson(conflicts::resolve(&state, &me, id, req).await?))
}
