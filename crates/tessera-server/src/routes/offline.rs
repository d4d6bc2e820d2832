//! Activation by file (X1): the account's superadmin or an operator uploads the request
//! file a site without internet wrote, and gets the response file to carry back. Operators
//! also set each product's offline policy. The rules are in `activation::offline`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tessera_api::{OfflineRequestFile, OfflineResponseFile, Product, SetOfflinePolicy};

use crate::activation::offline::{self, Answered, Answerer};
use crate::actors::{Operator, Superadmin};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::oplog::OpNote;
use crate::routes::products::to_api;
use crate::state::AppState;

/// 201 with a new answer, 200 with the earlier answer to the same request.
fn respond(answered: Answered, note: &OpNote) -> Response {
    note.site(&answered.site_id);
    note.account(answered.account_id);
    let status = if answered.repeated {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        answered.response,
    )
        .into_response()
}

/// Answer a request file of one of the account's keys (X1): the body is the file as the
/// site's client wrote it; the answer is the response file to import there. The same file
/// again (same machine) gets the same answer.
#[utoipa::path(post, path = "/api/v1/account/offline/answers", tag = "portal",
    request_body = OfflineRequestFile,
    security(("account_token" = [])),
    responses(
        (status = 201, description = "answered: the response file", body = OfflineResponseFile),
        (status = 200, description = "answered before for this machine: the same response file", body = OfflineResponseFile),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "SUPERADMIN_REQUIRED; LICENSE_EXPIRED, LICENSE_REVOKED, LICENSE_SUSPENDED (a revalidation)", body = tessera_api::ErrorBody),
        (status = 409, description = "OFFLINE_NOT_ALLOWED, OFFLINE_REQUEST_USED, OFFLINE_SITE_NOT_ACTIVE, KEY_ALREADY_ACTIVATED, TRANSFER_LIMIT_REACHED, INSTALLATION_CHOICE_REQUIRED, SITE_SUSPENDED", body = tessera_api::ErrorBody),
        (status = 422, description = "OFFLINE_REQUEST_INVALID (edited, cut short, damaged), KEY_INVALID (not this account's key), …", body = tessera_api::ErrorBody),
    ))]
pub async fn answer_own(
    State(state): State<AppState>,
    me: Superadmin,
    note: OpNote,
    body: Bytes,
) -> ApiResult<Response> {
    let by = Answerer::Account {
        id: me.id,
        actor: me.actor(),
    };
    let answered = offline::answer(&state, &by, &body).await?;
    Ok(respond(answered, &note))
}

/// Answer a request file of any account's key (X1), as the account's superadmin would.
#[utoipa::path(post, path = "/api/v1/offline/answers", tag = "sites",
    request_body = OfflineRequestFile,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "answered: the response file", body = OfflineResponseFile),
        (status = 200, description = "answered before for this machine: the same response file", body = OfflineResponseFile),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "LICENSE_EXPIRED, LICENSE_REVOKED, LICENSE_SUSPENDED (a revalidation)", body = tessera_api::ErrorBody),
        (status = 409, description = "OFFLINE_NOT_ALLOWED, OFFLINE_REQUEST_USED, OFFLINE_SITE_NOT_ACTIVE, KEY_ALREADY_ACTIVATED, …", body = tessera_api::ErrorBody),
        (status = 422, description = "OFFLINE_REQUEST_INVALID, KEY_INVALID, …", body = tessera_api::ErrorBody),
    ))]
pub async fn answer(
    State(state): State<AppState>,
    op: Operator,
    body: Bytes,
) -> ApiResult<Response> {
    let by = Answerer::Operator(op.actor());
    let answered = offline::answer(&state, &by, &body).await?;
    Ok(respond(answered, &op.note))
}

/// Set the product's offline policy (X1): `none`, `periodic` with `offline_check_days`, or
/// `perpetual`. Licences answered by file from then on carry it.
#[utoipa::path(put, path = "/api/v1/products/{product}/offline-policy", tag = "catalog",
    security(("operator_token" = [])), request_body = SetOfflinePolicy,
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = Product), (status = 401, body = tessera_api::ErrorBody),
        (status = 404, body = tessera_api::ErrorBody),
        (status = 422, description = "OFFLINE_POLICY_INVALID", body = tessera_api::ErrorBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<SetOfflinePolicy>,
) -> ApiResult<ApiJson<Product>> {
    let record = offline::set_policy(&state, &op, &product, &req).await?;
    Ok(ApiJson(to_api(record)))
}
