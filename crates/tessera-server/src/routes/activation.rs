//! What the client software at a site calls (C1–C2): activation, its site data, and
//! deactivation before moving to another machine.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tessera_api::ErrorCode;
use tessera_api::{ActivationRequest, ActivationResponse, InstallationChoice, Site, SiteData};
use tessera_core::site::site_label;
use tessera_core::{Activation, Actor, Fingerprint};
use tessera_store::{AccountRef, ActivationResult, SiteScope};

use crate::actors::SiteClient;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ClientIp, token_hash};
use crate::forms;
use crate::routes::auth::new_token;
use crate::signing::documents::{signed_license, to_api_installation, to_api_site};
use crate::state::AppState;

/// Activate this machine (C1): binds the key's installation to the fingerprint and returns
/// the signed license. The same machine again gets 200 and a fresh license; another machine
/// follows the product's transfer policy.
#[utoipa::path(post, path = "/api/v1/activations", tag = "activation",
    request_body = ActivationRequest,
    responses(
        (status = 201, description = "bound to this machine", body = ActivationResponse),
        (status = 200, description = "already bound to this machine (or transferred to it)", body = ActivationResponse),
        (status = 409, description = "INSTALLATION_CHOICE_REQUIRED (body lists them), KEY_ALREADY_ACTIVATED, TRANSFER_LIMIT_REACHED, SITE_SUSPENDED", body = InstallationChoice),
        (status = 422, description = "KEY_INVALID, FINGERPRINT_INVALID, VAT_NUMBER_INVALID, …", body = tessera_api::ErrorBody),
        (status = 429, body = tessera_api::ErrorBody),
    ))]
pub async fn activate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    note: crate::oplog::OpNote,
    ApiJson(req): ApiJson<ActivationRequest>,
) -> ApiResult<Response> {
    state.limits.activations.check_ip(ip)?;
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
    state.limits.activations.check_subject(key.compact())?;
    let token = new_token();
    let request = tessera_store::ActivationRequest {
        account,
        key: &key,
        fingerprint: &fingerprint,
        installation: req.installation.as_deref().map(str::trim),
        token_hash: &token_hash(&token),
    };
    let now = state.clock.now();
    match state.store.activate(&request, now).await? {
        ActivationResult::ChooseInstallation(list) => Ok((
            StatusCode::CONFLICT,
            ApiJson(InstallationChoice {
                code: ErrorCode::InstallationChoiceRequired.as_str().into(),
                message: "this VAT number has several installations; send the request again \
                          with `installation` set to one site_id"
                    .into(),
                installations: list.into_iter().map(to_api_installation).collect(),
            }),
        )
            .into_response()),
        ActivationResult::Done { activation, site } => {
            let keys = state.keyring.fresh(&state.store).await?;
            let license = signed_license(&site, &keys, now);
            let (status, word) = match activation {
                Activation::Bind => (StatusCode::CREATED, "activated"),
                Activation::Again => (StatusCode::OK, "again"),
                Activation::Transfer => (StatusCode::OK, "transferred"),
            };
            tracing::info!(site = %site.public_id, activation = word, %ip, "site activation");
            note.site(&site.public_id);
            note.account(site.account_id);
            Ok((
                status,
                ApiJson(ActivationResponse {
                    site_id: site.public_id.clone(),
                    activation: word.into(),
                    site_token: token,
                    license,
                    site_data_required: site.data.is_none(),
                }),
            )
                .into_response())
        }
    }
}

/// Send this site's data after activation (C1): company, branch, address, representative.
#[utoipa::path(put, path = "/api/v1/site/data", tag = "activation", request_body = SiteData,
    security(("site_token" = [])),
    responses((status = 200, body = Site), (status = 401, body = tessera_api::ErrorBody), (status = 422, body = tessera_api::ErrorBody)))]
pub async fn put_data(
    State(state): State<AppState>,
    client: SiteClient,
    ApiJson(req): ApiJson<SiteData>,
) -> ApiResult<ApiJson<Site>> {
    let data = forms::site_data(&req)?;
    let label = site_label(&data.company, data.branch.as_deref(), &data.locality);
    let json = serde_json::to_string(&data).map_err(anyhow::Error::from)?;
    let site = state
        .store
        .set_site_data(
            &client.site_id,
            &client.token_hash,
            &json,
            &label,
            state.clock.now(),
        )
        .await?;
    Ok(ApiJson(to_api_site(&site)))
}

/// Release this machine (before moving the software to another one, C2). The site token
/// stops working.
#[utoipa::path(post, path = "/api/v1/site/deactivate", tag = "activation",
    security(("site_token" = [])),
    responses((status = 200, body = Site), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn deactivate(
    State(state): State<AppState>,
    client: SiteClient,
) -> ApiResult<ApiJson<Site>> {
    let actor = Actor::Site(client.site_id.clone());
    let site = state
        .store
        .deactivate_site(
            &client.site_id,
            SiteScope::Token(&client.token_hash),
            &actor,
            state.clock.now(),
        )
        .await?;
    Ok(ApiJson(to_api_site(&site)))
}
