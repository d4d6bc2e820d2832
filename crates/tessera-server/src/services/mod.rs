//! Monthly services per site (F1–F4) as use cases: the operators' catalog of services, the
//! services as they stand at one site (the station sheet's operations tab, which needs its
//! right), and switching one on or off there (needs that right and the right to approve
//! actions with follow-up costs; each switch is mailed to the account in its language).
//! What a month costs is `tessera_core::monthly`, charged by the billing job.

pub mod lines;

use tessera_api::{ErrorCode, NewService, Service, SiteService, SiteServices, Stretch};
use tessera_core::account::required_text;
use tessera_core::catalog::Code;
use tessera_store::ServiceRecord;

use crate::actors::{Holds, Operator, OwnSite, PortalUser, right};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The highest monthly price, in the currency's minor unit.
const MAX_PRICE: i64 = 100_000_000;

/// The catalog of services, as the API shows it.
pub async fn list(app: &AppState) -> ApiResult<Vec<Service>> {
    Ok(app
        .store
        .services()
        .await?
        .into_iter()
        .map(to_api)
        .collect())
}

pub fn to_api(s: ServiceRecord) -> Service {
    Service {
        code: s.code,
        name: s.name,
        monthly_price: s.monthly_price,
        currency: s.currency,
    }
}

/// Adds `req` to the catalog of services.
pub async fn add_service(
    app: &AppState,
    op: &Operator,
    req: &NewService,
) -> ApiResult<ServiceRecord> {
    let code =
        Code::parse(&req.code).map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, "code", e))?;
    let name = required_text("name", &req.name, 200)?;
    if !(0..=MAX_PRICE).contains(&req.monthly_price) {
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
    let created = app
        .store
        .create_service(
            code.as_str(),
            &name,
            req.monthly_price,
            &currency,
            &op.actor(),
            app.clock.now(),
        )
        .await?;
    Ok(created)
}

/// Every service of the catalog as it stands at `site`: on or off, and its on/off stretches
/// (the operations tab of seed 001, which the login `_who` may see).
pub async fn site_services(
    app: &AppState,
    _who: &Holds<right::OperationsTab, PortalUser>,
    site: &OwnSite,
) -> ApiResult<SiteServices> {
    let stretches = app.store.site_stretches(&site.site_id, site.scope).await?;
    let services = app
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
        site_id: site.site_id.clone(),
        services,
    })
}

/// Switches the service `code` on (`on`) or off at `site` (F1–F3): on is charged from this
/// month in full, off stops it at once and this month is not charged. The confirmation
/// mail is queued with the switch. Answers the site's services as they stand after it.
pub async fn switch(
    app: &AppState,
    who: &Holds<right::SwitchServices, PortalUser>,
    site: &OwnSite,
    code: &str,
    on: bool,
) -> ApiResult<SiteServices> {
    let now = app.clock.now();
    let today = now.to_zoned(app.zone.clone()).date();
    let actor = who.actor();
    app.store
        .switch_service(&site.site_id, site.scope, code, on, today, &actor, now)
        .await?;
    tracing::info!(
        site = %site.site_id,
        service = code,
        on,
        account = who.id,
        "service switched"
    );
    site_services(app, &who.first(), site).await
}
