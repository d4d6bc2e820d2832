//! What the account's superadmin changes after registration (the seed's "complete/update
//! your account information"): the company and contact data, and further contacts. The
//! username, the registration email and the VAT number with its country stay as registered:
//! they identify the account (B4).

use tessera_api::{
    Account, AccountContact, AccountContactList, ErrorCode, LanguageChoice, NewAccountContact,
    ProfileUpdate,
};
use tessera_core::Language;
use tessera_core::account::country;
use tessera_store::{AccountRecord, ContactRecord, ProfileChange};

use super::{Profile, own_account};
use crate::actors::Superadmin;
use crate::error::{ApiError, ApiResult};
use crate::forms;
use crate::state::AppState;

/// The most further contacts an account keeps.
pub const MAX_CONTACTS: u32 = 20;

/// Replaces the company and contact data; the VAT number and country must be the registered
/// ones (`FIELD_FIXED`).
pub async fn update_profile(
    app: &AppState,
    who: &Superadmin,
    req: &ProfileUpdate,
) -> ApiResult<Account> {
    let account = app
        .store
        .account(who.id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let company = fixed_identity(&account, req)?;
    let contact = forms::contact(&req.contact)?;
    let change = ProfileChange {
        company_name: company.name.clone(),
        profile: serde_json::to_string(&Profile { company, contact })
            .map_err(anyhow::Error::from)?,
    };
    let now = app.clock.now();
    app.store
        .update_account_profile(who.id, &change, &who.actor(), now)
        .await?;
    own_account(app, who.id).await
}

/// Sets the language the account's mail is written in (also set by the superadmin signing
/// in with a language, e.g. the web application's).
pub async fn set_language(
    app: &AppState,
    who: &Superadmin,
    req: &LanguageChoice,
) -> ApiResult<Account> {
    let language = Language::parse("language", &req.language)?;
    super::remember_language(app, who.id, language, &who.actor()).await?;
    own_account(app, who.id).await
}

/// The company block checked, with the country and VAT number as registered.
fn fixed_identity(
    account: &AccountRecord,
    req: &ProfileUpdate,
) -> ApiResult<tessera_api::CompanyData> {
    let fixed = |field: &str| {
        ApiError::invalid(
            ErrorCode::FieldFixed,
            field,
            "the VAT number and its country identify the account and cannot be changed",
        )
    };
    if country("company.country", &req.company.country)? != account.country {
        return Err(fixed("company.country"));
    }
    let company = forms::company(&req.company)?;
    if company.vat_number != account.vat_number {
        return Err(fixed("company.vat_number"));
    }
    Ok(company)
}

pub async fn add_contact(
    app: &AppState,
    who: &Superadmin,
    req: &NewAccountContact,
) -> ApiResult<AccountContact> {
    let contact = forms::new_contact(req)?;
    let now = app.clock.now();
    let added = app
        .store
        .add_account_contact(who.id, &contact, MAX_CONTACTS, &who.actor(), now)
        .await?;
    Ok(to_api(added))
}

pub async fn contacts(app: &AppState, who: &Superadmin) -> ApiResult<AccountContactList> {
    let contacts = app.store.account_contacts(who.id).await?;
    Ok(AccountContactList {
        contacts: contacts.into_iter().map(to_api).collect(),
    })
}

pub async fn remove_contact(app: &AppState, who: &Superadmin, contact_id: i64) -> ApiResult<()> {
    let now = app.clock.now();
    Ok(app
        .store
        .remove_account_contact(who.id, contact_id, &who.actor(), now)
        .await?)
}

fn to_api(c: ContactRecord) -> AccountContact {
    AccountContact {
        id: c.id,
        first_name: c.first_name,
        last_name: c.last_name,
        email: c.email,
        mobile: c.mobile,
        created_at: c.created_at.to_string(),
    }
}
