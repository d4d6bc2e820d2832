//! Activation (C1–C2), as the client software at a site asks for it: binding an
//! installation to a machine, its site data, and releasing the machine. The JSON routes
//! (routes/activation.rs) and, later, the web pages call these.

use std::net::IpAddr;

use tessera_api::{ActivationRequest, ErrorCode, SiteData};
use tessera_core::license::Installation;
use tessera_core::site::site_label;
use tessera_core::{Activation, Actor, Fingerprint, SignedDocument};
use tessera_store::{AccountRef, ActivationResult, SiteScope, SiteView};

use crate::actors::SiteClient;
use crate::error::{ApiError, ApiResult};
use crate::extract::token_hash;
use crate::forms;
use crate::sessions::new_token;
use crate::signing::documents::signed_license;
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
/// names (by email or VAT number), from `ip` (C1). Rate-limited per IP and per key.
pub async fn activate(app: &AppState, ip: IpAddr, req: &ActivationRequest) -> ApiResult<Activated> {
    app.limits.activations.check_ip(ip)?;
    let key = forms::product_key("product_key", &req.product_key)?;
    let fingerprint = Fingerprint::parse(req.fingerprint.trim())
        .map_err(|e| ApiError::invalid((&e).into(), "fingerprint", e))?;
    let vat;
    let account = match (&req.email, &req.vat_number) {
        (Some(email), None) => AccountRef::Email(email),
        (None, Some(v)) => {
            vat = forms::vat_with_prefix(v)?;
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
    };
    let now = app.clock.now();
    Ok(match app.store.activate(&request, now).await? {
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
