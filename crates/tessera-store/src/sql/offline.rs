//! The SQL of offline activation by file.

use jiff::Timestamp;
use tessera_core::{Actor, OfflinePolicy};

use super::Pools;
use super::audit::audit;
use crate::offline::{NewOfflineAnswer, OfflineAnswer};
use crate::{Result, StoreError, to_micros};

pub(crate) async fn answer(db: &Pools, nonce: &str) -> Result<Option<OfflineAnswer>> {
    let row: Option<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT o.fingerprint, o.kind, s.public_id, s.account_id, o.response \
         FROM offline_requests o JOIN sites s ON s.id = o.site_id WHERE o.nonce = $1",
    )
    .bind(nonce)
    .fetch_optional(db.read())
    .await?;
    Ok(row.map(
        |(fingerprint, kind, site_id, account_id, response)| OfflineAnswer {
            fingerprint,
            kind,
            site_id,
            account_id,
            response,
        },
    ))
}

/// Inserts the reservation of `nonce` (no response yet) unless the nonce is known; whether
/// it did.
pub(crate) async fn reserve(
    db: &Pools,
    nonce: &str,
    fingerprint: &str,
    kind: &str,
    site_id: i64,
    now: Timestamp,
) -> Result<bool> {
    let inserted: Option<String> = sqlx::query_scalar(
        "INSERT INTO offline_requests (nonce, fingerprint, kind, site_id, response, created_at) \
         VALUES ($1, $2, $3, $4, '', $5) ON CONFLICT (nonce) DO NOTHING RETURNING nonce",
    )
    .bind(nonce)
    .bind(fingerprint)
    .bind(kind)
    .bind(site_id)
    .bind(to_micros(now))
    .fetch_optional(&mut *db.write().await?)
    .await?;
    Ok(inserted.is_some())
}

/// Deletes a reservation that was not answered.
pub(crate) async fn release(db: &Pools, nonce: &str) -> Result<()> {
    sqlx::query("DELETE FROM offline_requests WHERE nonce = $1 AND response = ''")
        .bind(nonce)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Stores the answer of a reserved request, unless another upload answered it first (then
/// nothing changes); audited when stored.
pub(crate) async fn record(
    db: &Pools,
    new: NewOfflineAnswer<'_>,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let answered: Option<i64> = sqlx::query_scalar(
        "UPDATE offline_requests SET site_id = $2, response = $3 \
         WHERE nonce = $1 AND fingerprint = $4 AND response = '' RETURNING site_id",
    )
    .bind(new.nonce.as_str())
    .bind(new.site_id)
    .bind(new.response)
    .bind(new.fingerprint.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(site_id) = answered {
        let site: String = sqlx::query_scalar("SELECT public_id FROM sites WHERE id = $1")
            .bind(site_id)
            .fetch_one(&mut *tx)
            .await?;
        let detail = Some(format!(
            "{} by file, fingerprint {}…",
            new.kind,
            &new.fingerprint.as_str()[..12]
        ));
        audit(
            &mut tx,
            now,
            actor,
            "site.offline_answered",
            "site",
            site,
            detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn set_policy(
    db: &Pools,
    product: &str,
    policy: OfflinePolicy,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE products SET offline_policy = $2, offline_check_days = $3 WHERE code = $1",
    )
    .bind(product)
    .bind(policy.as_str())
    .bind(policy.check_days().map(i64::from))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(StoreError::NotFound("product"));
    }
    let detail = Some(match policy.check_days() {
        Some(days) => format!("offline policy {} every {days} days", policy.as_str()),
        None => format!("offline policy {}", policy.as_str()),
    });
    audit(
        &mut tx,
        now,
        actor,
        "product.offline_policy_set",
        "product",
        product,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
