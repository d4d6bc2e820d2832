//! Per-site monthly services (F1–F3): operators keep the catalog; an account switches a
//! service on or off at one of its installations (each switch mailed to it in its
//! language); the monthly billing job charges by the rule in `tessera_core::monthly`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use tessera_api::ErrorCode;
use tessera_api::{
    InvoiceLine, InvoiceLines, NewService, Service, ServiceList, SiteService, SiteServices, Stretch,
};
use tessera_core::catalog::Code;
use tessera_core::{Language, account::required_text};
use tessera_store::{InvoiceLineRecord, ServiceRecord, SiteScope, StoreError};
use utoipa::IntoParams;

use crate::actors::{Holds, Operator, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

fn service(s: ServiceRecord) -> Service {
    Service {
        code: s.code,
        name: s.name,
        monthly_price: s.monthly_price,
        currency: s.currency,
    }
}

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
    let code =
        Code::parse(&req.code).map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, "code", e))?;
    let name = required_text("name", &req.name, 200)?;
    if !(0..=100_000_000).contains(&req.monthly_price) {
        return Err(ApiError::invalid(
            ErrorCode::PriceInvalid,
            "monthly_price",
            "the monthly price is 0 to 100000000 in the currency's minor unit (cents)",
        ));
    }
    let currency = req.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ApiError::invalid(
            ErrorCode::CurrencyInvalid,
            "currency",
            "the currency is a three-letter ISO 4217 code such as EUR",
        ));
    }
    let created = state
        .store
        .create_service(
            code.as_str(),
            &name,
            req.monthly_price,
            &currency,
            &op.actor(),
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(service(created))))
}

/// The catalog of services (operators and accounts).
#[utoipa::path(get, path = "/api/v1/services", tag = "services",
    security(("operator_token" = [])),
    responses((status = 200, body = ServiceList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _op: Operator) -> ApiResult<ApiJson<ServiceList>> {
    let services = state.store.services().await?;
    Ok(ApiJson(ServiceList {
        services: services.into_iter().map(service).collect(),
    }))
}

async fn site_services(
    state: &AppState,
    site_id: &str,
    scope: SiteScope<'_>,
) -> ApiResult<SiteServices> {
    let stretches = state.store.site_stretches(site_id, scope).await?;
    let services = state
        .store
        .services()
        .await?
        .into_iter()
        .map(|s| {
            let mine: Vec<_> = stretches.iter().filter(|t| t.service == s.code).collect();
            SiteService {
                on: mine.last().is_some_and(|t| t.off.is_none()),
                stretches: mine
                    .iter()
                    .map(|t| Stretch {
                        on: t.on.to_string(),
                        off: t.off.map(|d| d.to_string()),
                    })
                    .collect(),
                code: s.code,
                name: s.name,
                monthly_price: s.monthly_price,
                currency: s.currency,
            }
        })
        .collect();
    Ok(SiteServices {
        site_id: site_id.to_owned(),
        services,
    })
}

/// The services of the catalog as they stand at one of the account's installations.
#[utoipa::path(get, path = "/api/v1/account/sites/{site_id}/services", tag = "portal",
    params(("site_id" = String, Path)), security(("account_token" = [])),
    responses((status = 200, body = SiteServices), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn own(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
) -> ApiResult<ApiJson<SiteServices>> {
    Ok(ApiJson(
        site_services(&state, &site_id, me.scope(&site_id)?).await?,
    ))
}

async fn switch(
    state: &AppState,
    me: &Holds<right::ApproveCosts, PortalUser>,
    site_id: &str,
    code: &str,
    on: bool,
) -> ApiResult<ApiJson<SiteServices>> {
    let scope = me.scope(site_id)?;
    let now = state.clock.now();
    let today = now.to_zoned(state.zone.clone()).date();
    let account = state
        .store
        .account(me.id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    // People know their installations by label, not by id.
    let label = state
        .store
        .site(site_id)
        .await
        .map_or_else(|_| site_id.to_owned(), |s| s.label);
    let kind = if on {
        "service.activated"
    } else {
        "service.deactivated"
    };
    let mail = |switched: &tessera_store::Switched| {
        state
            .mail
            .compose(
                kind,
                Language::from_stored(&account.language),
                &account.email,
                serde_json::json!({
                    "username": account.username,
                    "service": switched.service.name,
                    "site": label,
                    "date": today.to_string(),
                    "price": crate::billing::money::money(switched.service.monthly_price, &switched.service.currency),
                }),
            )
            .map_err(|e| StoreError::Mail(format!("{e:#}")))
    };
    state
        .store
        .switch_service(site_id, scope, code, on, today, mail, &me.actor(), now)
        .await?;
    tracing::info!(
        site = site_id,
        service = code,
        on,
        account = me.id,
        "service switched"
    );
    Ok(ApiJson(site_services(state, site_id, scope).await?))
}

/// Switch a service on at one of the account's installations: charged from this month (in
/// full); a confirmation mail goes to the account.
#[utoipa::path(post, path = "/api/v1/account/sites/{site_id}/services/{code}/activate", tag = "portal",
    params(("site_id" = String, Path), ("code" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = SiteServices),
        (status = 404, description = "SITE_NOT_FOUND, SERVICE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "SERVICE_ALREADY_ON, SITE_NOT_ACTIVE", body = tessera_api::ErrorBody),
    ))]
pub async fn activate(
    State(state): State<AppState>,
    me: Holds<right::ApproveCosts, PortalUser>,
    ApiPath((site_id, code)): ApiPath<(String, String)>,
) -> ApiResult<ApiJson<SiteServices>> {
    switch(&state, &me, &site_id, &code, true).await
}

/// Switch a service off: it stops at once and this month is not charged; a confirmation
/// mail goes to the account.
#[utoipa::path(post, path = "/api/v1/account/sites/{site_id}/services/{code}/deactivate", tag = "portal",
    params(("site_id" = String, Path), ("code" = String, Path)), security(("account_token" = [])),
    responses(
        (status = 200, body = SiteServices),
        (status = 404, description = "SITE_NOT_FOUND, SERVICE_NOT_FOUND", body = tessera_api::ErrorBody),
        (status = 409, description = "SERVICE_NOT_ON", body = tessera_api::ErrorBody),
    ))]
pub async fn deactivate(
    State(state): State<AppState>,
    me: Holds<right::ApproveCosts, PortalUser>,
    ApiPath((site_id, code)): ApiPath<(String, String)>,
) -> ApiResult<ApiJson<SiteServices>> {
    switch(&state, &me, &site_id, &code, false).await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LinesQuery {
    /// Only this account's lines (operators).
    pub account: Option<i64>,
    /// `YYYY-MM`.
    pub month: Option<String>,
}

fn line(l: InvoiceLineRecord) -> InvoiceLine {
    InvoiceLine {
        account_id: l.account_id,
        site_id: l.site,
        service: l.service,
        month: l.month,
        amount: l.amount,
        currency: l.currency,
    }
}

/// The invoice lines the monthly billing wrote.
#[utoipa::path(get, path = "/api/v1/invoice-lines", tag = "services", params(LinesQuery),
    security(("operator_token" = [])),
    responses((status = 200, body = InvoiceLines), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn lines(
    State(state): State<AppState>,
    _op: Operator,
    ApiQuery(q): ApiQuery<LinesQuery>,
) -> ApiResult<ApiJson<InvoiceLines>> {
    let found = state
        .store
        .invoice_lines(q.account, q.month.as_deref())
        .await?;
    Ok(ApiJson(InvoiceLines {
        lines: found.into_iter().map(line).collect(),
    }))
}

/// The account's own invoice lines.
#[utoipa::path(get, path = "/api/v1/account/invoice-lines", tag = "portal", params(LinesQuery),
    security(("account_token" = [])),
    responses((status = 200, body = InvoiceLines), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn own_lines(
    State(state): State<AppState>,
    me: Holds<right::ViewInvoices>,
    ApiQuery(q): ApiQuery<LinesQuery>,
) -> ApiResult<ApiJson<InvoiceLines>> {
    let found = state
        .store
        .invoice_lines(Some(me.id), q.month.as_deref())
        .await?;
    Ok(ApiJson(InvoiceLines {
        lines: found.into_iter().map(line).collect(),
    }))
}
