//! Accounts' SQL: registration with its first key, further keys, password resets.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::{Actor, KeyStatus, ProductKey};

use super::audit::audit;
use super::outbox::{enqueue_mail, recipient};
use super::{Conn, Pools, announce, row_lock};
use crate::accounts::{ACCOUNT_SELECT, AccountRow, NewAccount, account_duplicate};
use crate::{Result, StoreError, mails, to_micros};

/// A key being registered to an account, and the installation slot it gets.
pub(crate) struct KeySlot<'a> {
    pub key: &'a ProductKey,
    /// The reseller data the customer gave (none for an imported key).
    pub reseller: Option<&'a str>,
    /// The installation's name; by default it is named after the key.
    pub label: Option<&'a str>,
    pub site_public_id: &'a str,
}

/// Registers the slot's key to `account_id` and creates its installation slot, inside the
/// caller's transaction. An unknown, registered or revoked key fails with the one code
/// `KEY_INVALID`, so nobody learns which keys exist.
pub(crate) async fn register_key(
    conn: &mut Conn,
    account_id: i64,
    slot: &KeySlot<'_>,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let KeySlot {
        key,
        reseller,
        label,
        site_public_id,
    } = *slot;
    let now_us = to_micros(now);
    let found: Option<(i64, String)> =
        sqlx::query_as("SELECT id, status FROM product_keys WHERE key = $1")
            .bind(key.compact())
            .fetch_optional(&mut *conn)
            .await?;
    let Some((key_id, status)) = found else {
        return Err(StoreError::Conflict(ErrorCode::KeyInvalid));
    };
    let old: KeyStatus = status.parse().map_err(StoreError::Corrupt)?;
    let new = old
        .register()
        .map_err(|_| StoreError::Conflict(ErrorCode::KeyInvalid))?;
    let changed = sqlx::query(
        "UPDATE product_keys SET status = $1, account_id = $2, reseller = $3, \
         registered_at = $4, updated_at = $4 WHERE id = $5 AND status = $6",
    )
    .bind(new.as_str())
    .bind(account_id)
    .bind(reseller)
    .bind(now_us)
    .bind(key_id)
    .bind(old.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(StoreError::Conflict(ErrorCode::KeyInvalid));
    }
    sqlx::query(
        "INSERT INTO sites (public_id, account_id, key_id, status, label, created_at, \
         updated_at) VALUES ($1, $2, $3, 'registered', $5, $4, $4)",
    )
    .bind(site_public_id)
    .bind(account_id)
    .bind(key_id)
    .bind(now_us)
    .bind(label.map_or_else(|| tessera_core::site::default_label(key), str::to_owned))
    .execute(&mut *conn)
    .await?;
    let detail = Some(format!("account {account_id}, site {site_public_id}"));
    audit(
        conn,
        now,
        actor,
        "key.registered",
        "key",
        key.compact(),
        detail,
    )
    .await
}

/// Creates the account with its first key, its installation slot and the confirmation
/// mail; the account's id.
pub(crate) async fn register_account(
    db: &Pools,
    account: &NewAccount,
    key: &ProductKey,
    reseller: &str,
    site_public_id: &str,
    now: Timestamp,
) -> Result<i64> {
    let lock = row_lock(" FOR UPDATE");
    let mut tx = db.begin().await?;
    // The key first: without a key that can be registered nobody learns whether a
    // username, email or VAT number is taken.
    let status: Option<String> = sqlx::query_scalar(&format!(
        "SELECT status FROM product_keys WHERE key = $1{lock}"
    ))
    .bind(key.compact())
    .fetch_optional(&mut *tx)
    .await?;
    let usable = status
        .and_then(|s| s.parse::<KeyStatus>().ok())
        .is_some_and(|s| s.register().is_ok());
    if !usable {
        return Err(StoreError::Conflict(ErrorCode::KeyInvalid));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (username, email, password_hash, company_name, country, \
         vat_number, profile, privacy_accepted_at, privacy_ip, newsletter, created_at, \
         updated_at, company_search, language) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $8, $8, $11, $12) RETURNING id",
    )
    .bind(&account.username)
    .bind(&account.email)
    .bind(&account.password_hash)
    .bind(&account.company_name)
    .bind(&account.country)
    .bind(&account.vat_number)
    .bind(&account.profile)
    .bind(to_micros(now))
    .bind(&account.privacy_ip)
    .bind(account.newsletter)
    .bind(account.company_name.to_lowercase())
    .bind(&account.language)
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(account_duplicate)?;
    let actor = Actor::Account(account.username.clone());
    let detail = Some(format!("privacy accepted from {}", account.privacy_ip));
    audit(
        &mut tx,
        now,
        &actor,
        "account.registered",
        "account",
        id,
        detail,
    )
    .await?;
    let slot = KeySlot {
        key,
        reseller: Some(reseller),
        label: None,
        site_public_id,
    };
    register_key(&mut tx, id, &slot, &actor, now).await?;
    let mail = mails::account_registered(account, id, key);
    enqueue_mail(&mut tx, now, &mail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Registers a further key to an account, with its installation slot.
pub(crate) async fn add_account_key(
    db: &Pools,
    account_id: i64,
    key: &ProductKey,
    reseller: &str,
    site_public_id: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let slot = KeySlot {
        key,
        reseller: Some(reseller),
        label: None,
        site_public_id,
    };
    register_key(&mut tx, account_id, &slot, actor, now).await?;
    announce(&mut tx, &account_id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// One account, by the column `condition` names.
pub(crate) async fn account_where<T>(
    db: &Pools,
    condition: &str,
    value: T,
) -> Result<Option<AccountRow>>
where
    T: for<'q> sqlx::Encode<'q, super::Db> + sqlx::Type<super::Db> + Send,
{
    Ok(
        sqlx::query_as::<_, AccountRow>(&format!("{ACCOUNT_SELECT} WHERE {condition}"))
            .bind(value)
            .fetch_optional(db.read())
            .await?,
    )
}

/// Up to `limit` accounts with ids above `after`; `pattern` is a LIKE pattern (escaped
/// with `\`) for the start of the username, email, company name or VAT number.
pub(crate) async fn accounts(
    db: &Pools,
    after: i64,
    limit: u32,
    pattern: Option<&str>,
) -> Result<Vec<AccountRow>> {
    Ok(sqlx::query_as::<_, AccountRow>(&format!(
        "{ACCOUNT_SELECT} WHERE id > $1 AND ($2 IS NULL OR username LIKE $2 ESCAPE '\\' \
         OR email LIKE $2 ESCAPE '\\' OR company_search LIKE $2 ESCAPE '\\' \
         OR LOWER(vat_number) LIKE $2 ESCAPE '\\') ORDER BY id LIMIT $3"
    ))
    .bind(after)
    .bind(pattern)
    .bind(i64::from(limit))
    .fetch_all(db.read())
    .await?)
}

/// Stores a password-reset token (by its hash) and queues the mail that carries `code`.
pub(crate) async fn create_password_reset(
    db: &Pools,
    account_id: i64,
    code: &str,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO password_resets (token_hash, account_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(to_micros(now))
    .bind(to_micros(expires_at))
    .execute(&mut *tx)
    .await?;
    let to = recipient(&mut tx, account_id).await?;
    let mail = mails::password_reset(&to, code, expires_at.duration_since(now));
    enqueue_mail(&mut tx, now, &mail).await?;
    let action = "account.password_reset_requested";
    audit(
        &mut tx,
        now,
        Actor::System,
        action,
        "account",
        account_id,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The account a usable (known, unused, unexpired) reset token is for.
pub(crate) async fn reset_token_account(
    db: &Pools,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT account_id FROM password_resets \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(to_micros(now))
    .fetch_optional(db.read())
    .await?)
}

/// Uses a reset token once: sets the new password and ends every session of the account.
pub(crate) async fn reset_password(
    db: &Pools,
    token_hash: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<i64> {
    let now_us = to_micros(now);
    let mut tx = db.begin().await?;
    let account_id: i64 = sqlx::query_scalar(
        "UPDATE password_resets SET used_at = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING account_id",
    )
    .bind(token_hash)
    .bind(now_us)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::Conflict(ErrorCode::ResetTokenInvalid))?;
    // Any other code sent earlier dies with this one.
    sqlx::query(
        "UPDATE password_resets SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL",
    )
    .bind(account_id)
    .bind(now_us)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now_us)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM account_sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let action = "account.password_reset";
    audit(
        &mut tx,
        now,
        Actor::System,
        action,
        "account",
        account_id,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(account_id)
}
