//! Per-site technical data (F4): the technician to call and the equipment identifiers
//! (EVSE IDs), replaced together by the account that owns the site.

use jiff::Timestamp;
use tessera_core::Actor;

use crate::audit::audit;
use crate::sites::SiteScope;
use crate::{Result, Store, StoreError, to_micros};

/// What is stored for a site: the technician as JSON text, the EVSE IDs sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteTechnical {
    pub technician: Option<String>,
    pub evse_ids: Vec<String>,
}

impl Store {
    /// The technical data of a site `scope` may see.
    pub async fn site_technical(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
    ) -> Result<SiteTechnical> {
        let found: Option<(i64, i64, Option<String>)> = on_db!(self, read, db => {
            sqlx::query_as("SELECT id, account_id, technician FROM sites WHERE public_id = $1")
                .bind(public_id)
                .fetch_optional(db)
                .await?
        });
        let (id, _, technician) = found
            .filter(|f| scope.allows(f.1, None))
            .ok_or(StoreError::NotFound("site"))?;
        let evse_ids = on_db!(self, read, db => {
            sqlx::query_scalar("SELECT evse_id FROM site_equipment WHERE site_id = $1 ORDER BY evse_id")
                .bind(id)
                .fetch_all(db)
                .await?
        });
        Ok(SiteTechnical {
            technician,
            evse_ids,
        })
    }

    /// Replaces a site's technical data. `EVSE_ID_TAKEN` when another site has one of the
    /// ids (nothing changes then).
    pub async fn set_site_technical(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
        data: &SiteTechnical,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let lock = self.row_lock(" FOR UPDATE");
        in_tx!(self, tx => {
            let found: Option<(i64, i64)> = sqlx::query_as(&format!(
                "SELECT id, account_id FROM sites WHERE public_id = $1{lock}"
            ))
            .bind(public_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (id, _) = found
                .filter(|f| scope.allows(f.1, None))
                .ok_or(StoreError::NotFound("site"))?;
            sqlx::query("UPDATE sites SET technician = $1, updated_at = $2 WHERE id = $3")
                .bind(&data.technician)
                .bind(to_micros(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM site_equipment WHERE site_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for evse in &data.evse_ids {
                sqlx::query(
                    "INSERT INTO site_equipment (site_id, evse_id, added_at) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(evse)
                .bind(to_micros(now))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)
                .map_err(|e| match e {
                    StoreError::Duplicate(_) => StoreError::Conflict("EVSE_ID_TAKEN"),
                    other => other,
                })?;
            }
            let detail = Some(format!("{} EVSE IDs", data.evse_ids.len()));
            audit!(tx, now, actor, "site.technical_set", "site", public_id, detail);
        });
        Ok(())
    }
}
