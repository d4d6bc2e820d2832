//! Releases (X6): operators publish a product's releases and set its minimum supported
//! version; an account lists what its licences may download.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{
    Downloads, NewRelease, Release, ReleaseList, SetCloudMinimumVersion, SetMinimumVersion,
    WithdrawRelease,
};
use tessera_core::release::Minimum;

use crate::actors::{Operator, PortalUser};
use crate::catalog::releases;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;

/// Publish a release of the product: its semantic version, channel, notes, download URL and
/// SHA-256, the editions it is for.
#[utoipa::path(post, path = "/api/v1/products/{product}/releases", tag = "catalog",
    security(("operator_token" = [])), request_body = NewRelease,
    params(("product" = String, Path, description = "product code")),
    responses((status = 201, body = Release),
        (status = 404, description = "PRODUCT_NOT_FOUND, EDITION_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "RELEASE_EXISTS", body = tessera_api::ErrorBody),
        (status = 422, description = "VERSION_INVALID, DOWNLOAD_URL_INVALID, CHECKSUM_INVALID, INVALID_CODE", body = tessera_api::ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<NewRelease>,
) -> ApiResult<(StatusCode, ApiJson<Release>)> {
    let release = releases::publish(&state, &op, &product, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(release)))
}

/// Withdraw a release (a broken build): it stays on this list with when and why, but no
/// licence or validation names it as the latest any more and no account's downloads list
/// it. Withdrawing it again answers the first withdrawal and changes nothing.
#[utoipa::path(post, path = "/api/v1/products/{product}/releases/{version}/withdraw",
    tag = "catalog", security(("operator_token" = [])), request_body = WithdrawRelease,
    params(("product" = String, Path, description = "product code"),
        ("version" = String, Path, description = "the release's version")),
    responses((status = 200, body = Release),
        (status = 404, description = "PRODUCT_NOT_FOUND, RELEASE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 422, description = "VERSION_INVALID, FIELD_TOO_LONG, FIELD_INVALID", body = tessera_api::ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    op: Operator,
    ApiPath((product, version)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<WithdrawRelease>,
) -> ApiResult<ApiJson<Release>> {
    let release = releases::withdraw(&state, &op, &product, &version, &req.reason).await?;
    Ok(ApiJson(release))
}

/// Offer a withdrawn release again (a withdrawal by mistake): licences, validations and
/// downloads name it again. Restoring one that is offered answers it unchanged.
#[utoipa::path(post, path = "/api/v1/products/{product}/releases/{version}/restore",
    tag = "catalog", security(("operator_token" = [])),
    params(("product" = String, Path, description = "product code"),
        ("version" = String, Path, description = "the release's version")),
    responses((status = 200, body = Release),
        (status = 404, description = "PRODUCT_NOT_FOUND, RELEASE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 422, description = "VERSION_INVALID", body = tessera_api::ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    op: Operator,
    ApiPath((product, version)): ApiPath<(String, String)>,
) -> ApiResult<ApiJson<Release>> {
    Ok(ApiJson(
        releases::restore(&state, &op, &product, &version).await?,
    ))
}

/// The product's releases, newest version first, and its minimum supported version.
#[utoipa::path(get, path = "/api/v1/products/{product}/releases", tag = "catalog",
    security(("operator_token" = [])),
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = ReleaseList), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(product): ApiPath<String>,
) -> ApiResult<ApiJson<ReleaseList>> {
    Ok(ApiJson(releases::list(&state, &product).await?))
}

/// Set (or, with null, clear) the product's minimum supported version: licences and
/// validations carry it, and a program below it reports `UPDATE_REQUIRED`.
#[utoipa::path(put, path = "/api/v1/products/{product}/minimum-version", tag = "catalog",
    security(("operator_token" = [])), request_body = SetMinimumVersion,
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = ReleaseList), (status = 404, body = tessera_api::ErrorBody),
        (status = 422, description = "VERSION_INVALID", body = tessera_api::ErrorBody)))]
pub async fn set_minimum(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<SetMinimumVersion>,
) -> ApiResult<ApiJson<ReleaseList>> {
    let list = releases::set_minimum(
        &state,
        &op,
        &product,
        Minimum::Program,
        req.minimum_version.as_deref(),
    )
    .await?;
    Ok(ApiJson(list))
}

/// Set (or, with null, clear) the version the product's program needs at least to connect
/// to the cloud (seed 000: 1.2.11): licences and validations carry it, and the cloud's code
/// exchange refuses a program below it with `UPDATE_REQUIRED`, while the program runs.
#[utoipa::path(put, path = "/api/v1/products/{product}/cloud-minimum-version", tag = "catalog",
    security(("operator_token" = [])), request_body = SetCloudMinimumVersion,
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = ReleaseList), (status = 404, body = tessera_api::ErrorBody),
        (status = 422, description = "VERSION_INVALID", body = tessera_api::ErrorBody)))]
pub async fn set_cloud_minimum(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<SetCloudMinimumVersion>,
) -> ApiResult<ApiJson<ReleaseList>> {
    let list = releases::set_minimum(
        &state,
        &op,
        &product,
        Minimum::Cloud,
        req.cloud_minimum_version.as_deref(),
    )
    .await?;
    Ok(ApiJson(list))
}

/// What the account's licences may download (a site's user: its site's): the releases of
/// the products it holds keys of, for their editions, with each product's minimum version.
#[utoipa::path(get, path = "/api/v1/account/downloads", tag = "portal",
    security(("account_token" = [])),
    responses((status = 200, body = Downloads), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn downloads(
    State(state): State<AppState>,
    me: PortalUser,
) -> ApiResult<ApiJson<Downloads>> {
    Ok(ApiJson(releases::downloads(&state, &me).await?))
}
