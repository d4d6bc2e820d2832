//! The cloud service in the portal and at the site (E1, E5–E6): the account starts its
//! trial, sees its installations grouped by edition and size, enables a selection (each
//! site's codes are mailed to its representative), and a site's client exchanges those
//! codes for a cloud token whose standing sync checks.

use axum::extract::State;
use axum::http::StatusCode;
use subtle::ConstantTimeEq;
use tessera_api::ErrorCode;
use tessera_api::{
    BundleRef, CloudActivation, CloudGroup, CloudOverview, CloudSite, CloudStanding, CloudToken,
    EnableSites, StartTrial, Subscription,
};
use tessera_core::Language;
use tessera_core::cloud::{CloudStatus, new_activation_code, new_site_code, normalize_code};
use tessera_store::{IssuedCodes, StoreError, SubscriptionRecord};

use crate::actors::{AccountUser, Holds, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ClientIp, bearer_token, token_hash};
use crate::routes::auth::new_token;
use crate::state::AppState;

/// The service the portal's cloud pages sell (plans name theirs; this one is the seeds').
pub const CLOUD: &str = "cloud";

pub fn to_api_subscription(s: &SubscriptionRecord, now: jiff::Timestamp) -> Subscription {
    let state = s.state_at(now);
    Subscription {
        id: s.id,
        account_id: s.account_id,
        service: s.service.clone(),
        plan: s.plan.clone(),
        state: state.as_str().to_owned(),
        reason: state.refusal_code().map(str::to_owned),
        seats: s.seats,
        bundle: s.bundle.as_ref().map(|b| BundleRef {
            edition: b.edition.clone(),
            size: b.size.clone(),
        }),
        trial_started_at: s.trial_started_at.map(|t| t.to_string()),
        purchased_at: s.purchased_at.map(|t| t.to_string()),
        starts_at: s.starts_at.to_string(),
        expires_at: s.expires_at.to_string(),
    }
}

async fn overview(state: &AppState, account_id: i64) -> ApiResult<CloudOverview> {
    let now = state.clock.now();
    let subscription = state.store.subscription(account_id, CLOUD).await?;
    let sites = state.store.cloud_sites(account_id, CLOUD).await?;
    // Sites come ordered by edition rank, then size: groups follow that order.
    let mut groups: Vec<CloudGroup> = Vec::new();
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
    Ok(CloudOverview {
        service: CLOUD.to_owned(),
        subscription: subscription.map(|s| to_api_subscription(&s, now)),
        available: groups.iter().map(|g| g.available).sum(),
        active: groups.iter().map(|g| g.active).sum(),
        groups,
    })
}

/// The cloud set-up page: the subscription, and the account's installations grouped by
/// edition and size with how many are available and enabled (E5).
#[utoipa::path(get, path = "/api/v1/account/cloud", tag = "cloud",
    security(("account_token" = [])),
    responses((status = 200, body = CloudOverview), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: AccountUser,
) -> ApiResult<ApiJson<CloudOverview>> {
    Ok(ApiJson(overview(&state, me.id).await?))
}

/// Start the free trial (E1): once per account, never after a purchase. Needs
/// `actions.costly.approve`.
#[utoipa::path(post, path = "/api/v1/account/cloud/trial", tag = "cloud", request_body = StartTrial,
    security(("account_token" = [])),
    responses(
        (status = 201, body = Subscription),
        (status = 404, description = "PLAN_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "TRIAL_USED, TRIAL_AFTER_PURCHASE, PLAN_HAS_NO_TRIAL", body = tessera_api::ErrorBody),
    ))]
pub async fn trial(
    State(state): State<AppState>,
    me: Holds<right::ApproveCosts>,
    ApiJson(req): ApiJson<StartTrial>,
) -> ApiResult<(StatusCode, ApiJson<Subscription>)> {
    let now = state.clock.now();
    let sub = state
        .store
        .start_trial(me.id, req.plan.trim(), &state.zone, &me.actor(), now)
        .await?;
    tracing::info!(account = me.id, plan = %sub.plan, "trial started");
    Ok((StatusCode::CREATED, ApiJson(to_api_subscription(&sub, now))))
}

/// Enable installations for the cloud (E5): all of one edition and size, no more than the
/// subscription's sites; each site's activation code and site code go to its representative
/// email. All or nothing. Needs `sites.manage`.
#[utoipa::path(post, path = "/api/v1/account/cloud/sites", tag = "cloud", request_body = EnableSites,
    security(("account_token" = [])),
    responses(
        (status = 200, body = CloudOverview),
        (status = 404, description = "SUBSCRIPTION_NOT_FOUND, SITE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "PLAN_MISMATCH, EDITION_MISMATCH, SEATS_EXCEEDED, SITE_ALREADY_ENABLED, SITE_NOT_ACTIVE, SITE_EMAIL_MISSING, NO_SITES_SELECTED, SUBSCRIPTION_EXPIRED…", body = tessera_api::ErrorBody),
    ))]
pub async fn enable(
    State(state): State<AppState>,
    me: Holds<right::ManageSites>,
    ApiJson(req): ApiJson<EnableSites>,
) -> ApiResult<ApiJson<CloudOverview>> {
    if req.sites.len() > 500 {
        return Err(ApiError::invalid(
            ErrorCode::TooManySites,
            "sites",
            "at most 500 sites at once",
        ));
    }
    // In the order given (the first fixes the bundle of a new subscription), once each.
    let mut picked: Vec<&str> = Vec::with_capacity(req.sites.len());
    for site in req.sites.iter().map(|s| s.trim()) {
        if !picked.contains(&site) {
            picked.push(site);
        }
    }
    let codes: Vec<IssuedCodes> = picked
        .iter()
        .map(|site_id| {
            let activation_code = new_activation_code();
            IssuedCodes {
                site_id: (*site_id).to_owned(),
                activation_code_hash: token_hash(&activation_code),
                activation_code,
                site_code: new_site_code(),
            }
        })
        .collect();
    let account = state
        .store
        .account(me.id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let language = Language::from_stored(&account.language);
    let mail = |site: &tessera_store::CloudSiteRecord, c: &IssuedCodes| {
        let to = site.email.as_deref().unwrap_or_default();
        state
            .mail
            .compose(
                "cloud.site_codes",
                language,
                to,
                serde_json::json!({
                    "username": account.username,
                    "service": "Cloud",
                    "site": site.label,
                    "activation_code": c.activation_code,
                    "site_code": c.site_code,
                }),
            )
            .map_err(|e| StoreError::Mail(format!("{e:#}")))
    };
    state
        .store
        .enable_cloud_sites(me.id, CLOUD, &codes, mail, &me.actor(), state.clock.now())
        .await?;
    tracing::info!(account = me.id, sites = codes.len(), "cloud sites enabled");
    Ok(ApiJson(overview(&state, me.id).await?))
}

/// Disable an enabled site: refused mid-term, `SITE_LOCKED_UNTIL_RENEWAL` (E3: sites are
/// dropped at the renewal, by leaving them out of `keep`).
#[utoipa::path(delete, path = "/api/v1/account/cloud/sites/{site_id}", tag = "cloud",
    params(("site_id" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 404, description = "SITE_NOT_FOUND (not enabled)", body = tessera_api::ErrorBody),
        (status = 409, description = "SITE_LOCKED_UNTIL_RENEWAL", body = tessera_api::ErrorBody),
    ))]
pub async fn disable(
    State(state): State<AppState>,
    me: Holds<right::ManageSites>,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    state
        .store
        .disable_cloud_site(me.id, CLOUD, &site_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn codes_invalid() -> ApiError {
    ApiError::refused(
        ErrorCode::CloudCodesInvalid,
        "the site code and activation code do not match an enabled site",
    )
}

/// The site's client exchanges the emailed codes for cloud access: a token scoped to that
/// site (a new exchange replaces the old token, e.g. after a reinstall). Rate-limited per
/// IP and per site code.
#[utoipa::path(post, path = "/api/v1/cloud/activate", tag = "cloud", request_body = CloudActivation,
    responses(
        (status = 200, body = CloudToken),
        (status = 401, description = "CLOUD_CODES_INVALID", body = tessera_api::ErrorBody),
        (status = 403, description = "SUBSCRIPTION_EXPIRED, SUBSCRIPTION_BLOCKED, CLOUD_LICENSE_MISMATCH…", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn activate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<CloudActivation>,
) -> ApiResult<ApiJson<CloudToken>> {
    state.limits.cloud_codes.check_ip(ip)?;
    let site_code = normalize_code(&req.site_code);
    let activation_code = normalize_code(&req.activation_code);
    if site_code.is_empty() || site_code.len() > 32 || activation_code.len() > 64 {
        return Err(codes_invalid());
    }
    state.limits.cloud_codes.check_subject(&site_code)?;
    let access = state.store.cloud_access_by_code(&site_code).await?;
    let hash = token_hash(&activation_code);
    let Some(access) =
        access.filter(|a| bool::from(a.activation_code_hash.as_bytes().ct_eq(hash.as_bytes())))
    else {
        tracing::info!(%ip, "cloud codes refused");
        return Err(codes_invalid());
    };
    note.site(&access.site_id);
    note.account(access.account_id);
    note.actor(format!("site:{}", access.site_id));
    let now = state.clock.now();
    crate::error::cloud_standing(&access, now)?;
    let token = new_token();
    state
        .store
        .claim_cloud(
            &site_code,
            &token_hash(&token),
            &tessera_core::Actor::Site(access.site_id.clone()),
            now,
        )
        .await?;
    tracing::info!(site = %access.site_id, "cloud access granted");
    Ok(ApiJson(CloudToken {
        site_id: access.site_id,
        cloud_token: token,
        state: access.subscription.state_at(now).as_str().to_owned(),
        expires_at: access.subscription.expires_at.to_string(),
    }))
}

/// Whether this site may sync now (what sync checks first): 200, or 403 with the reason
/// (`SUBSCRIPTION_EXPIRED`, `SUBSCRIPTION_MAINTENANCE`, `SUBSCRIPTION_BLOCKED`,
/// `LICENSE_REVOKED`, `LICENSE_SUSPENDED`, `LICENSE_NOT_ACTIVE`, `LICENSE_EXPIRED`,
/// `CLOUD_LICENSE_MISMATCH`). A token that no longer exists is 401.
#[utoipa::path(get, path = "/api/v1/cloud/status", tag = "cloud",
    security(("cloud_token" = [])),
    responses(
        (status = 200, body = CloudStanding),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, body = tessera_api::ErrorBody),
    ))]
pub async fn status(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> ApiResult<ApiJson<CloudStanding>> {
    let token = bearer_token(&headers).ok_or(ApiError::Unauthenticated)?;
    let access = state
        .store
        .cloud_access(&token_hash(token))
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let now = state.clock.now();
    crate::error::cloud_standing(&access, now)?;
    Ok(ApiJson(CloudStanding {
        site_id: access.site_id,
        state: access.subscription.state_at(now).as_str().to_owned(),
        expires_at: access.subscription.expires_at.to_string(),
    }))
}
