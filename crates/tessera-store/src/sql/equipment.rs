//! Per-site technical data's SQL.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;

use super::audit::audit;
use super::{Pools, row_lock};
use crate::equipment::SiteTechnical;
use crate::sites::SiteScope;
use crate::{Result, StoreError, to_micros};

/// The site's id, account and technician.
pub(crate) async fn site_technician(
    db: &Pools,
    public_id: &str,
) -> Result<Option<(i64, i64, Option<String>)>> {
    Ok(
        sqlx::query_as("SELECT id, account_id, technician FROM sites WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(db.read())
            .await?,
    )
}

pub(crate) async fn evse_ids(db: &Pools, site_id: i64) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar(
            "SELECT evse_id FROM site_equipment WHERE site_id = $1 ORDER BY evse_id",
        )
        .bind(site_id)
        .fetch_all(db.read())
        .await?,
    )
}

pub(crate) async fn set_site_technical(
    db: &Pools,
    public_id: &str,
    scope: SiteScope<'_>,
    data: &SiteTechnical,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let lock = row_lock(" FOR UPDATE");
    let mut tx = db.begin().await?;
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
        sqlx::query("INSERT INTO site_equipment (site_id, evse_id, added_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(evse)
            .bind(to_micros(now))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)
            .map_err(|e| match e {
                StoreError::Duplicate(_) => StoreError::Conflict(ErrorCode::EvseIdTaken),
                other => other,
            })?;
    }
    let detail = Some(format!("{} EVSE IDs", data.evse_ids.len()));
    let action = "site.technical_set";
    audit(&mut tx, now, actor, action, "site", public_id, detail).await?;
    tx.commit().await?;
    Ok(())
}
