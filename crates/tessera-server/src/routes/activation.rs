//! What the client software at a site calls (C1–C2): activation, its site data, and
//! deactivation before moving to another machine.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tessera_api::ErrorCode;
use tessera_api::{ActivationRequest, ActivationResponse, InstallationChoice, Site, SiteData};
use tessera_core::Activation;

use crate::activation::{self, Activated};
use crate::actors::SiteClient;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ClientIp};
use crate::signing::documents::{to_api_installation, to_api_site};
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
    Ok(match activation::activate(&state, ip, &req, &note).await? {
        Activated::ChooseInstallation(list) => choose_installation(list),
        Activated::Done {
            activation,
            site,
            site_token,
            license,
        } => {
            note.site(&site.public_id);
            note.account(site.account_id);
            let (status, word) = match activation {
                Activation::Bind => (StatusCode::CREATED, "activated"),
                Activation::Again => (StatusCode::OK, "again"),
                Activation::Transfer => (StatusCode::OK, "transferred"),
            };
            let body = ActivationResponse {
                site_id: site.public_id.clone(),
                activation: word.into(),
                site_token,
                license,
                site_data_required: site.data.is_none(),
            };
            (status, ApiJson(body)).into_response()
        }
    })
}

/// 409 with the account's installations of the product to choose from.
fn choose_installation(list: Vec<tessera_core::license::Installation>) -> Response {
    let choice = InstallationChoice {
        code: ErrorCode::InstallationChoiceRequired.as_str().into(),
        message: "this VAT number has several installations; send the request again \
                  with `installation` set to one site_id"
            .into(),
        installations: list.into_iter().map(to_api_installation).collect(),
    };
    let mut response = (StatusCode::CONFLICT, ApiJson(choice)).into_response();
    // On record with its code, like every refusal answered through ApiError.
    response
        .extensions_mut()
        .insert(ErrorCode::InstallationChoiceRequired);
    response
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
    let site = activation::set_site_data(&state, &client, &req).await?;
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
    let site = activation::deactivate(&state, &client).await?;
    Ok(ApiJson(to_api_site(&site)))
}
