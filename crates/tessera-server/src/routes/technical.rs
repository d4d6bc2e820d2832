//! A site's technical data (F4): the technician to call and the charging points (EVSE IDs).
//! The account that owns the site keeps it; operators read it.

use axum::extract::State;
use tessera_api::SiteTechnicalData;

use crate::actors::{Holds, Operator, PortalUser, right};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::sites::technical;
use crate::state::AppState;

/// The technician and charging points of one of the account's installations.
#[utoipa::path(get, path = "/api/v1/account/sites/{site_id}/technical", tag = "portal",
    params(("site_id" = String, Path)), security(("account_token" = [])),
    responses((status = 200, body = SiteTechnicalData), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get_own(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<SiteTechnicalData>> {
    let site = me.site_scope(&site_id)?;
    Ok(ApiJson(technical::own_technical(&state, &site).await?))
}

/// Replace the technician and charging points of one of the account's installations.
#[utoipa::path(put, path = "/api/v1/account/sites/{site_id}/technical", tag = "portal",
    params(("site_id" = String, Path)), request_body = SiteTechnicalData,
    security(("account_token" = [])),
    responses(
        (status = 200, body = SiteTechnicalData),
        (status = 404, body = tessera_api::ErrorBody),
        (status = 409, description = "EVSE_ID_TAKEN: another site lists one of the ids", body = tessera_api::ErrorBody),
        (status = 422, description = "EVSE_ID_INVALID, TOO_MANY_EVSE_IDS, or a technician field", body = tessera_api::ErrorBody),
    ))]
pub async fn set_own(
    State(state): State<AppState>,
    me: Holds<right::EditTechnical, PortalUser>,
    ApiPath(site_id): ApiPath<String>,
    ApiJson(req): ApiJson<SiteTechnicalData>,
) -> ApiResult<ApiJson<SiteTechnicalData>> {
    let data = technical::set_own_technical(&state, &me, &site_id, &req).await?;
    Ok(ApiJson(data))
}

/// An installation's technician and charging points (operators).
#[utoipa::path(get, path = "/api/v1/sites/{site_id}/technical", tag = "sites",
    params(("site_id" = String, Path)), security(("operator_token" = [])),
    responses((status = 200, body = SiteTechnicalData), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<SiteTechnicalData>> {
    Ok(ApiJson(technical::technical(&state, &op, &site_id).await?))
}
