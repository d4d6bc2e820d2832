//! Customer accounts (B1–B4) as use cases: registration with a product key, further keys,
//! the account as its owner and operators see it, releasing an installation from its
//! machine, and the password reset by mailed code. The JSON routes are routes/accounts.rs
//! and routes/portal.rs.

pub mod customers;
pub mod profile;

use std::net::IpAddr;

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use tessera_api::{
    Account, AddKey, CompanyData, ContactData, ErrorCode, KeyCheck, Registration, SiteData,
};
use tessera_core::site::{new_site_id, site_label};
use tessera_core::{Email, Language, Username};
use tessera_store::{AccountRecord, NewAccount, SiteScope, SiteView, StoreError};

use crate::actors::{Holds, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::token_hash;
use crate::forms;
use crate::sessions::{hash_password, new_token};
use crate::signing::documents::to_api_site;
use crate::state::AppState;

/// Makes `language` the one the account's mail is written in from now on (mail already
/// queued keeps the language it was queued in).
pub async fn remember_language(
    app: &AppState,
    account_id: i64,
    language: Language,
    actor: &tessera_core::Actor,
) -> ApiResult<()> {
    let now = app.clock.now();
    if app
        .store
        .set_account_language(account_id, language, actor, now)
        .await?
    {
        tracing::info!(account_id, language = %language, "mail language set");
    }
    Ok(())
}

/// The installations `me` may see: all of the account's, or a site user's own only, its
/// product key masked but for the last group (the key moves an installation to another
/// machine).
pub async fn visible_sites(app: &AppState, me: &PortalUser) -> ApiResult<Vec<tessera_api::Site>> {
    let sites = app.store.account_sites(me.id).await?;
    Ok(sites
        .sites
        .iter()
        .filter(|s| me.site().is_none_or(|mine| mine == s.public_id))
        .map(|s| {
            let mut site = to_api_site(s);
            if me.site().is_some() {
                site.product_key = masked_key(&site.product_key);
            }
            site
        })
        .collect())
}

/// One installation `me` may see, as [`visible_sites`] shows it: `SITE_NOT_FOUND` for
/// another account's, and for a site user's other sites (the site page, H3).
pub async fn visible_site(
    app: &AppState,
    me: &PortalUser,
    site_id: &str,
) -> ApiResult<tessera_api::Site> {
    me.site_scope(site_id)?;
    // From the site cache (the account's own sites only), with its last check read fresh.
    let sites = app.store.cached_account_sites(me.id).await?;
    let mut view = sites
        .site(site_id)
        .cloned()
        .ok_or_else(|| crate::error::not_found("site"))?;
    view.last_validated_at = app.store.last_validation(site_id).await?;
    let mut site = to_api_site(&view);
    if me.site().is_some() {
        site.product_key = masked_key(&site.product_key);
    }
    Ok(site)
}

/// `****-****-****-F484`: enough to tell keys apart, not to activate one.
fn masked_key(key: &str) -> String {
    let last = key.rsplit('-').next().unwrap_or_default();
    format!("****-****-****-{last}")
}

/// How long a password-reset code works.
pub const RESET_VALID: SignedDuration = SignedDuration::from_hours(1);

/// What registration stores besides the looked-up columns.
#[derive(Serialize, Deserialize)]
struct Profile {
    company: CompanyData,
    contact: ContactData,
}

/// The account with its installations, as its owner and operators see it.
pub async fn account_view(app: &AppState, a: AccountRecord) -> ApiResult<Account> {
    let profile: Profile = serde_json::from_str(&a.profile)
        .map_err(|e| anyhow::anyhow!("profile of account {}: {e}", a.id))?;
    let sites = app.store.account_sites(a.id).await?;
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
        log_retention_days: a.log_retention_days,
        installations: sites.sites.iter().map(to_api_site).collect(),
    })
}

/// The account `id` as its owner sees it; 401 when it is gone.
pub async fn own_account(app: &AppState, id: i64) -> ApiResult<Account> {
    let account = app
        .store
        .account(id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    account_view(app, account).await
}

/// Registers a customer account with a product key (B1), from `ip` (kept with the privacy
/// acceptance); the confirmation mail is queued with it.
pub async fn register(app: &AppState, ip: IpAddr, req: &Registration) -> ApiResult<AccountRecord> {
    app.limits.key_lookups.check_ip(ip)?;
    let username = Username::parse("username", &req.username)?;
    let password = forms::password_twice("password", &req.password, &req.password_confirm)?;
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
    let key = crate::keys::typed_key(app, "product_key", &req.product_key).await?;
    app.limits.key_lookups.check_subject(key.compact())?;
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
    let now = app.clock.now();
    let record = app
        .store
        .register_account(&account, &key, &reseller, &new_site_id(), now)
        .await
        .map_err(taken_field)?;
    tracing::info!(account = record.id, %ip, "account registered");
    Ok(record)
}

/// A registration's conflict with the field it is about, so a form can show it there:
/// the username, the email or the VAT number another account has.
fn taken_field(e: StoreError) -> ApiError {
    use ErrorCode::{EmailTaken, UsernameTaken, VatNumberTaken};
    match e {
        StoreError::Conflict(code @ (UsernameTaken | EmailTaken | VatNumberTaken)) => {
            let field = match code {
                UsernameTaken => "username",
                EmailTaken => "email",
                _ => "company.vat_number",
            };
            ApiError::invalid(code, field, code.message())
        }
        other => other.into(),
    }
}

/// Whether `input` is a key that can be registered, before the registration form (B1):
/// unknown, revoked and registered keys are one answer, `KEY_INVALID`, so a caller learns
/// nothing about which keys exist. Limited like every key lookup, per address and per key.
pub async fn check_key(app: &AppState, ip: IpAddr, input: &str) -> ApiResult<KeyCheck> {
    app.limits.key_lookups.check_ip(ip)?;
    let key = crate::keys::typed_key(app, "product_key", input).await?;
    app.limits.key_lookups.check_subject(key.compact())?;
    let registrable = match app.store.key(&key).await {
        Ok(record) => record.status.register().is_ok(),
        Err(StoreError::NotFound(_)) => false,
        Err(e) => return Err(e.into()),
    };
    if !registrable {
        return Err(StoreError::Conflict(ErrorCode::KeyInvalid).into());
    }
    Ok(KeyCheck {
        product_key: key.to_string(),
        registrable,
    })
}

/// Registers a further product key to the account (B2), from `ip`.
pub async fn add_key(
    app: &AppState,
    ip: IpAddr,
    who: &Holds<right::ManageSites>,
    req: &AddKey,
) -> ApiResult<Account> {
    app.limits.key_lookups.check_ip(ip)?;
    let reseller = forms::reseller(&req.reseller)?;
    let key = crate::keys::typed_key(app, "product_key", &req.product_key).await?;
    app.limits.key_lookups.check_subject(key.compact())?;
    let reseller = serde_json::to_string(&reseller).map_err(anyhow::Error::from)?;
    let (site_id, now) = (new_site_id(), app.clock.now());
    app.store
        .add_account_key(who.id, &key, &reseller, &site_id, &who.actor(), now)
        .await?;
    own_account(app, who.id).await
}

/// Releases one of the account's installations from its machine, so its key can be
/// activated elsewhere (C2).
pub async fn release_site(
    app: &AppState,
    who: &Holds<right::ManageSites>,
    site_id: &str,
) -> ApiResult<SiteView> {
    let scope = SiteScope::Account(who.id);
    let now = app.clock.now();
    Ok(app
        .store
        .deactivate_site(site_id, scope, &who.actor(), now)
        .await?)
}

/// The account changes the identification data of one of its sites (seed 000, "Änderung
/// der Kenndaten"): the same fields and checks as the client's site data, and the site's
/// label follows; audited with who changed it.
pub async fn change_site_data(
    app: &AppState,
    who: &Holds<right::ManageSites>,
    site_id: &str,
    req: &SiteData,
) -> ApiResult<SiteView> {
    let data = forms::site_data(req)?;
    let label = site_label(&data.company, data.branch.as_deref(), &data.locality);
    let json = serde_json::to_string(&data).map_err(anyhow::Error::from)?;
    let now = app.clock.now();
    Ok(app
        .store
        .change_site_data(site_id, who.id, &json, &label, &who.actor(), now)
        .await?)
}

/// Mails a password-reset code to `email` when an account has it; says nothing either way.
pub async fn request_reset(app: &AppState, ip: IpAddr, email: &str) -> ApiResult<()> {
    let email = Email::parse("email", email)?;
    app.limits.key_lookups.check(ip, email.as_str())?;
    let Some(account) = app.store.account_by_email(email.as_str()).await? else {
        return Ok(());
    };
    let now = app.clock.now();
    let token = new_token();
    let hash = token_hash(&token);
    app.store
        .create_password_reset(account.id, &token, &hash, now, now + RESET_VALID)
        .await?;
    Ok(())
}

/// Sets a new password with the mailed code: it works once, and every session of the
/// account ends.
pub async fn confirm_reset(
    app: &AppState,
    ip: IpAddr,
    code: &str,
    password: &str,
) -> ApiResult<()> {
    app.limits.key_lookups.check_ip(ip)?;
    let password = forms::password("password", password)?;
    let token = token_hash(code.trim());
    let now = app.clock.now();
    // Hashing costs tens of milliseconds: only for a code that can work.
    if !app.store.reset_token_usable(&token, now).await? {
        return Err(ApiError::invalid(
            ErrorCode::ResetTokenInvalid,
            "token",
            ErrorCode::ResetTokenInvalid.message(),
        ));
    }
    let hash = hash_password(password).await?;
    app.store.reset_password(&token, &hash, now).await?;
    Ok(())
}
