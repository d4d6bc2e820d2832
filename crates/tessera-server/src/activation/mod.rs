//! Activation and validation (C1–C2, D5–D6), as the client software at a site asks for
//! them: binding an installation to a machine, its site data, releasing the machine, and
//! the daily check; activation by file is `offline`. The JSON routes (routes/activation.rs, routes/validation.rs) and, later,
//! the web pages call these.

pub mod offline;

use std::net::IpAddr;

use tessera_api::{ActivationRequest, ErrorCode, SiteData, ValidationRequest};
use tessera_core::license::Installation;
use tessera_core::site::site_label;
use tessera_core::{
    Activation, Actor, Fingerprint, LicenseState, Nonce, ProductKey, SignedDocument,
};
use tessera_store::{AccountRef, ActivationResult, SiteScope, SiteView};

use crate::actors::SiteClient;
use crate::error::{ApiError, ApiResult};
use crate::extract::token_hash;
use crate::forms;
use crate::oplog::OpNote;
use crate::sessions::new_token;
use crate::signing::documents::{signed_license, validation_payload};
use crate::state::AppState;

/// What an activation gave.
pub enum Activated {
    /// Bound (or bound again, or moved) to the machine.
    Done {
        activation: Activation,
        site: Box<SiteView>,
        /// For the site's own calls; replaces any earlier one.
        site_token: String,
        license: SignedDocument,
    },
    /// Named by VAT number with several installations of the product: the client must
    /// choose one and ask again.
    ChooseInstallation(Vec<Installation>),
}

/// Activates the machine `req.fingerprint` for `req.product_key` of the account `req`
/// names (by email or VAT number), from `ip` (C1). Rate-limited per IP and per key. A refused
/// attempt on a registered key goes on record for the key's account and installation, so
/// that its owner sees it; an attempt on any other key is seen by operators only.
pub async fn activate(
    app: &AppState,
    ip: IpAddr,
    req: &ActivationRequest,
    note: &OpNote,
) -> ApiResult<Activated> {
    app.limits.activations.check_ip(ip)?;
    let key = crate::keys::typed_key(app, "product_key", &req.product_key).await?;
    let fingerprint = Fingerprint::parse(req.fingerprint.trim())
        .map_err(|e| ApiError::invalid((&e).into(), "fingerprint", e))?;
    let vat;
    let account = match (&req.email, &req.vat_number) {
        (Some(email), None) => AccountRef::Email(email),
        (None, Some(v)) => {
            vat = vat_of(app, v, &key).await?;
            AccountRef::Vat(&vat)
        }
        _ => {
            return Err(ApiError::invalid(
                ErrorCode::AccountRefRequired,
                "email",
                "name the account by exactly one of email or vat_number",
            ));
        }
    };
    app.limits.activations.check_subject(key.compact())?;
    let site_token = new_token();
    let request = tessera_store::ActivationRequest {
        account,
        key: &key,
        fingerprint: &fingerprint,
        installation: req.installation.as_deref().map(str::trim),
        token_hash: &token_hash(&site_token),
        by_file: false,
        machine_key: None,
        file_nonce: None,
    };
    let activated = bind(app, ip, &request, site_token).await;
    if !matches!(activated, Ok(Activated::Done { .. })) {
        note_key_holder(app, &key, note).await;
    }
    activated
}

/// The VAT number an activation names, in canonical form. With its country prefix it is
/// checked as that country's; without one (seed 002 asks for the plain partita IVA) it is
/// read as the number of the key's account when that account's number is one of its
/// readings, else as its first reading — which the store then refuses like any number that
/// is not the key's account's (`KEY_INVALID`), so the answer says nothing about the key.
/// A number no country's format fits is `VAT_NUMBER_INVALID`.
pub(crate) async fn vat_of(app: &AppState, input: &str, key: &ProductKey) -> ApiResult<String> {
    if tessera_core::vat::has_country_prefix(input) {
        return forms::vat_with_prefix(input);
    }
    let readings = tessera_core::vat::bare_vat_candidates(input);
    let Some(first) = readings.first() else {
        return Err(ApiError::invalid(
            ErrorCode::VatNumberInvalid,
            "vat_number",
            "not a VAT number of any country we check; add its country prefix (IT, DE, …)",
        ));
    };
    let holder = match app.store.key_installation(key).await? {
        Some((account, _)) => app.store.account(account).await?.map(|a| a.vat_number),
        None => None,
    };
    let chosen = readings
        .iter()
        .find(|r| holder.as_deref() == Some(r.as_str()))
        .unwrap_or(first);
    Ok(chosen.as_str().to_owned())
}

/// Binds the installation the store picks to the machine, with the new `site_token`, and
/// signs its license.
async fn bind(
    app: &AppState,
    ip: IpAddr,
    request: &tessera_store::ActivationRequest<'_>,
    site_token: String,
) -> ApiResult<Activated> {
    let now = app.clock.now();
    Ok(match app.store.activate(request, now).await? {
        ActivationResult::ChooseInstallation(list) => Activated::ChooseInstallation(list),
        ActivationResult::Done { activation, site } => {
            let keys = app.keyring.fresh(&app.store).await?;
            let license = signed_license(&site, &keys, now);
            tracing::info!(site = %site.public_id, ?activation, %ip, "site activation");
            Activated::Done {
                activation,
                site,
                site_token,
                license,
            }
        }
    })
}

/// Puts a refused activation of `key` on record for the account and installation the key
/// is registered to, if any. The answer stays the same whether or not there is one.
async fn note_key_holder(app: &AppState, key: &ProductKey, note: &OpNote) {
    match app.store.key_installation(key).await {
        Ok(Some((account_id, site_id))) => {
            note.account(account_id);
            note.site(&site_id);
        }
        Ok(None) => {}
        // Only the log entry's owner is lost; the refusal itself is answered as it was.
        Err(e) => tracing::warn!(error = %e, "finding whose key a refused activation named"),
    }
}

/// Stores the site data the client sends after activation (C1) and names the site by it.
pub async fn set_site_data(
    app: &AppState,
    client: &SiteClient,
    req: &SiteData,
) -> ApiResult<SiteView> {
    let data = forms::site_data(req)?;
    let label = site_label(&data.company, data.branch.as_deref(), &data.locality);
    let json = serde_json::to_string(&data).map_err(anyhow::Error::from)?;
    Ok(app
        .store
        .set_site_data(
            &client.site_id,
            &client.token_hash,
            &json,
            &label,
            app.clock.now(),
        )
        .await?)
}

/// Releases the machine (C2): the site token stops working, the key may be activated on
/// another machine.
pub async fn deactivate(app: &AppState, client: &SiteClient) -> ApiResult<SiteView> {
    let actor = Actor::Site(client.site_id.clone());
    Ok(app
        .store
        .deactivate_site(
            &client.site_id,
            SiteScope::Token(&client.token_hash),
            &actor,
            app.clock.now(),
        )
        .await?)
}

/// The daily check (D5, D6), answered from memory: the state of the site's license as the
/// machine `req.fingerprint` sees it, in a signed document bound to the client's nonce
/// (signed in a batch with the others ready at the same moment); a successful check's time
/// is recorded in batches. Rate-limited per IP and per site.
pub async fn validate(
    app: &AppState,
    ip: IpAddr,
    req: &ValidationRequest,
) -> ApiResult<(LicenseState, SignedDocument)> {
    let site_id = req.site_id.trim();
    if !tessera_core::site::is_site_id(site_id) {
        return Err(ApiError::invalid(
            ErrorCode::SiteIdInvalid,
            "site_id",
            "a site id is the id activation returned",
        ));
    }
    let fingerprint = Fingerprint::parse(req.fingerprint.trim())
        .map_err(|e| ApiError::invalid((&e).into(), "fingerprint", e))?;
    let nonce =
        Nonce::parse(req.nonce.trim()).map_err(|e| ApiError::invalid((&e).into(), "nonce", e))?;
    app.limits.validations.check(ip, site_id)?;
    let sites = app.store.cached_sites(site_id).await?;
    let keys = app.keyring.fresh(&app.store).await?;
    let now = app.clock.now();
    let (license_state, valid_site, payload) =
        validation_payload(sites.as_deref(), site_id, &fingerprint, &nonce, &keys, now);
    let document = app
        .validation_signer
        .sign(keys, &payload)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    if let (Some(id), Some(account)) = (valid_site, sites.as_deref().map(|s| s.account_id)) {
        app.validations.record(id, account, now);
    }
    metrics::counter!("tessera_validations_total", "state" => license_state.as_str()).increment(1);
    Ok((license_state, document))
}
