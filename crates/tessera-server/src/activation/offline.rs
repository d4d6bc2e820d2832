//! Activation and revalidation by file (X1), for sites without internet access: a request
//! file the site's client wrote is answered with a response file holding a signed licence
//! bound to the request's nonce and machine. The account's superadmin (portal, web page) or
//! an operator uploads it; the rules are online activation's (C1–C2), the nonce is answered
//! for one machine only. A deactivation signed with the key the machine named at its
//! activation releases the installation, answered with a receipt. See docs/offline.md.

use tessera_api::ErrorCode;
use tessera_core::license::Installation;
use tessera_core::offline::{
    OfflineRequest, ReleaseReceipt, RequestFile, RequestKind, ResponseFile, parse_request_file,
    signed_by,
};
use tessera_core::{Actor, Fingerprint, LicenseState, OfflinePolicy, license_state};
use tessera_store::{AccountRef, ActivationResult, NewOfflineAnswer, SiteScope, SiteView};

use crate::error::{ApiError, ApiResult};
use crate::extract::token_hash;
use crate::sessions::new_token;
use crate::signing::documents::signed_offline_license;
use crate::state::AppState;

/// Who answers a request file, and so which keys it may answer for.
#[derive(Debug, Clone)]
pub enum Answerer {
    /// An operator: any account's key.
    Operator(Actor),
    /// An account's superadmin: the keys of that account only.
    Account { id: i64, actor: Actor },
}

impl Answerer {
    fn actor(&self) -> &Actor {
        match self {
            Answerer::Operator(a) | Answerer::Account { actor: a, .. } => a,
        }
    }

    fn may_answer_for(&self, account_id: i64) -> bool {
        match self {
            Answerer::Operator(_) => true,
            Answerer::Account { id, .. } => *id == account_id,
        }
    }
}

/// A request answered.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The request's nonce: names the answer (the web page's download link).
    pub nonce: String,
    pub kind: RequestKind,
    pub site_id: String,
    pub account_id: i64,
    /// The response file's bytes (a deactivation's: the release receipt), the same on every
    /// answer to the same request.
    pub response: Vec<u8>,
    /// The request had been answered before (for this machine): this is that answer.
    pub repeated: bool,
}

fn refused_request(e: impl std::fmt::Display) -> ApiError {
    ApiError::refused(ErrorCode::OfflineRequestInvalid, e)
}

/// Answers the request file `bytes` (X1): activation binds the machine as an online
/// activation would (same account, key, installation and transfer rules) without a site
/// token; revalidation renews the licence of the installation already bound to the machine.
/// The answer is kept under the request's nonce: the same request again (same machine) gets
/// the same answer, the nonce for another machine `OFFLINE_REQUEST_USED`.
pub async fn answer(app: &AppState, by: &Answerer, bytes: &[u8]) -> ApiResult<Answered> {
    // Control characters are refused at the edge, by field, as in every JSON body; the
    // file is otherwise read as it came (its digest is over its values).
    if crate::control_chars::might_hold(bytes)
        && let Err(field) = crate::control_chars::read_checked::<serde_json::Value>(bytes)
    {
        return Err(crate::extract::control_character(&field));
    }
    let file = parse_request_file(bytes).map_err(refused_request)?;
    let req = &file.request;
    let fingerprint = req.fingerprint().map_err(refused_request)?;
    let nonce = req.nonce().map_err(refused_request)?;
    let key = crate::keys::typed_key(app, "product_key", &req.product_key).await?;
    // A superadmin answers for the account's own keys only; any other key is simply not
    // valid here, whether or not it exists.
    let holder = app.store.key_installation(&key).await?;
    let Some((account_id, key_site)) = holder.filter(|(a, _)| by.may_answer_for(*a)) else {
        return Err(ErrorCode::KeyInvalid.into());
    };
    if let Some(earlier) = app.store.offline_answer(&nonce).await?
        && !earlier.pending()
    {
        return repeat(by, &nonce, &fingerprint, req.kind, earlier);
    }
    let key_site = app.store.site(&key_site).await?;
    // A deactivation gives a licence up whatever the product offers now: the machine has
    // deleted its licence already.
    if key_site.offline_policy == OfflinePolicy::None && req.kind != RequestKind::Deactivation {
        return Err(ErrorCode::OfflineNotAllowed.into());
    }
    // The nonce is taken for this machine before anything is bound: no second machine can
    // be bound for it, even by an upload at the same moment.
    let now = app.clock.now();
    let kind = req.kind.as_str();
    let reserved = match app
        .store
        .reserve_offline_request(&nonce, &fingerprint, kind, key_site.id, now)
        .await?
    {
        None => true,
        Some(other) if other.fingerprint != fingerprint.as_str() || other.kind != kind => {
            return Err(ErrorCode::OfflineRequestUsed.into());
        }
        Some(answered) if !answered.pending() => {
            return repeat(by, &nonce, &fingerprint, req.kind, answered);
        }
        // The same machine's upload in progress: binding again is idempotent.
        Some(_) => false,
    };
    let bound = match req.kind {
        RequestKind::Activation => bind(app, req, &key, &fingerprint, &nonce).await,
        RequestKind::Revalidation => {
            bound_site(app, req, account_id, &key_site.public_id, &fingerprint).await
        }
        RequestKind::Deactivation => {
            release(
                app,
                by,
                &file,
                account_id,
                &key_site.public_id,
                &fingerprint,
            )
            .await
        }
    };
    let site = match bound {
        Ok(site) => site,
        Err(refused) => {
            if reserved {
                // Refused: the same request may be answered once the reason is gone.
                app.store.release_offline_request(&nonce).await?;
            }
            return Err(refused);
        }
    };
    let response = if req.kind == RequestKind::Deactivation {
        ReleaseReceipt::new(site.public_id.clone(), now).to_file()
    } else {
        let keys = app.keyring.fresh(&app.store).await?;
        let license = signed_offline_license(&site, &keys, now, &nonce)
            .ok_or_else(|| ApiError::from(ErrorCode::OfflineNotAllowed))?;
        ResponseFile::new(site.public_id.clone(), license).to_file()
    };
    let text = String::from_utf8(response).map_err(anyhow::Error::from)?;
    let stored = app
        .store
        .record_offline_answer(
            NewOfflineAnswer {
                nonce: &nonce,
                fingerprint: &fingerprint,
                kind: req.kind.as_str(),
                site_id: site.id,
                response: &text,
            },
            by.actor(),
            now,
        )
        .await?;
    if stored.response != text {
        // Another upload of the same request was answered first.
        return repeat(by, &nonce, &fingerprint, req.kind, stored);
    }
    if req.kind == RequestKind::Revalidation {
        // A check answered by file counts as the site's check (fleet alarms, overview).
        app.validations.record(site.id, site.account_id, now);
    }
    tracing::info!(site = %site.public_id, kind = req.kind.as_str(), "offline request answered");
    Ok(Answered {
        nonce: nonce.as_str().to_owned(),
        kind: req.kind,
        site_id: site.public_id,
        account_id: site.account_id,
        response: text.into_bytes(),
        repeated: false,
    })
}

/// The earlier answer to the same nonce: given again to the same machine (and to someone
/// who may see it), refused for any other.
fn repeat(
    by: &Answerer,
    nonce: &tessera_core::Nonce,
    fingerprint: &Fingerprint,
    kind: RequestKind,
    earlier: tessera_store::OfflineAnswer,
) -> ApiResult<Answered> {
    if earlier.fingerprint != fingerprint.as_str()
        || earlier.kind != kind.as_str()
        || !by.may_answer_for(earlier.account_id)
    {
        return Err(ErrorCode::OfflineRequestUsed.into());
    }
    Ok(Answered {
        nonce: nonce.as_str().to_owned(),
        kind,
        site_id: earlier.site_id,
        account_id: earlier.account_id,
        response: earlier.response.into_bytes(),
        repeated: true,
    })
}

/// Binds the machine as an online activation does, with a site token nobody is given (the
/// site has no connection to use one; an earlier online token stops working, as after any
/// activation).
async fn bind(
    app: &AppState,
    req: &OfflineRequest,
    key: &tessera_core::ProductKey,
    fingerprint: &Fingerprint,
    nonce: &tessera_core::Nonce,
) -> ApiResult<SiteView> {
    let vat;
    let account = match (&req.email, &req.vat_number) {
        (Some(email), None) => AccountRef::Email(email),
        (None, Some(v)) => {
            vat = super::vat_of(app, v, key).await?;
            AccountRef::Vat(&vat)
        }
        // parse_request refused anything else.
        _ => return Err(refused_request("no account named")),
    };
    let unused_token = token_hash(&new_token());
    let request = tessera_store::ActivationRequest {
        account,
        key,
        fingerprint,
        installation: req.installation.as_deref().map(str::trim),
        token_hash: &unused_token,
        by_file: true,
        machine_key: req.machine_key.as_deref(),
        file_nonce: Some(nonce.as_str()),
    };
    match app.store.activate(&request, app.clock.now()).await? {
        ActivationResult::Done { activation, site } => {
            tracing::info!(site = %site.public_id, ?activation, "site activation by file");
            Ok(*site)
        }
        ActivationResult::ChooseInstallation(list) => Err(choose(&list)),
    }
}

fn choose(list: &[Installation]) -> ApiError {
    let names: Vec<String> = list
        .iter()
        .map(|i| format!("{} ({})", i.site_id, i.label))
        .collect();
    ApiError::refused(
        ErrorCode::InstallationChoiceRequired,
        format!(
            "this VAT number has several installations of the product; write the request \
             again naming one of: {}",
            names.join(", ")
        ),
    )
}

/// The installation of the key's product that is bound to `fingerprint`, if its licence
/// is in force; else why not. The request must name the key's account as activation does.
async fn bound_site(
    app: &AppState,
    req: &OfflineRequest,
    account_id: i64,
    key_site: &str,
    fingerprint: &Fingerprint,
) -> ApiResult<SiteView> {
    let site = bound_to(app, req, account_id, key_site, fingerprint).await?;
    let state = license_state(
        site.status,
        site.fingerprint.as_ref(),
        site.key_status,
        site.expires_at,
        fingerprint,
        app.clock.now(),
    );
    let code = match state {
        // From now on the machine runs on a licence by file, so only an operator releases
        // or moves it; marked in one statement that finds it still bound to this machine.
        LicenseState::Valid => {
            let now = app.clock.now();
            if !app
                .store
                .mark_site_by_file(site.id, fingerprint, now)
                .await?
            {
                return Err(ErrorCode::OfflineSiteNotActive.into());
            }
            return Ok(site);
        }
        LicenseState::Expired => ErrorCode::LicenseExpired,
        LicenseState::Revoked => ErrorCode::LicenseRevoked,
        LicenseState::Suspended => ErrorCode::LicenseSuspended,
        _ => ErrorCode::OfflineSiteNotActive,
    };
    Err(code.into())
}

/// Releases the installation bound to the machine that signed the deactivation `file`
/// with the key it named when it was activated by file, if the activation the file names
/// is the newest by file (a deactivation written before the machine was activated again
/// releases nothing; renewals do not count, answered or not); whatever the licence's
/// expiry. A suspended installation is released once resumed. An installation whose machine named
/// no key (an older client, or bound online and renewed by file) is released by the
/// vendor only: `MACHINE_KEY_UNKNOWN`.
async fn release(
    app: &AppState,
    by: &Answerer,
    file: &RequestFile,
    account_id: i64,
    key_site: &str,
    fingerprint: &Fingerprint,
) -> ApiResult<SiteView> {
    let site = bound_to(app, &file.request, account_id, key_site, fingerprint).await?;
    let Some(kept) = site.machine_key.as_deref().filter(|_| site.by_file) else {
        return Err(ErrorCode::MachineKeyUnknown.into());
    };
    if !signed_by(file, kept) {
        return Err(refused_request(
            "the deactivation is not signed by the machine the installation is bound to",
        ));
    }
    let scope = SiteScope::Machine {
        fingerprint: fingerprint.as_str(),
        machine_key: kept,
        activation_nonce: file.request.activation_nonce.as_deref().unwrap_or_default(),
    };
    match app
        .store
        .deactivate_site(&site.public_id, scope, by.actor(), app.clock.now())
        .await
    {
        Ok(released) => {
            tracing::info!(site = %released.public_id, "site released by a deactivation file");
            Ok(released)
        }
        // Released or bound again meanwhile (another upload, an operator).
        Err(tessera_store::StoreError::NotFound(_) | tessera_store::StoreError::Conflict(_)) => {
            Err(ErrorCode::OfflineSiteNotActive.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The active installation of the key's product bound to `fingerprint` (the chosen one, if
/// the request names one), whose account the request names as activation does.
async fn bound_to(
    app: &AppState,
    req: &OfflineRequest,
    account_id: i64,
    key_site: &str,
    fingerprint: &Fingerprint,
) -> ApiResult<SiteView> {
    let account = app
        .store
        .account(account_id)
        .await?
        .ok_or_else(|| ApiError::from(ErrorCode::KeyInvalid))?;
    let named = match (&req.email, &req.vat_number) {
        (Some(email), None) => email.trim().eq_ignore_ascii_case(&account.email),
        (None, Some(v)) => {
            let key = crate::keys::typed_key(app, "product_key", &req.product_key).await?;
            super::vat_of(app, v, &key).await.ok() == Some(account.vat_number.clone())
        }
        _ => false,
    };
    if !named {
        return Err(ErrorCode::KeyInvalid.into());
    }
    let sites = app.store.account_sites(account_id).await?;
    let product = sites
        .site(key_site)
        .map(|s| s.product.clone())
        .unwrap_or_default();
    let chosen = req.installation.as_deref().map(str::trim);
    let site = sites
        .sites
        .iter()
        .filter(|s| s.product == product)
        .filter(|s| chosen.is_none_or(|c| c == s.public_id))
        .find(|s| s.fingerprint.as_ref() == Some(fingerprint))
        .ok_or_else(|| ApiError::from(ErrorCode::OfflineSiteNotActive))?;
    Ok(site.clone())
}

/// The answer given to the request with `nonce`, again (the web page's download): for
/// someone who may answer for the installation's account; anything else is not found.
pub async fn stored_answer(app: &AppState, by: &Answerer, nonce: &str) -> ApiResult<Answered> {
    let not_found = || crate::error::not_found("offline answer");
    let nonce = tessera_core::Nonce::parse(nonce.trim()).map_err(|_| not_found())?;
    let earlier = app
        .store
        .offline_answer(&nonce)
        .await?
        .filter(|a| by.may_answer_for(a.account_id) && !a.pending())
        .ok_or_else(not_found)?;
    let kind = match earlier.kind.as_str() {
        "revalidation" => RequestKind::Revalidation,
        "deactivation" => RequestKind::Deactivation,
        _ => RequestKind::Activation,
    };
    Ok(Answered {
        nonce: nonce.as_str().to_owned(),
        kind,
        site_id: earlier.site_id,
        account_id: earlier.account_id,
        response: earlier.response.into_bytes(),
        repeated: true,
    })
}

/// Sets the product's offline policy (an operator, X1).
pub async fn set_policy(
    app: &AppState,
    op: &crate::actors::Operator,
    product: &str,
    req: &tessera_api::SetOfflinePolicy,
) -> ApiResult<tessera_store::ProductRecord> {
    let policy = OfflinePolicy::parse(&req.offline_policy, req.offline_check_days)
        .map_err(|e| ApiError::invalid(ErrorCode::OfflinePolicyInvalid, "offline_policy", e))?;
    Ok(app
        .store
        .set_offline_policy(
            &product.to_ascii_lowercase(),
            policy,
            &op.actor(),
            app.clock.now(),
        )
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_superadmin_answers_for_its_own_account_only() {
        let own = Answerer::Account {
            id: 7,
            actor: Actor::Account("rossi".into()),
        };
        assert!(own.may_answer_for(7));
        assert!(!own.may_answer_for(8));
        assert!(Answerer::Operator(Actor::Operator("admin".into())).may_answer_for(8));
    }
}
