//! Per-site technical data (F4): the technician to call and the equipment identifiers
//! (EVSE IDs), replaced together by the account that owns the site.

use jiff::Timestamp;
use tessera_core::Actor;

use crate::sites::SiteScope;
use crate::{Result, Store, StoreError};

/// What is stored for a site: the technician as JSON text, the EVSE IDs sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteTechnical {
    pub technician: Option<String>,
    pub evse_ids: Vec<String>,
}

impl Store {
    /// The technical data of a site `scope` may see.
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id))]
    pub async fn site_technical(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
    ) -> Result<SiteTechnical> {
        let found = on_backend!(self, |db| sql::equipment::site_technician(db, public_id))?;
        let (id, _, technician) = found
            .filter(|f| scope.allows(f.1, None))
            .ok_or(StoreError::NotFound("site"))?;
        let evse_ids = on_backend!(self, |db| sql::equipment::evse_ids(db, id))?;
        Ok(SiteTechnical {
            technician,
            evse_ids,
        })
    }

    /// Replaces a site's technical data. `EVSE_ID_TAKEN` when another site has one of the
    /// ids (nothing changes then).
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id))]
    pub async fn set_site_technical(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
        data: &SiteTechnical,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::equipment::set_site_technical(
            db, public_id, scope, data, actor, now,
        ))
    }
}
