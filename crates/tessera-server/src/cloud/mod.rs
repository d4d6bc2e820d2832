//! The cloud service (E1, E5–E6) as use cases: the set-up overview, the free trial, enabling
//! sites (each site's codes are mailed to its representative), and a site's client
//! exchanging those codes for a cloud token whose standing sync checks. The rules are in
//! `tessera_core::cloud` and `tessera_core::subscription`; the JSON routes are
//! routes/cloud.rs.

use std::collections::BTreeMap;

use subtle::ConstantTimeEq;
use tessera_api::{
    BundleRef, CloudGroup, CloudOverview, CloudSite, ErrorCode, StartTrial, Subscription,
};
use tessera_core::cloud::{CloudStatus, new_activation_code, new_site_code, normalize_code};
use tessera_core::release::{Version, update_required};
use tessera_store::{CloudAccess, IssuedCodes, SubscriptionRecord};

use crate::actors::{Holds, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::token_hash;
use crate::sessions::new_token;
use crate::state::AppState;

/// The service the portal's cloud pages sell (plans name theirs; this one is the seeds').
pub const CLOUD: &str = "cloud";
/// Its name in the mails.
const CLOUD_NAME: &str = "Cloud";

/// At most this many sites are enabled in one request.
const MAX_SITES_AT_ONCE: usize = 500;

pub fn to_api_subscription(s: &SubscriptionRecord, now: jiff::Timestamp) -> Subscription {
    let state = s.state_at(now);
    Subscription {
        id: s.id,
        account_id: s.account_id,
        service: s.service.clone(),
        plan: s.plan.clone(),
        state: state.as_str().to_owned(),
        reason: state
            .usable()
            .err()
            .map(|why| ErrorCode::from(why).as_str().to_owned()),
        seats: s.seats,
        bundle: s.bundle.as_ref().map(|b| BundleRef {
            edition: b.edition.clone(),
            size: b.size.clone(),
        }),
        trial_started_at: s.trial_started_at.map(|t| t.to_string()),
        purchased_at: s.purchased_at.map(|t| t.to_string()),
        starts_at: s.starts_at.to_string(),
        expires_at: s.expires_at.to_string(),
        note: s.state_note.clone(),
    }
}

/// The cloud set-up page: the subscription, and the account's installations grouped by
/// edition and size with how many are available and enabled (E5). Every edition and size a
/// plan of the service covers has its group, with 0 sites when the account has none of it
/// (the seed lists "Professional edition, quantity: 0"), as has every bundle the account
/// has sites of; groups come by edition rank, then size.
pub async fn overview(state: &AppState, account_id: i64) -> ApiResult<CloudOverview> {
    let now = state.clock.now();
    let subscription = state.store.subscription(account_id, CLOUD).await?;
    let sites = state.store.cloud_sites(account_id, CLOUD).await?;
    let (mut groups, ranks) = covered_groups(state).await?;
    for site in &sites {
        let status = site.cloud_status(subscription.as_ref());
        let at = match groups
            .iter()
            .position(|g| g.edition == site.bundle.edition && g.size == site.bundle.size)
        {
            Some(at) => at,
            None => {
                groups.push(CloudGroup {
                    edition: site.bundle.edition.clone(),
                    edition_name: site.edition_name.clone(),
                    size: site.bundle.size.clone(),
                    size_name: site.size_name.clone(),
                    available: 0,
                    active: 0,
                    sites: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[at];
        group.available += 1;
        group.active += u32::from(status == CloudStatus::Enabled);
        group.sites.push(CloudSite {
            site_id: site.site_id.clone(),
            label: site.label.clone(),
            status: site.status.clone(),
            product_key: site.product_key.clone(),
            email: site.email.clone(),
            cloud: status.as_str().to_owned(),
            enabled_at: site.enabled_at.map(|t| t.to_string()),
            connected: site.claimed_at.is_some(),
        });
    }
    groups.sort_by_key(|g| {
        (
            ranks.get(&g.edition).copied().unwrap_or(i64::MAX),
            g.size.clone(),
        )
    });
    Ok(CloudOverview {
        service: CLOUD.to_owned(),
        subscription: subscription.map(|s| to_api_subscription(&s, now)),
        available: groups.iter().map(|g| g.available).sum(),
        active: groups.iter().map(|g| g.active).sum(),
        groups,
    })
}

/// An empty group for every edition and size a plan of the service covers, named as the
/// catalog names them, and the rank of each edition (groups are shown in edition order).
async fn covered_groups(state: &AppState) -> ApiResult<(Vec<CloudGroup>, BTreeMap<String, i64>)> {
    let plans: Vec<_> = state
        .store
        .plans()
        .await?
        .into_iter()
        .filter(|p| p.service == CLOUD)
        .collect();
    let mut products: Vec<String> = plans.iter().map(|p| p.product.clone()).collect();
    products.sort_unstable();
    products.dedup();
    let mut groups: Vec<CloudGroup> = Vec::new();
    let mut ranks = BTreeMap::new();
    for code in &products {
        let product = state.store.product(code).await?;
        ranks.extend(product.editions.iter().map(|e| (e.code.clone(), e.rank)));
        let covered = plans
            .iter()
            .filter(|p| &p.product == code)
            .flat_map(|p| &p.bundles);
        for bundle in covered {
            let known = groups
                .iter()
                .any(|g| g.edition == bundle.edition && g.size == bundle.size);
            let edition = product.editions.iter().find(|e| e.code == bundle.edition);
            let size = product.sizes.iter().find(|z| z.code == bundle.size);
            if let (false, Some(edition), Some(size)) = (known, edition, size) {
                groups.push(CloudGroup {
                    edition: edition.code.clone(),
                    edition_name: edition.name.clone(),
                    size: size.code.clone(),
                    size_name: size.name.clone(),
                    available: 0,
                    active: 0,
                    sites: Vec::new(),
                });
            }
        }
    }
    Ok((groups, ranks))
}

/// Starts the free trial of `req.plan` (E1): once per account, never after a purchase, and
/// only with the terms accepted (the trial's start is the record of when and by whom).
pub async fn start_trial(
    app: &AppState,
    who: &Holds<right::ApproveCosts>,
    req: &StartTrial,
) -> ApiResult<SubscriptionRecord> {
    terms_accepted(req.terms_accepted)?;
    let sub = app
        .store
        .start_trial(
            who.id,
            req.plan.trim(),
            &app.zone,
            &who.actor(),
            app.clock.now(),
        )
        .await?;
    tracing::info!(account = who.id, plan = %sub.plan, "trial started");
    Ok(sub)
}

/// Refuses a trial or an order whose customer did not accept the service's terms.
pub fn terms_accepted(accepted: bool) -> ApiResult<()> {
    if accepted {
        return Ok(());
    }
    Err(ApiError::invalid(
        ErrorCode::TermsNotAccepted,
        "terms_accepted",
        "the terms and conditions of the service must be accepted",
    ))
}

/// Enables the `sites` (E5), in the order given (the first fixes the bundle of a new
/// subscription), each once: all or nothing. Each site's activation code and site code are
/// mailed to its representative in the same transaction.
pub async fn enable_sites(
    app: &AppState,
    who: &Holds<right::ManageSites>,
    sites: &[String],
) -> ApiResult<()> {
    if sites.len() > MAX_SITES_AT_ONCE {
        return Err(ApiError::invalid(
            ErrorCode::TooManySites,
            "sites",
            "at most 500 sites at once",
        ));
    }
    let mut picked: Vec<&str> = Vec::with_capacity(sites.len());
    for site in sites.iter().map(|s| s.trim()) {
        if !picked.contains(&site) {
            picked.push(site);
        }
    }
    let codes: Vec<IssuedCodes> = picked.iter().map(|site_id| issue_codes(site_id)).collect();
    let (actor, now) = (who.actor(), app.clock.now());
    app.store
        .enable_cloud_sites(who.id, CLOUD, CLOUD_NAME, &codes, &actor, now)
        .await?;
    tracing::info!(account = who.id, sites = codes.len(), "cloud sites enabled");
    Ok(())
}

/// A site's new codes: the activation code is kept only as its hash.
fn issue_codes(site_id: &str) -> IssuedCodes {
    let activation_code = new_activation_code();
    IssuedCodes {
        site_id: site_id.to_owned(),
        activation_code_hash: token_hash(&activation_code),
        activation_code,
        site_code: new_site_code(),
    }
}

/// Mails an enabled site's activation data again to its representative (the seed's "Send
/// the activation data by e-mail"): the same site code and a new activation code, since only
/// the old one's hash was kept. Limited per site like the code exchange, and logged.
pub async fn resend_codes(
    app: &AppState,
    who: &Holds<right::ManageSites>,
    site_id: &str,
) -> ApiResult<()> {
    let site_id = site_id.trim();
    app.limits
        .cloud_codes
        .check_subject(&format!("resend {site_id}"))?;
    let codes = issue_codes(site_id);
    let (actor, now) = (who.actor(), app.clock.now());
    app.store
        .resend_cloud_codes(who.id, (CLOUD, CLOUD_NAME), &codes, &actor, now)
        .await?;
    tracing::info!(
        account = who.id,
        site = site_id,
        "cloud activation data sent again"
    );
    Ok(())
}

/// Refuses to disable an enabled site mid-term (E3: sites are dropped at the renewal).
pub async fn disable_site(
    app: &AppState,
    who: &Holds<right::ManageSites>,
    site_id: &str,
) -> ApiResult<()> {
    Ok(app.store.disable_cloud_site(who.id, CLOUD, site_id).await?)
}

fn codes_invalid() -> ApiError {
    ApiError::refused(
        ErrorCode::CloudCodesInvalid,
        "the site code and activation code do not match an enabled site",
    )
}

/// A site's client exchanges the emailed codes for a cloud token scoped to that site (a new
/// exchange replaces the old token, e.g. after a reinstall). The activation code is compared
/// in constant time; the site must be allowed in the cloud now, and its program (at
/// `product_version`, as the client says) at or above the product's minimum version for the
/// cloud. Rate-limited per IP and per site code by the caller.
pub async fn exchange_codes(
    app: &AppState,
    site_code: &str,
    activation_code: &str,
    product_version: Option<&str>,
) -> ApiResult<(CloudAccess, String)> {
    let running = product_version
        .map(|v| crate::catalog::releases::version("product_version", v))
        .transpose()?;
    let site_code = normalize_code(site_code);
    let activation_code = normalize_code(activation_code);
    if site_code.is_empty() || site_code.len() > 32 || activation_code.len() > 64 {
        return Err(codes_invalid());
    }
    app.limits.cloud_codes.check_subject(&site_code)?;
    let hash = token_hash(&activation_code);
    let access = app
        .store
        .cloud_access_by_code(&site_code)
        .await?
        .filter(|a| bool::from(a.activation_code_hash.as_bytes().ct_eq(hash.as_bytes())))
        .ok_or_else(codes_invalid)?;
    let now = app.clock.now();
    crate::error::cloud_standing(&access, now)?;
    program_may_connect(app, &access, running.as_ref()).await?;
    let token = new_token();
    let actor = tessera_core::Actor::Site(access.site_id.clone());
    app.store
        .claim_cloud(&site_code, &token_hash(&token), &actor, now)
        .await?;
    tracing::info!(site = %access.site_id, "cloud access granted");
    Ok((access, token))
}

/// `UPDATE_REQUIRED` when the site's product needs a newer program to connect to the cloud
/// than `running` (or than one that did not say its version).
async fn program_may_connect(
    app: &AppState,
    access: &CloudAccess,
    running: Option<&Version>,
) -> ApiResult<()> {
    let sites = app.store.cached_account_sites(access.account_id).await?;
    // A site is never deleted, so its account's list holds it; not finding it must not
    // skip the check.
    let site = sites.site(&access.site_id).ok_or_else(|| {
        anyhow::anyhow!(
            "cloud site {} missing from its account's sites",
            access.site_id
        )
    })?;
    let Some(needed) = site.cloud_minimum_version.as_ref() else {
        return Ok(());
    };
    let refuse = |why: String| {
        Err(ApiError::Refused {
            code: ErrorCode::UpdateRequired,
            message: format!(
                "version {needed} or later of the program is needed to connect to the cloud; {why}"
            ),
            field: Some("product_version".into()),
        })
    };
    match running {
        None => refuse("the program did not say its version".into()),
        Some(running) => match update_required(running, Some(needed)) {
            Some(_) => refuse(format!("this one is {running}")),
            None => Ok(()),
        },
    }
}

/// The standing of the site whose cloud token is `token`: 401 when the token is unknown,
/// 403 with the reason while the site may not use the cloud.
pub async fn standing(app: &AppState, token: &str) -> ApiResult<CloudAccess> {
    let access = app
        .store
        .cloud_access(&token_hash(token))
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    crate::error::cloud_standing(&access, app.clock.now())?;
    Ok(access)
}
