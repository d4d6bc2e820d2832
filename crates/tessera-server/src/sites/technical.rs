//! A site's technical data (F4): the technician to call and the charging points (EVSE IDs).
//! The account that owns the site keeps it (with the `sites.technical.edit` right);
//! operators read it.

use tessera_api::{ErrorCode, SiteTechnicalData, Technician};
use tessera_core::Email;
use tessera_core::account::{phone, required_text};
use tessera_core::equipment::EvseId;
use tessera_store::{SiteScope, SiteTechnical};

use crate::actors::{Holds, Operator, OwnSite, PortalUser, right};
use crate::error::{ApiError, ApiResult};
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

/// The technician and charging points of one of the account's installations (F4).
pub async fn own_technical(app: &AppState, site: &OwnSite) -> ApiResult<SiteTechnicalData> {
    let stored = app.store.site_technical(&site.site_id, site.scope).await?;
    view(stored)
}

/// Replaces the technician and charging points of the account's installation `site_id`
/// (F4); the fields are checked before the site is looked at.
pub async fn set_own_technical(
    app: &AppState,
    who: &Holds<right::EditTechnical, PortalUser>,
    site_id: &str,
    req: &SiteTechnicalData,
) -> ApiResult<SiteTechnicalData> {
    let data = checked(req)?;
    let site = who.site_scope(site_id)?;
    app.store
        .set_site_technical(
            &site.site_id,
            site.scope,
            &data,
            &who.actor(),
            app.clock.now(),
        )
        .await?;
    view(data)
}

/// An installation's technician and charging points, as operators read them.
pub async fn technical(
    app: &AppState,
    _op: &Operator,
    site_id: &str,
) -> ApiResult<SiteTechnicalData> {
    let stored = app.store.site_technical(site_id, SiteScope::Any).await?;
    view(stored)
}
