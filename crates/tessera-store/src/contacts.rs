//! What an account's superadmin changes after registration: the company and contact data
//! (the profile; never the username, email or VAT number) and further contacts. Each change
//! is audited in its transaction.

use jiff::Timestamp;
use tessera_core::Actor;

use crate::{Result, Store, StoreError, from_micros};

/// A new company name and profile (JSON, as registration stores it).
#[derive(Debug, Clone)]
pub struct ProfileChange {
    pub company_name: String,
    pub profile: String,
}

/// A further contact of an account, checked by the caller.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub mobile: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRecord {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub mobile: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    id: i64,
    first_name: String,
    last_name: String,
    email: String,
    mobile: String,
    created_at: i64,
}

impl TryFrom<ContactRow> for ContactRecord {
    type Error = StoreError;
    fn try_from(r: ContactRow) -> Result<Self> {
        Ok(ContactRecord {
            id: r.id,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            mobile: r.mobile,
            created_at: from_micros(r.created_at)?,
        })
    }
}

impl Store {
    /// Replaces the account's company name and profile.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn update_account_profile(
        &self,
        account_id: i64,
        change: &ProfileChange,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::contacts::update_profile(
            db, account_id, change, actor, now
        ))
    }

    /// Sets the language of the account's mail (`en`, `de`, `it`); true when it changed.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn set_account_language(
        &self,
        account_id: i64,
        language: tessera_core::Language,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<bool> {
        on_backend!(self, |db| sql::contacts::set_language(
            db,
            account_id,
            language.code(),
            actor,
            now
        ))
    }

    /// Adds a further contact; `TOO_MANY_CONTACTS` when the account has `max` already.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn add_account_contact(
        &self,
        account_id: i64,
        contact: &NewContact,
        max: u32,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ContactRecord> {
        let id = on_backend!(self, |db| sql::contacts::add_contact(
            db, account_id, contact, max, actor, now
        ))?
        .ok_or(StoreError::Conflict(
            tessera_api::ErrorCode::TooManyContacts,
        ))?;
        self.account_contacts(account_id)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(StoreError::NotFound("contact"))
    }

    /// The account's further contacts, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn account_contacts(&self, account_id: i64) -> Result<Vec<ContactRecord>> {
        let rows = on_backend!(self, |db| sql::contacts::contacts(db, account_id))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Removes one of the account's contacts; another account's is `NotFound("contact")`.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn remove_account_contact(
        &self,
        account_id: i64,
        contact_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::contacts::remove_contact(
            db, account_id, contact_id, actor, now
        ))
    }
}
