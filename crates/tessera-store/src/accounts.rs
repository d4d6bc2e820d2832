//! Customer accounts (B1–B4): registration with a first product key, further keys, password
//! resets by single-use token. Each registered key gets its installation slot (a site) in
//! the same transaction.

use jiff::Timestamp;
use tessera_core::{Actor, KeyStatus, ProductKey};

use crate::audit::audit;
use crate::outbox::{Mail, enqueue_mail};
use crate::{Result, Store, StoreError, from_micros, to_micros};

/// An account as registration creates it. `profile` is the rest of the registration form
/// (address, sector, counts, contact) as JSON.
#[derive(Clone)]
pub struct NewAccount {
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub company_name: String,
    pub country: String,
    pub vat_number: String,
    pub profile: String,
    pub privacy_ip: String,
    pub newsletter: bool,
    /// The language mail to the account is written in (`en`, `de`, `it`).
    pub language: String,
}

#[derive(Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub company_name: String,
    pub country: String,
    pub vat_number: String,
    pub profile: String,
    pub privacy_accepted_at: Timestamp,
    pub privacy_ip: String,
    pub newsletter: bool,
    pub language: String,
    pub created_at: Timestamp,
}

/// The password hash stays out of debug output.
impl std::fmt::Debug for AccountRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("vat_number", &self.vat_number)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    username: String,
    email: String,
    password_hash: String,
    company_name: String,
    country: String,
    vat_number: String,
    profile: String,
    privacy_accepted_at: i64,
    privacy_ip: String,
    newsletter: bool,
    language: String,
    created_at: i64,
}

const ACCOUNT_SELECT: &str = "\
    SELECT id, username, email, password_hash, company_name, country, vat_number, profile, \
           privacy_accepted_at, privacy_ip, newsletter, language, created_at FROM accounts";

impl TryFrom<AccountRow> for AccountRecord {
    type Error = StoreError;
    fn try_from(r: AccountRow) -> Result<Self> {
        Ok(AccountRecord {
            id: r.id,
            username: r.username,
            email: r.email,
            password_hash: r.password_hash,
            company_name: r.company_name,
            country: r.country,
            vat_number: r.vat_number,
            profile: r.profile,
            privacy_accepted_at: from_micros(r.privacy_accepted_at)?,
            privacy_ip: r.privacy_ip,
            newsletter: r.newsletter,
            language: r.language,
            created_at: from_micros(r.created_at)?,
        })
    }
}

/// Which unique column a duplicate account hit.
fn account_duplicate(e: StoreError) -> StoreError {
    match e {
        StoreError::Duplicate(msg) if msg.contains("username") => {
            StoreError::Conflict("USERNAME_TAKEN")
        }
        StoreError::Duplicate(msg) if msg.contains("email") => StoreError::Conflict("EMAIL_TAKEN"),
        StoreError::Duplicate(msg) if msg.contains("vat_number") => {
            StoreError::Conflict("VAT_NUMBER_TAKEN")
        }
        other => other,
    }
}

/// Registers `key` to `account_id` with the reseller data, and creates its installation
/// slot, inside the caller's transaction. An unknown, registered or revoked key fails with
/// the one code `KEY_INVALID`, so nobody learns which keys exist.
macro_rules! register_key_in_tx {
    ($tx:ident, $account_id:expr, $key:expr, $reseller:expr, $site_public_id:expr, $actor:expr, $now:expr) => {{
        let now_us = to_micros($now);
        let found: Option<(i64, String)> =
            sqlx::query_as("SELECT id, status FROM product_keys WHERE key = $1")
                .bind($key.compact())
                .fetch_optional(&mut *$tx)
                .await?;
        let Some((key_id, status)) = found else {
            return Err(StoreError::Conflict("KEY_INVALID"));
        };
        let old: KeyStatus = status.parse().map_err(StoreError::Corrupt)?;
        let new = old
            .register()
            .map_err(|_| StoreError::Conflict("KEY_INVALID"))?;
        let changed = sqlx::query(
            "UPDATE product_keys SET status = $1, account_id = $2, reseller = $3, \
             registered_at = $4, updated_at = $4 WHERE id = $5 AND status = $6",
        )
        .bind(new.as_str())
        .bind($account_id)
        .bind($reseller)
        .bind(now_us)
        .bind(key_id)
        .bind(old.as_str())
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(StoreError::Conflict("KEY_INVALID"));
        }
        sqlx::query(
            "INSERT INTO sites (public_id, account_id, key_id, status, label, created_at, \
             updated_at) VALUES ($1, $2, $3, 'registered', $5, $4, $4)",
        )
        .bind($site_public_id)
        .bind($account_id)
        .bind(key_id)
        .bind(now_us)
        .bind(tessera_core::site::default_label($key))
        .execute(&mut *$tx)
        .await?;
        audit!(
            $tx,
            $now,
            $actor,
            "key.registered",
            "key",
            $key.compact(),
            Some(format!("account {}, site {}", $account_id, $site_public_id))
        );
    }};
}

impl Store {
    /// Creates the account with its first key, its installation slot and the confirmation
    /// mail, all in one transaction. Conflicts: `USERNAME_TAKEN`, `EMAIL_TAKEN`,
    /// `VAT_NUMBER_TAKEN`, `KEY_INVALID`.
    pub async fn register_account(
        &self,
        account: &NewAccount,
        key: &ProductKey,
        reseller: &str,
        site_public_id: &str,
        mail: impl FnOnce(i64) -> Result<Mail>,
        now: Timestamp,
    ) -> Result<AccountRecord> {
        let lock = self.row_lock(" FOR UPDATE");
        let id = in_tx!(self, tx => {
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
                return Err(StoreError::Conflict("KEY_INVALID"));
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
            audit!(tx, now, actor, "account.registered", "account", id,
                Some(format!("privacy accepted from {}", account.privacy_ip)));
            register_key_in_tx!(tx, id, key, reseller, site_public_id, actor, now);
            enqueue_mail!(tx, now, &mail(id)?);
            id
        });
        self.account(id)
            .await?
            .ok_or(StoreError::NotFound("account"))
    }

    /// Adds a further key to an account (B2), with its installation slot.
    pub async fn add_account_key(
        &self,
        account_id: i64,
        key: &ProductKey,
        reseller: &str,
        site_public_id: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        in_tx!(self, tx => {
            register_key_in_tx!(tx, account_id, key, reseller, site_public_id, actor, now);
            crate::sites::announce!(self, tx, account_id);
        });
        self.changed(account_id);
        Ok(())
    }

    pub async fn account(&self, id: i64) -> Result<Option<AccountRecord>> {
        self.account_where("id = $1", id).await
    }

    /// By username or email (both are kept lower case).
    pub async fn account_by_login(&self, login: &str) -> Result<Option<AccountRecord>> {
        let login = login.trim().to_lowercase();
        let row = on_db!(self, read, db => {
            sqlx::query_as::<_, AccountRow>(&format!(
                "{ACCOUNT_SELECT} WHERE username = $1 OR email = $1"
            ))
            .bind(&login)
            .fetch_optional(db)
            .await?
        });
        row.map(TryInto::try_into).transpose()
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>> {
        self.account_where("email = $1", email.to_owned()).await
    }

    async fn account_where<T>(&self, condition: &str, value: T) -> Result<Option<AccountRecord>>
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Sqlite>
            + sqlx::Type<sqlx::Sqlite>
            + for<'q> sqlx::Encode<'q, sqlx::Postgres>
            + sqlx::Type<sqlx::Postgres>
            + Send
            + Clone,
    {
        let row = on_db!(self, read, db => {
            sqlx::query_as::<_, AccountRow>(&format!("{ACCOUNT_SELECT} WHERE {condition}"))
                .bind(value.clone())
                .fetch_optional(db)
                .await?
        });
        row.map(TryInto::try_into).transpose()
    }

    /// Up to `limit` accounts with ids above `after`, in id order; `search` matches the start
    /// of the username, email, company name or VAT number (case-blind).
    pub async fn accounts(
        &self,
        after: i64,
        limit: u32,
        search: Option<&str>,
    ) -> Result<Vec<AccountRecord>> {
        let pattern = search.map(|s| {
            let escaped = s
                .trim()
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("{escaped}%")
        });
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, AccountRow>(&format!(
                "{ACCOUNT_SELECT} WHERE id > $1 AND ($2 IS NULL OR username LIKE $2 ESCAPE '\\' \
                 OR email LIKE $2 ESCAPE '\\' OR company_search LIKE $2 ESCAPE '\\' \
                 OR LOWER(vat_number) LIKE $2 ESCAPE '\\') ORDER BY id LIMIT $3"
            ))
            .bind(after)
            .bind(pattern.as_deref())
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Stores a password-reset token (by its hash) and queues the mail that carries it.
    pub async fn create_password_reset(
        &self,
        account_id: i64,
        token_hash: &str,
        mail: &Mail,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        in_tx!(self, tx => {
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
            enqueue_mail!(tx, now, mail);
            audit!(tx, now, Actor::System, "account.password_reset_requested", "account",
                account_id, None::<String>);
        });
        Ok(())
    }

    /// Whether a reset token is known, unused and unexpired (a cheap check before hashing the
    /// new password).
    pub async fn reset_token_usable(&self, token_hash: &str, now: Timestamp) -> Result<bool> {
        let found: Option<i64> = on_db!(self, read, db => {
            sqlx::query_scalar(
                "SELECT account_id FROM password_resets \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(to_micros(now))
            .fetch_optional(db)
            .await?
        });
        Ok(found.is_some())
    }

    /// Uses a reset token once: sets the new password and ends every session of the account.
    /// A used, expired or unknown token fails with `RESET_TOKEN_INVALID`; the conditional
    /// update makes two concurrent uses succeed once.
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let now_us = to_micros(now);
        in_tx!(self, tx => {
            let account_id: i64 = sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $2 \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                 RETURNING account_id",
            )
            .bind(token_hash)
            .bind(now_us)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict("RESET_TOKEN_INVALID"))?;
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
            audit!(tx, now, Actor::System, "account.password_reset", "account", account_id,
                None::<String>);
            Ok(account_id)
        })
    }
}
