//! A site's technical data (F4): the technician to call and the charging points (EVSE IDs).
//! The account that owns the site keeps it; operators read it.

use axum::extract::State;
use tessera_api::ErrorCode;
use tessera_api::{SiteTechnicalData, Technician};
use tessera_core::Email;
use tessera_core::account::{phone, required_text};
use tessera_core::equipment::EvseId;
use tessera_store::{SiteScope, SiteTechnical};

use crate::actors::{Holds, Operator, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;

/// Most charging points one site lists.
const MAX_POINTS: usize = 500;

fn view(stored: SiteTechnical) -> ApiResult<SiteTechnicalData> {
    let technician = stored
        .technician
        .as_deref()
        .map(serde_json::from_str::<Technician>)
        .transpose()
        .map_err(|e| anyhow::anyhow!("stored technician: {e}"))?;
    Ok(SiteTechnicalData {
        technician,
        evse_ids: stored.evse_ids,
    })
}

/// Checks every field; the EVSE IDs come back canonical, sorted, each once.
fn checked(req: &SiteTechnicalData) -> ApiResult<SiteTechnical> {
    let technician = match &req.technician {
        None => None,
        Some(t) => {
            let t = Technician {
                name: required_text("technician.name", &t.name, 200)?,
                phone: phone("technician.phone", &t.phone)?,
                email: Email::parse("technician.email", &t.email)?
                    .as_str()
                    .to_owned(),
            };
            Some(serde_json::to_string(&t).map_err(anyhow::Error::from)?)
        }
    };
    if req.evse_ids.len() > MAX_POINTS {
        return Err(ApiError::invalid(
            ErrorCode::TooManyEvseIds,
            "evse_ids",
            format!("a site lists at most {MAX_POINTS} charging points"),
        ));
    }
    let mut evse_ids = req
        .evse_ids
        .iter()
        .enumerate()
        .map(|(i, id)| EvseId::parse(&format!("evse_ids[{i}]"), id).map(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    evse_ids.sort();
    evse_ids.dedup();
    Ok(SiteTechnical {
        technician,
        evse_ids,
    })
}

/// The technician and charging points of one of the account's installations.
#[utoipa::path(get, path = "/api/v1/account/sites/{site_id}/technical", tag = "portal",
    params(("site_id" = String, Path)), security(("account_token" = [])),
    responses((status = 200, body = SiteTechnicalData), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get_own(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<SiteTechnicalData>> {
    let stored = state
        .store
        .site_technical(&site_id, me.scope(&site_id)?)
        .await?;
    Ok(ApiJson(view(stored)?))
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
    let data = checked(&req)?;
    let scope = me.scope(&site_id)?;
    state
        .store
        .set_site_technical(&site_id, scope, &data, &me.actor(), state.clock.now())
        .await?;
    Ok(ApiJson(view(data)?))
}

/// An installation's technician and charging points (operators).
#[utoipa::path(get, path = "/api/v1/sites/{site_id}/technical", tag = "sites",
    params(("site_id" = String, Path)), security(("operator_token" = [])),
    responses((status = 200, body = SiteTechnicalData), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<SiteTechnicalData>> {
    let stored = state.store.site_technical(&site_id, SiteScope::Any).await?;
    Ok(ApiJson(view(stored)?))
}
