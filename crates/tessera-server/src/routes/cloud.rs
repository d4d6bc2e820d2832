//! The cloud service's JSON routes (E1, E5–E6); what they do is [`crate::cloud`].

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{
    CloudActivation, CloudOverview, CloudStanding, CloudToken, EnableSites, StartTrial,
    Subscription,
};

use crate::actors::{AccountUser, Holds, right};
use crate::cloud::{self, to_api_subscription};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ClientIp, bearer_token};
use crate::state::AppState;

/// The cloud set-up page: the subscription, and the account's installations grouped by
/// edition and size with how many are available and enabled (E5).
#[utoipa::path(get, path = "/api/v1/account/cloud", tag = "cloud",
    security(("account_token" = [])),
    responses((status = 200, body = CloudOverview), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: AccountUser,
) -> ApiResult<ApiJson<CloudOverview>> {
    Ok(ApiJson(cloud::overview(&state, me.id).await?))
}

/// Start the free trial (E1): once per account, never after a purchase. Needs
/// `actions.costly.approve`.
#[utoipa::path(post, path = "/api/v1/account/cloud/trial", tag = "cloud", request_body = StartTrial,
    security(("account_token" = [])),
    responses(
        (status = 201, body = Subscription),
        (status = 404, description = "PLAN_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "TRIAL_USED, TRIAL_AFTER_PURCHASE, PLAN_HAS_NO_TRIAL", body = tessera_api::ErrorBody),
        (status = 422, description = "TERMS_NOT_ACCEPTED", body = tessera_api::ErrorBody),
    ))]
pub async fn trial(
    State(state): State<AppState>,
    me: Holds<right::ApproveCosts>,
    ApiJson(req): ApiJson<StartTrial>,
) -> ApiResult<(StatusCode, ApiJson<Subscription>)> {
    let sub = cloud::start_trial(&state, &me, &req).await?;
    let body = to_api_subscription(&sub, state.clock.now());
    Ok((StatusCode::CREATED, ApiJson(body)))
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
    cloud::enable_sites(&state, &me, &req.sites).await?;
    Ok(ApiJson(cloud::overview(&state, me.id).await?))
}

/// Mail an enabled site's activation data again to its representative email: its site code
/// and a new activation code (the previous activation code stops working; a client already
/// connected stays connected). Needs `sites.manage`; limited per site
/// (`cloud_codes_per_site_code`).
#[utoipa::path(post, path = "/api/v1/account/cloud/sites/{site_id}/codes", tag = "cloud",
    params(("site_id" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 202, description = "queued"),
        (status = 404, description = "SITE_NOT_FOUND (not the account's, or not enabled)", body = tessera_api::ErrorBody),
        (status = 409, description = "SITE_EMAIL_MISSING", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn resend_codes(
    State(state): State<AppState>,
    me: Holds<right::ManageSites>,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    cloud::resend_codes(&state, &me, &site_id).await?;
    Ok(StatusCode::ACCEPTED)
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
    cloud::disable_site(&state, &me, &site_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The site's client exchanges the emailed codes for cloud access: a token scoped to that
/// site (a new exchange replaces the old token, e.g. after a reinstall). Rate-limited per
/// IP and per site code.
#[utoipa::path(post, path = "/api/v1/cloud/activate", tag = "cloud", request_body = CloudActivation,
    responses(
        (status = 200, body = CloudToken),
        (status = 401, description = "CLOUD_CODES_INVALID", body = tessera_api::ErrorBody),
        (status = 403, description = "SUBSCRIPTION_EXPIRED, SUBSCRIPTION_BLOCKED, SUBSCRIPTION_DELETED, CLOUD_LICENSE_MISMATCH…, UPDATE_REQUIRED (the program is below the product's minimum version for the cloud)", body = tessera_api::ErrorBody),
        (status = 422, description = "VERSION_INVALID (product_version)", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn activate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<CloudActivation>,
) -> ApiResult<ApiJson<CloudToken>> {
    state.limits.cloud_codes.check_ip(ip)?;
    let (access, token) = cloud::exchange_codes(
        &state,
        &req.site_code,
        &req.activation_code,
        req.product_version.as_deref(),
    )
    .await
    .inspect_err(|e| tracing::info!(%ip, code = e.code().as_str(), "cloud exchange refused"))?;
    note.site(&access.site_id);
    note.account(access.account_id);
    note.actor(format!("site:{}", access.site_id));
    let now = state.clock.now();
    Ok(ApiJson(CloudToken {
        site_id: access.site_id,
        cloud_token: token,
        state: access.subscription.state_at(now).as_str().to_owned(),
        expires_at: access.subscription.expires_at.to_string(),
    }))
}

/// Whether this site may sync now (what sync checks first): 200, or 403 with the reason
/// (`SUBSCRIPTION_EXPIRED`, `SUBSCRIPTION_MAINTENANCE`, `SUBSCRIPTION_BLOCKED`,
/// `SUBSCRIPTION_DELETED`,
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
    let access = cloud::standing(&state, token).await?;
    Ok(ApiJson(CloudStanding {
        site_id: access.site_id,
        state: access
            .subscription
            .state_at(state.clock.now())
            .as_str()
            .to_owned(),
        expires_at: access.subscription.expires_at.to_string(),
    }))
}
