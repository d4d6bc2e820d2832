//! The SQL of the cloud access a site's client gets.

use jiff::Timestamp;
use tessera_core::Actor;

use super::Pools;
use super::audit::audit;
use crate::subscriptions::access::{AccessRow, CLOUD_SITES_AND_DELETED};
use crate::subscriptions::{subscription_columns, subscription_joins};
use crate::{Result, StoreError, to_micros};

/// The cloud site matching `condition` (on `c`, the cloud site) with its subscription, in
/// one statement (every sync request asks it). The cloud site is found first, by its own
/// index, whatever the planner knows of the other tables.
pub(crate) async fn cloud_access_where(
    db: &Pools,
    condition: &str,
    value: &str,
) -> Result<Option<AccessRow>> {
    let sql = format!(
        "SELECT {}, st.public_id AS site_public_id, st.account_id AS site_account_id, \
                c.activation_code_hash, ke.code AS key_edition, kz.code AS key_size, \
                st.status AS site_status, k.status AS key_status, \
                st.expires_at AS license_expires_at \
         FROM (SELECT c.subscription_id, c.site_id, c.activation_code_hash \
               FROM {CLOUD_SITES_AND_DELETED} c WHERE {condition} ORDER BY c.deleted LIMIT 1) c \
         JOIN sites st ON st.id = c.site_id \
         JOIN product_keys k ON k.id = st.key_id \
         JOIN editions ke ON ke.id = k.edition_id JOIN sizes kz ON kz.id = k.size_id \
         JOIN subscriptions s ON s.id = c.subscription_id {}",
        subscription_columns!(),
        subscription_joins!(),
    );
    Ok(sqlx::query_as(&sql)
        .bind(value)
        .fetch_optional(db.read())
        .await?)
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
