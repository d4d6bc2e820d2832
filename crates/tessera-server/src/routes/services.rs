//! Per-site monthly services (F1–F3): operators keep the catalog; an account switches a
//! service on or off at one of its installations (each switch mailed to it in its
//! language); the monthly billing job charges by the rule in `tessera_core::monthly`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tessera_api::{InvoiceLines, NewService, Service, ServiceList, SiteServices};
use utoipa::IntoParams;

use crate::actors::{Holds, Operator, PortalUser, right};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::services;
use crate::state::AppState;

/// Add a service to the catalog.
#[utoipa::path(post, path = "/api/v1/services", tag = "services", request_body = NewService,
    security(("operator_token" = [])),
    responses(
        (status = 201, body = Service),
        (status = 409, description = "SERVICE_EXISTS", body = tessera_api::ErrorBody),
        (status = 422, description = "INVALID_CODE, PRICE_INVALID, CURRENCY_INVALID, a name", body = tessera_api::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(req): ApiJson<NewService>,
) -> ApiResult<(StatusCode, ApiJson<Service>)> {
    let created = services::add_service(&state, &op, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(services::to_api(created))))
}

/// The catalog of services (operators and accounts).
#[utoipa::path(get, path = "/api/v1/services", tag = "services",
    security(("operator_token" = [])),
    responses((status = 200, body = ServiceList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _op: Operator) -> ApiResult<ApiJson<ServiceList>> {
    Ok(ApiJson(ServiceList {
        services: services::list(&state).await?,
    }))
}

/// The services of the catalog as they stand at one of the account's installations: the
/// station sheet's operations tab. Needs `sites.operations.view`.
#[utoipa::path(get, path = "/api/v1/account/sites/{site_id}/services", tag = "portal",
    params(("site_id" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = SiteServices),
        (status = 403, description = "RIGHT_REQUIRED (sites.operations.view)", body = tessera_api::ErrorBody),
        (status = 404, description = "SITE_NOT_FOUND", body = tessera_api::ErrorBody),
    ))]
pub async fn own(
    State(state): State<AppState>,
    me: Holds<right::OperationsTab, PortalUser>,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<SiteServices>> {
    let site = me.site_scope(&site_id)?;
    Ok(ApiJson(services::site_services(&state, &me, &site).await?))
}

/// Switch a service on at one of the account's installations: charged from this month (in
/// full); a confirmation mail goes to the account. Needs `sites.operations.view` and
/// `actions.costly.approve`.
#[utoipa::path(post, path = "/api/v1/account/sites/{site_id}/services/{code}/activate", tag = "portal",
    params(("site_id" = String, Path), ("code" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = SiteServices),
        (status = 403, description = "RIGHT_REQUIRED (sites.operations.view, actions.costly.approve)", body = tessera_api::ErrorBody),
        (status = 404, description = "SITE_NOT_FOUND, SERVICE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "SERVICE_ALREADY_ON, SITE_NOT_ACTIVE", body = tessera_api::ErrorBody),
    ))]
pub async fn activate(
    State(state): State<AppState>,
    me: Holds<right::SwitchServices, PortalUser>,
    ApiPath((site_id, code)): ApiPath<(String, String)>,
) -> ApiResult<ApiJson<SiteServices>> {
    let site = me.site_scope(&site_id)?;
    Ok(ApiJson(
        services::switch(&state, &me, &site, &code, true).await?,
    ))
}

/// Switch a service off: it stops at once and this month is not charged; a confirmation
/// mail goes to the account. Needs `sites.operations.view` and `actions.costly.approve`.
#[utoipa::path(post, path = "/api/v1/account/sites/{site_id}/services/{code}/deactivate", tag = "portal",
    params(("site_id" = String, Path), ("code" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = SiteServices),
        (status = 403, description = "RIGHT_REQUIRED (sites.operations.view, actions.costly.approve)", body = tessera_api::ErrorBody),
        (status = 404, description = "SITE_NOT_FOUND, SERVICE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "SERVICE_NOT_ON", body = tessera_api::ErrorBody),
    ))]
pub async fn deactivate(
    State(state): State<AppState>,
    me: Holds<right::SwitchServices, PortalUser>,
    ApiPath((site_id, code)): ApiPath<(String, String)>,
) -> ApiResult<ApiJson<SiteServices>> {
    let site = me.site_scope(&site_id)?;
    Ok(ApiJson(
        services::switch(&state, &me, &site, &code, false).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinesQuery {
    /// Only this account's lines (operators).
    pub account: Option<i64>,
    /// `YYYY-MM`.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
}

/// The invoice lines the monthly billing wrote.
#[utoipa::path(get, path = "/api/v1/invoice-lines", tag = "services", params(LinesQuery),
    security(("operator_token" = [])),
    responses((status = 200, body = InvoiceLines), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn lines(
    State(state): State<AppState>,
    op: Operator,
    ApiQuery(q): ApiQuery<LinesQuery>,
) -> ApiResult<ApiJson<InvoiceLines>> {
    let lines = services::lines::invoice_lines(&state, &op, q.account, q.month.as_deref()).await?;
    Ok(ApiJson(InvoiceLines { lines }))
}

/// The account's own invoice lines. Needs `invoices.view`: they are the account's bill over
/// all its sites, not part of one station's operations tab.
#[utoipa::path(get, path = "/api/v1/account/invoice-lines", tag = "portal", params(LinesQuery),
    security(("account_token" = [])),
    responses(
        (status = 200, body = InvoiceLines),
        (status = 401, body = tessera_api::ErrorBody),
        (status = 403, description = "RIGHT_REQUIRED (invoices.view)", body = tessera_api::ErrorBody),
    ))]
pub async fn own_lines(
    State(state): State<AppState>,
    me: Holds<right::ViewInvoices>,
    ApiQuery(q): ApiQuery<LinesQuery>,
) -> ApiResult<ApiJson<InvoiceLines>> {
    let lines = services::lines::own_invoice_lines(&state, &me, q.month.as_deref()).await?;
    Ok(ApiJson(InvoiceLines { lines }))
}
