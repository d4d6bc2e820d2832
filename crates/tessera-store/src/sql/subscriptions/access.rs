//! The SQL of the cloud access a site's client gets.

use jiff::Timestamp;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use crate::subscriptions::access::{AccessRow, CLOUD_SITES_AND_DELETED};
use crate::subscriptions::{SUBSCRIPTION_SELECT, SubscriptionRow};
use crate::{Result, StoreError, to_micros};

/// The cloud site matching `condition` (on `c`, the cloud site) with its subscription.
pub(crate) async fn cloud_access_where(
    db: &Pools,
    condition: &str,
    value: &str,
) -> Result<Option<(AccessRow, SubscriptionRow)>> {
    let sql = format!(
        "SELECT st.public_id, st.account_id, c.subscription_id, c.activation_code_hash, \
                e.code AS edition, z.code AS size, st.status, k.status, st.expires_at \
         FROM {CLOUD_SITES_AND_DELETED} c JOIN sites st ON st.id = c.site_id \
         JOIN product_keys k ON k.id = st.key_id \
         JOIN editions e ON e.id = k.edition_id JOIN sizes z ON z.id = k.size_id \
         WHERE {condition} ORDER BY c.deleted LIMIT 1"
    );
    let row: Option<AccessRow> = sqlx::query_as(&sql)
        .bind(value)
        .fetch_optional(db.read())
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let sub =
        sqlx::query_as::<_, SubscriptionRow>(&format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1"))
            .bind(row.2)
            .fetch_one(db.read())
            .await?;
    Ok(Some((row, sub)))
}

/// Gives the site with `site_code` a new cloud token.
pub(crate) async fn claim_cloud(
    db: &Pools,
    site_code: &str,
    token_hash: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let site: Option<String> = sqlx::query_scalar(
        "UPDATE cloud_sites SET token_hash = $1, claimed_at = $2 WHERE site_code = $3 \
         RETURNING (SELECT public_id FROM sites WHERE sites.id = cloud_sites.site_id)",
    )
    .bind(token_hash)
    .bind(to_micros(now))
    .bind(site_code)
    .fetch_optional(&mut *tx)
    .await?;
    let site = site.ok_or(StoreError::NotFound("site"))?;
    audit(&mut tx, now, actor, "cloud.claimed", "site", site, None).await?;
    tx.commit().await?;
    Ok(())
}
