//! The SQL of activation and deactivation.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::{
    Activation, Actor, Fingerprint, KeyStatus, SiteBinding, SiteStatus, TransferPolicy,
    decide_activation,
};

use super::audit::audit;
use super::{Pools, announce, row_lock};
use crate::activation::{AccountRef, ActivationRequest};
use crate::sites::{SiteScope, small};
use crate::{Result, StoreError, to_micros};

/// What an activation did: bound (account, installation, how), or nothing yet because the
/// client must choose among these installations of the account.
pub(crate) type Activated = std::result::Result<(i64, String, Activation), (i64, Vec<String>)>;

/// Activates an installation in one transaction (see `Store::activate`).
pub(crate) async fn activate(
    db: &Pools,
    req: &ActivationRequest<'_>,
    now: Timestamp,
) -> Result<Activated> {
    let now_us = to_micros(now);
    // Concurrent activations of one installation queue on the row locks.
    let lock = row_lock(" FOR UPDATE OF s, k");
    let (account_field, account_value) = match req.account {
        AccountRef::Email(e) => ("email", e.trim().to_lowercase()),
        AccountRef::Vat(v) => ("vat_number", v.to_owned()),
    };
    let invalid = || StoreError::Conflict(ErrorCode::KeyInvalid);
    let mut tx = db.begin().await?;
    let account_id: i64 = sqlx::query_scalar(&format!(
        "SELECT id FROM accounts WHERE {account_field} = $1"
    ))
    .bind(&account_value)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid)?;
    let (key_site, key_status, product_id): (String, String, i64) = sqlx::query_as(
        "SELECT s.public_id, k.status, e.product_id FROM product_keys k \
         JOIN sites s ON s.key_id = k.id JOIN editions e ON e.id = k.edition_id \
         WHERE k.key = $1 AND k.account_id = $2",
    )
    .bind(req.key.compact())
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid)?;
    let key_status: KeyStatus = key_status.parse().map_err(StoreError::Corrupt)?;
    key_status.activate().map_err(|_| invalid())?;
    // The installations the key may bind: its own when named by email; by VAT number any of
    // the account's installations of the same product.
    let candidates: Vec<String> = match req.account {
        AccountRef::Email(_) => vec![key_site],
        AccountRef::Vat(_) => {
            sqlx::query_scalar(
                "SELECT s.public_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
                 JOIN editions e ON e.id = k.edition_id \
                 WHERE s.account_id = $1 AND e.product_id = $2 ORDER BY s.id",
            )
            .bind(account_id)
            .bind(product_id)
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let target = match req.installation {
        Some(chosen) => candidates
            .iter()
            .find(|c| c.as_str() == chosen)
            .cloned()
            .ok_or(StoreError::NotFound("installation"))?,
        None if candidates.len() == 1 => candidates[0].clone(),
        // Read-only so far: the list is built after this transaction ends, so it never holds
        // two pool connections at once.
        None => {
            tx.commit().await?;
            return Ok(Err((account_id, candidates)));
        }
    };
    type Locked = (i64, String, Option<String>, i64, i64, i64, String);
    let locked: Locked = sqlx::query_as(&format!(
        "SELECT s.id, s.status, s.fingerprint, s.transfers, p.max_transfers, k.id, k.status \
         FROM sites s JOIN product_keys k ON k.id = s.key_id \
         JOIN editions e ON e.id = k.edition_id JOIN products p ON p.id = e.product_id \
         WHERE s.public_id = $1{lock}"
    ))
    .bind(&target)
    .fetch_one(&mut *tx)
    .await?;
    let (site_id, status, fingerprint, transfers, max_transfers, site_key_id, site_key_status) =
        locked;
    let site_key_status: KeyStatus = site_key_status.parse().map_err(StoreError::Corrupt)?;
    let new_key_status = site_key_status.activate().map_err(|_| invalid())?;
    let binding = SiteBinding {
        status: status.parse().map_err(StoreError::Corrupt)?,
        fingerprint: fingerprint
            .as_deref()
            .map(Fingerprint::parse)
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        transfers: small(transfers, "transfers")?,
    };
    let policy = TransferPolicy {
        max_transfers: small(max_transfers, "max_transfers")?,
    };
    let activation = decide_activation(&binding, req.fingerprint, policy)
        .map_err(|refused| StoreError::Conflict((&refused).into()))?;
    let transfers_after = transfers + i64::from(activation == Activation::Transfer);
    sqlx::query(
        "UPDATE sites SET status = 'active', fingerprint = $2, token_hash = $3, \
         transfers = $4, activated_at = CASE WHEN $5 THEN activated_at ELSE $6 END, \
         deactivated_at = NULL, updated_at = $6 WHERE id = $1",
    )
    .bind(site_id)
    .bind(req.fingerprint.as_str())
    .bind(req.token_hash)
    .bind(transfers_after)
    .bind(activation == Activation::Again)
    .bind(now_us)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE product_keys SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(new_key_status.as_str())
        .bind(now_us)
        .bind(site_key_id)
        .execute(&mut *tx)
        .await?;
    let action = match activation {
        Activation::Bind => "site.activated",
        Activation::Again => "site.reactivated",
        Activation::Transfer => "site.transferred",
    };
    let detail = Some(format!("fingerprint {}…", &req.fingerprint.as_str()[..12]));
    audit(&mut tx, now, Actor::System, action, "site", &target, detail).await?;
    announce(&mut tx, &account_id.to_string()).await?;
    tx.commit().await?;
    Ok(Ok((account_id, target, activation)))
}

/// Releases an active installation from its machine; its account.
pub(crate) async fn deactivate_site(
    db: &Pools,
    public_id: &str,
    scope: SiteScope<'_>,
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let now_us = to_micros(now);
    let lock = row_lock(" FOR UPDATE OF s, k");
    let mut tx = db.begin().await?;
    let found: Option<(i64, i64, String, Option<String>, i64, String)> = sqlx::query_as(&format!(
        "SELECT s.id, s.account_id, s.status, s.token_hash, k.id, k.status \
         FROM sites s JOIN product_keys k ON k.id = s.key_id \
         WHERE s.public_id = $1{lock}"
    ))
    .bind(public_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (site_id, account_id, status, _token, key_id, key_status) = found
        .filter(|f| scope.allows(f.1, f.3.as_deref()))
        .ok_or(StoreError::NotFound("site"))?;
    if status != SiteStatus::Active.as_str() {
        return Err(StoreError::Conflict(ErrorCode::SiteNotActive));
    }
    sqlx::query(
        "UPDATE sites SET status = 'deactivated', fingerprint = NULL, token_hash = NULL, \
         deactivated_at = $2, updated_at = $2 WHERE id = $1",
    )
    .bind(site_id)
    .bind(now_us)
    .execute(&mut *tx)
    .await?;
    let old: KeyStatus = key_status.parse().map_err(StoreError::Corrupt)?;
    // A revoked key stays revoked; the row is locked, so nothing changed it since.
    if let Ok(new) = old.deactivate() {
        sqlx::query(
            "UPDATE product_keys SET status = $1, updated_at = $2 \
             WHERE id = $3 AND status = $4",
        )
        .bind(new.as_str())
        .bind(now_us)
        .bind(key_id)
        .bind(old.as_str())
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut tx,
        now,
        actor,
        "site.deactivated",
        "site",
        public_id,
        None,
    )
    .await?;
    announce(&mut tx, &account_id.to_string()).await?;
    tx.commit().await?;
    Ok(account_id)
}
