//! Customer accounts (B1–B4): registration with a first product key, further keys, password
//! resets by single-use token. Each registered key gets its installation slot (a site) in
//! the same transaction.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::{Actor, ProductKey};

use crate::{Result, Store, StoreError, from_micros};

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
    /// How many days the account's operations log is kept; `None` follows the server's
    /// setting (I2).
    pub log_retention_days: Option<u32>,
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
pub(crate) struct AccountRow {
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
    log_retention_days: Option<i64>,
}

pub(crate) const ACCOUNT_SELECT: &str = "\
    SELECT id, username, email, password_hash, company_name, country, vat_number, profile, \
           privacy_accepted_at, privacy_ip, newsletter, language, created_at, log_retention_days \
           FROM accounts";

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
            // Written only as 1..=3650 (operations::set_log_retention); anything else reads as
            // the server's setting.
            log_retention_days: r.log_retention_days.and_then(|d| u32::try_from(d).ok()),
        })
    }
}

/// Which unique column a duplicate account hit.
pub(crate) fn account_duplicate(e: StoreError) -> StoreError {
    match e {
        StoreError::Duplicate(msg) if msg.contains("username") => {
            StoreError::Conflict(ErrorCode::UsernameTaken)
        }
        StoreError::Duplicate(msg) if msg.contains("email") => {
            StoreError::Conflict(ErrorCode::EmailTaken)
        }
        StoreError::Duplicate(msg) if msg.contains("vat_number") => {
            StoreError::Conflict(ErrorCode::VatNumberTaken)
        }
        other => other,
    }
}

impl Store {
    /// Creates the account with its first key, its installation slot and the confirmation
    /// mail, all in one transaction. Conflicts: `USERNAME_TAKEN`, `EMAIL_TAKEN`,
    /// `VAT_NUMBER_TAKEN`, `KEY_INVALID`.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(username = %account.username, site = site_public_id)
    )]
    pub async fn register_account(
        &self,
        account: &NewAccount,
        key: &ProductKey,
        reseller: &str,
        site_public_id: &str,
        now: Timestamp,
    ) -> Result<AccountRecord> {
        let id = on_backend!(self, |db| sql::accounts::register_account(
            db,
            account,
            key,
            reseller,
            site_public_id,
            now,
        ))?;
        self.account(id)
            .await?
            .ok_or(StoreError::NotFound("account"))
    }

    /// Adds a further key to an account (B2), with its installation slot.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, site = site_public_id)
    )]
    pub async fn add_account_key(
        &self,
        account_id: i64,
        key: &ProductKey,
        reseller: &str,
        site_public_id: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::accounts::add_account_key(
            db,
            account_id,
            key,
            reseller,
            site_public_id,
            actor,
            now,
        ))?;
        self.changed(account_id);
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = id))]
    pub async fn account(&self, id: i64) -> Result<Option<AccountRecord>> {
        let row = on_backend!(self, |db| sql::accounts::account_where(db, "id = $1", id))?;
        row.map(TryInto::try_into).transpose()
    }

    /// By username or email (both are kept lower case).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn account_by_login(&self, login: &str) -> Result<Option<AccountRecord>> {
        let login = login.trim().to_lowercase();
        let condition = "username = $1 OR email = $1";
        let row = on_backend!(self, |db| sql::accounts::account_where(
            db, condition, login
        ))?;
        row.map(TryInto::try_into).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>> {
        let row = on_backend!(self, |db| sql::accounts::account_where(
            db,
            "email = $1",
            email.to_owned()
        ))?;
        row.map(TryInto::try_into).transpose()
    }

    /// Up to `limit` accounts with ids above `after`, in id order; `search` matches the start
    /// of the username, email, company name or VAT number (case-blind).
    #[tracing::instrument(level = "debug", skip_all, fields(after = after, limit = limit))]
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
        let rows = on_backend!(self, |db| sql::accounts::accounts(
            db,
            after,
            limit,
            pattern.as_deref(),
        ))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Stores a password-reset token (by `token_hash`, the hash of `code`) and queues the
    /// mail that carries the code to the account.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn create_password_reset(
        &self,
        account_id: i64,
        code: &str,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::accounts::create_password_reset(
            db, account_id, code, token_hash, now, expires_at,
        ))
    }

    /// Whether a reset token is known, unused and unexpired (a cheap check before hashing the
    /// new password).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn reset_token_usable(&self, token_hash: &str, now: Timestamp) -> Result<bool> {
        let found = on_backend!(self, |db| sql::accounts::reset_token_account(
            db, token_hash, now
        ))?;
        Ok(found.is_some())
    }

    /// Uses a reset token once: sets the new password and ends every session of the account.
    /// A used, expired or unknown token fails with `RESET_TOKEN_INVALID`; the conditional
    /// update makes two concurrent uses succeed once.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<i64> {
        on_backend!(self, |db| sql::accounts::reset_password(
            db,
            token_hash,
            password_hash,
            now
        ))
    }
}
