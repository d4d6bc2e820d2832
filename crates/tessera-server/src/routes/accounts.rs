//! Customer registration (B1) and the operators' view of accounts.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tessera_api::ErrorCode;
use tessera_api::{Account, AccountPage, AccountSummary, CompanyData, ContactData, Registration};
use tessera_core::site::new_site_id;
use tessera_core::{Language, Username};
use tessera_store::{AccountRecord, NewAccount, StoreError};
use utoipa::IntoParams;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ClientIp};
use crate::forms;
use crate::oplog::OpNote;
use crate::routes::auth::hash_password;
use crate::signing::documents::to_api_site;
use crate::state::AppState;

/// What registration stores besides the looked-up columns.
#[derive(Serialize, Deserialize)]
struct Profile {
    company: CompanyData,
    contact: ContactData,
}

/// The account with its installations, as its owner and operators see it.
pub async fn account_view(state: &AppState, a: AccountRecord) -> ApiResult<Account> {
    let profile: Profile = serde_json::from_str(&a.profile)
        .map_err(|e| anyhow::anyhow!("profile of account {}: {e}", a.id))?;
    let sites = state.store.account_sites(a.id).await?;
    Ok(Account {
        id: a.id,
        username: a.username,
        email: a.email,
        company: profile.company,
        contact: profile.contact,
        privacy_accepted_at: a.privacy_accepted_at.to_string(),
        privacy_ip: a.privacy_ip,
        newsletter: a.newsletter,
        language: a.language,
        created_at: a.created_at.to_string(),
        installations: sites.sites.iter().map(to_api_site).collect(),
    })
}

/// Register a customer account with a product key (B1). Sends a confirmation email.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = Registration,
    responses(
        (status = 201, body = Account),
        (status = 409, description = "USERNAME_TAKEN, EMAIL_TAKEN or VAT_NUMBER_TAKEN", body = tessera_api::ErrorBody),
        (status = 422, description = "a field is wrong; `field` names it (KEY_INVALID for a key that cannot be registered)", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: OpNote,
    ApiJson(req): ApiJson<Registration>,
) -> ApiResult<(StatusCode, ApiJson<Account>)> {
    state.limits.key_lookups.check_ip(ip)?;
    let username = Username::parse("username", &req.username)?;
    let password = forms::password("password", &req.password)?;
    let email = forms::email_twice("email", &req.email, &req.email_confirm)?;
    let company = forms::company(&req.company)?;
    let contact = forms::contact(&req.contact)?;
    let reseller = forms::reseller(&req.reseller)?;
    if !req.privacy_accepted {
        return Err(ApiError::invalid(
            ErrorCode::PrivacyNotAccepted,
            "privacy_accepted",
            "the privacy policy must be accepted",
        ));
    }
    let language = match &req.language {
        Some(code) => Language::parse("language", code)?,
        None => Language::default(),
    };
    let key = forms::product_key("product_key", &req.product_key)?;
    state.limits.key_lookups.check_subject(key.compact())?;
    let now = state.clock.now();
    let account = NewAccount {
        username: username.as_str().to_owned(),
        email: email.as_str().to_owned(),
        password_hash: hash_password(password).await?,
        company_name: company.name.clone(),
        country: company.country.clone(),
        vat_number: company.vat_number.clone(),
        profile: serde_json::to_string(&Profile { company, contact })
            .map_err(anyhow::Error::from)?,
        privacy_ip: ip.to_string(),
        newsletter: req.newsletter,
        language: language.code().to_owned(),
    };
    let reseller = serde_json::to_string(&reseller).map_err(anyhow::Error::from)?;
    let mail = |id: i64| {
        state
            .mail
            .compose(
                "account.registered",
                language,
                &account.email,
                serde_json::json!({
                    "username": account.username,
                    "account_id": id,
                    "product_key": key.to_string(),
                }),
            )
            .map_err(|e| StoreError::Mail(format!("{e:#}")))
    };
    let record = state
        .store
        .register_account(&account, &key, &reseller, &new_site_id(), mail, now)
        .await?;
    tracing::info!(account = record.id, %ip, "account registered");
    note.actor(format!("account:{}", record.username));
    note.account(record.id);
    Ok((
        StatusCode::CREATED,
        ApiJson(account_view(&state, record).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AccountQuery {
    /// Return accounts with ids above this (from `next_after`).
    #[serde(default)]
    pub after: i64,
    /// Page size, 1 to 500 (default 100).
    pub limit: Option<u32>,
    /// Matches the start of username, email, company name or VAT number.
    pub q: Option<String>,
}

/// List customer accounts (operators).
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(AccountQuery),
    security(("operator_token" = [])),
    responses((status = 200, body = AccountPage), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _op: Operator,
    ApiQuery(q): ApiQuery<AccountQuery>,
) -> ApiResult<ApiJson<AccountPage>> {
    let limit = super::page_limit(q.limit)?;
    let search = q.q.as_deref().filter(|s| !s.trim().is_empty());
    let accounts = state.store.accounts(q.after, limit, search).await?;
    let next_after = super::next_after(&accounts, limit, |a| a.id);
    Ok(ApiJson(AccountPage {
        accounts: accounts
            .into_iter()
            .map(|a| AccountSummary {
                id: a.id,
                username: a.username,
                email: a.email,
                company_name: a.company_name,
                country: a.country,
                vat_number: a.vat_number,
                created_at: a.created_at.to_string(),
            })
            .collect(),
        next_after,
    }))
}

/// One customer account with its installations (operators).
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "account number")),
    security(("operator_token" = [])),
    responses((status = 200, body = Account), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Account>> {
    let account = state
        .store
        .account(id)
        .await?
        .ok_or(crate::error::not_found("account"))?;
    Ok(ApiJson(account_view(&state, account).await?))
}
