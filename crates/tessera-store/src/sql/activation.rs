//! The SQL of activation and deactivation.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::{
    Activation, Actor, Fingerprint, KeyStatus, ProductKey, SiteBinding, SiteStatus, TransferPolicy,
    decide_activation,
};

use super::audit::audit;
use super::{Conn, Pools, announce, row_lock};
use crate::activation::{AccountRef, ActivationRequest};
use crate::sites::{SiteScope, small};
use crate::{Result, StoreError, to_micros};

/// What an activation did: bound (account, installation, how), or nothing yet because the
/// client must choose among these installations of the account.
pub(crate) type Activated = std::result::Result<(i64, String, Activation), (i64, Vec<String>)>;

/// The refusal of a key that does not exist, is not the account's, or cannot be activated.
fn invalid() -> StoreError {
    StoreError::Conflict(ErrorCode::KeyInvalid)
}

/// What an activation decides on, read under the installation's and its key's row locks.
struct Locked {
    site_id: i64,
    binding: SiteBinding,
    /// The transfers so far, as stored.
    transfers: i64,
    policy: TransferPolicy,
    key_id: i64,
    /// The key's status once the installation is active.
    new_key_status: KeyStatus,
}

/// What loading found: the installation to bind, locked, or the account's installations
/// the client must choose among.
enum Loaded {
    Bind {
        account_id: i64,
        target: String,
        locked: Locked,
    },
    Choose {
        account_id: i64,
        candidates: Vec<String>,
    },
}

/// Activates an installation in one transaction (see `Store::activate`): load (under the
/// row locks), let `tessera_core::decide_activation` decide, write.
pub(crate) async fn activate(
    db: &Pools,
    req: &ActivationRequest<'_>,
    now: Timestamp,
) -> Result<Activated> {
    let mut tx = db.begin().await?;
    let (account_id, target, locked) = match load(&mut tx, req).await? {
        Loaded::Bind {
            account_id,
            target,
            locked,
        } => (account_id, target, locked),
        // Read-only so far: the list is built after this transaction ends, so it never holds
        // two pool connections at once.
        Loaded::Choose {
            account_id,
            candidates,
        } => {
            tx.commit().await?;
            return Ok(Err((account_id, candidates)));
        }
    };
    let activation = decide_activation(&locked.binding, req.fingerprint, locked.policy)
        .map_err(|refused| StoreError::Conflict((&refused).into()))?;
    write(&mut tx, req, account_id, &target, &locked, activation, now).await?;
    tx.commit().await?;
    Ok(Ok((account_id, target, activation)))
}

/// Reads the account, its key and the installation to bind, which it locks with its key.
async fn load(conn: &mut Conn, req: &ActivationRequest<'_>) -> Result<Loaded> {
    let account_id = find_account(conn, req).await?;
    let (key_site, product_id) = find_key(conn, req, account_id).await?;
    let candidates = candidates(conn, req, account_id, key_site, product_id).await?;
    let target = match req.installation {
        Some(chosen) => candidates
            .iter()
            .find(|c| c.as_str() == chosen)
            .cloned()
            .ok_or(StoreError::NotFound("installation"))?,
        None if candidates.len() == 1 => candidates[0].clone(),
        None => {
            return Ok(Loaded::Choose {
                account_id,
                candidates,
            });
        }
    };
    let locked = lock_installation(conn, &target).await?;
    Ok(Loaded::Bind {
        account_id,
        target,
        locked,
    })
}

/// The account the request names, by email or VAT number.
async fn find_account(conn: &mut Conn, req: &ActivationRequest<'_>) -> Result<i64> {
    let (account_field, account_value) = match req.account {
        AccountRef::Email(e) => ("email", e.trim().to_lowercase()),
        AccountRef::Vat(v) => ("vat_number", v.to_owned()),
    };
    sqlx::query_scalar(&format!(
        "SELECT id FROM accounts WHERE {account_field} = $1"
    ))
    .bind(&account_value)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(invalid)
}

/// The account's key the request names, if it can be activated: its installation and
/// product.
async fn find_key(
    conn: &mut Conn,
    req: &ActivationRequest<'_>,
    account_id: i64,
) -> Result<(String, i64)> {
    let (key_site, key_status, product_id): (String, String, i64) = sqlx::query_as(
        "SELECT s.public_id, k.status, e.product_id FROM product_keys k \
         JOIN sites s ON s.key_id = k.id JOIN editions e ON e.id = k.edition_id \
         WHERE k.key = $1 AND k.account_id = $2",
    )
    .bind(req.key.compact())
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(invalid)?;
    let key_status: KeyStatus = key_status.parse().map_err(StoreError::Corrupt)?;
    key_status.activate().map_err(|_| invalid())?;
    Ok((key_site, product_id))
}

/// The installations the key may bind: its own when named by email; by VAT number any of
/// the account's installations of the same product.
async fn candidates(
    conn: &mut Conn,
    req: &ActivationRequest<'_>,
    account_id: i64,
    key_site: String,
    product_id: i64,
) -> Result<Vec<String>> {
    Ok(match req.account {
        AccountRef::Email(_) => vec![key_site],
        AccountRef::Vat(_) => {
            sqlx::query_scalar(
                "SELECT s.public_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
                 JOIN editions e ON e.id = k.edition_id \
                 WHERE s.account_id = $1 AND e.product_id = $2 ORDER BY s.id",
            )
            .bind(account_id)
            .bind(product_id)
            .fetch_all(&mut *conn)
            .await?
        }
    })
}

/// Locks the installation `target` and its key; what activation decides on.
async fn lock_installation(conn: &mut Conn, target: &str) -> Result<Locked> {
    // Concurrent activations of one installation queue on the row locks.
    let lock = row_lock(" FOR UPDATE OF s, k");
    type Row = (i64, String, Option<String>, i64, bool, i64, i64, String);
    let row: Row = sqlx::query_as(&format!(
        "SELECT s.id, s.status, s.fingerprint, s.transfers, s.by_file, p.max_transfers, \
         k.id, k.status \
         FROM sites s JOIN product_keys k ON k.id = s.key_id \
         JOIN editions e ON e.id = k.edition_id JOIN products p ON p.id = e.product_id \
         WHERE s.public_id = $1{lock}"
    ))
    .bind(target)
    .fetch_one(&mut *conn)
    .await?;
    let (site_id, status, fingerprint, transfers, by_file, max_transfers, key_id, key_status) = row;
    let key_status: KeyStatus = key_status.parse().map_err(StoreError::Corrupt)?;
    let new_key_status = key_status.activate().map_err(|_| invalid())?;
    let binding = SiteBinding {
        status: status.parse().map_err(StoreError::Corrupt)?,
        fingerprint: fingerprint
            .as_deref()
            .map(Fingerprint::parse)
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        transfers: small(transfers, "transfers")?,
        by_file,
    };
    let policy = TransferPolicy {
        max_transfers: small(max_transfers, "max_transfers")?,
    };
    Ok(Locked {
        site_id,
        binding,
        transfers,
        policy,
        key_id,
        new_key_status,
    })
}

/// Binds the installation to the request's machine, moves its key on, and logs and
/// announces it. The same machine again never clears `by_file`: anyone who knows the key,
/// the account and the fingerprint can ask online for it, so it proves nothing about the
/// machine licensed by file; only a release clears it. For the same reason the same machine
/// again never replaces the machine key kept while it is bound by file.
async fn write(
    conn: &mut Conn,
    req: &ActivationRequest<'_>,
    account_id: i64,
    target: &str,
    locked: &Locked,
    activation: Activation,
    now: Timestamp,
) -> Result<()> {
    let now_us = to_micros(now);
    let transfers_after = locked.transfers + i64::from(activation == Activation::Transfer);
    sqlx::query(
        "UPDATE sites SET status = 'active', fingerprint = $2, token_hash = $3, \
         transfers = $4, activated_at = CASE WHEN $5 THEN activated_at ELSE $6 END, \
         deactivated_at = NULL, updated_at = $6, \
         by_file = CASE WHEN $5 THEN by_file OR $7 ELSE $7 END, \
         machine_key = CASE WHEN $5 AND by_file THEN machine_key WHEN $7 THEN $8 END, \
         file_nonce = CASE WHEN $7 THEN $9 WHEN $5 AND by_file THEN file_nonce END \
         WHERE id = $1",
    )
    .bind(locked.site_id)
    .bind(req.fingerprint.as_str())
    .bind(req.token_hash)
    .bind(transfers_after)
    .bind(activation == Activation::Again)
    .bind(now_us)
    .bind(req.by_file)
    .bind(req.machine_key)
    .bind(req.file_nonce)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE product_keys SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(locked.new_key_status.as_str())
        .bind(now_us)
        .bind(locked.key_id)
        .execute(&mut *conn)
        .await?;
    let action = match activation {
        Activation::Bind => "site.activated",
        Activation::Again => "site.reactivated",
        Activation::Transfer => "site.transferred",
    };
    let detail = Some(format!("fingerprint {}…", &req.fingerprint.as_str()[..12]));
    audit(conn, now, Actor::System, action, "site", target, detail).await?;
    announce(conn, &account_id.to_string()).await?;
    Ok(())
}

/// The account and installation (public id) of the registered key `key`.
pub(crate) async fn key_installation(
    db: &Pools,
    key: &ProductKey,
) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT s.account_id, s.public_id FROM sites s \
         JOIN product_keys k ON k.id = s.key_id WHERE k.key = $1",
    )
    .bind(key.compact())
    .fetch_optional(db.read())
    .await?)
}

/// Releases an active installation from its machine; its account. One bound by file only
/// for an operator (`LICENSED_BY_FILE` otherwise): its machine would keep running.
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
    type Row = (
        i64,
        i64,
        String,
        Option<String>,
        bool,
        i64,
        String,
        Option<String>,
    );
    let found: Option<Row> = sqlx::query_as(&format!(
        "SELECT s.id, s.account_id, s.status, s.token_hash, s.by_file, k.id, k.status, \
           s.fingerprint || ' ' || s.machine_key || ' ' || s.file_nonce \
         FROM sites s JOIN product_keys k ON k.id = s.key_id \
         WHERE s.public_id = $1{lock}"
    ))
    .bind(public_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (site_id, account_id, status, _token, by_file, key_id, key_status, _machine) = found
        .filter(|f| match scope {
            SiteScope::Machine {
                fingerprint,
                machine_key,
                activation_nonce,
            } => f.7.as_deref() == Some(&format!("{fingerprint} {machine_key} {activation_nonce}")),
            _ => scope.allows(f.1, f.3.as_deref()),
        })
        .ok_or(StoreError::NotFound("site"))?;
    if status != SiteStatus::Active.as_str() {
        return Err(StoreError::Conflict(ErrorCode::SiteNotActive));
    }
    if by_file && !matches!(scope, SiteScope::Any | SiteScope::Machine { .. }) {
        return Err(StoreError::Conflict(ErrorCode::LicensedByFile));
    }
    sqlx::query(
        "UPDATE sites SET status = 'deactivated', fingerprint = NULL, token_hash = NULL, \
         by_file = FALSE, machine_key = NULL, file_nonce = NULL, deactivated_at = $2, \
         updated_at = $2 \
         WHERE id = $1",
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
