//! The catalog (A1) as use cases: products with ordered editions, size tiers and modules,
//! each checked field by field before the store keeps it.

use tessera_api::{CreateProduct, ErrorCode, NewEntry, NewSize};
use tessera_core::catalog::{Entry, check_name};
use tessera_core::{Code, LicensePolicy, Limits, NewProduct, ProductRuleError};
use tessera_store::ProductRecord;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn code(field: &str, s: &str) -> ApiResult<Code> {
    Code::parse(s).map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, field, e))
}

/// `editions[1]` + `code` → `editions[1].code`; a top-level body has no prefix.
fn sub(field: &str, name: &str) -> String {
    if field.is_empty() {
        name.to_owned()
    } else {
        format!("{field}.{name}")
    }
}

fn entry(field: &str, e: &NewEntry) -> ApiResult<Entry> {
    let name = check_name(&e.name)
        .map_err(|err| ApiError::invalid(ErrorCode::InvalidName, &sub(field, "name"), err))?;
    Ok(Entry {
        code: code(&sub(field, "code"), &e.code)?,
        name: name.to_owned(),
    })
}

fn size(field: &str, s: &NewSize) -> ApiResult<(Entry, Limits)> {
    let e = entry(
        field,
        &NewEntry {
            code: s.code.clone(),
            name: s.name.clone(),
        },
    )?;
    let limits = s
        .limits
        .iter()
        .map(|(k, v)| Ok((code(&sub(field, &format!("limits.{k}")), k)?, *v)))
        .collect::<ApiResult<Limits>>()?;
    Ok((e, limits))
}

/// The product `req` describes, checked field by field and as a whole (A1).
pub fn parse_product(req: &CreateProduct) -> ApiResult<NewProduct> {
    let name =
        check_name(&req.name).map_err(|e| ApiError::invalid(ErrorCode::InvalidName, "name", e))?;
    let product = NewProduct {
        code: code("code", &req.code)?,
        name: name.to_owned(),
        editions: req
            .editions
            .iter()
            .enumerate()
            .map(|(i, e)| entry(&format!("editions[{i}]"), e))
            .collect::<ApiResult<_>>()?,
        sizes: req
            .sizes
            .iter()
            .enumerate()
            .map(|(i, s)| size(&format!("sizes[{i}]"), s))
            .collect::<ApiResult<_>>()?,
        modules: req
            .modules
            .iter()
            .enumerate()
            .map(|(i, e)| entry(&format!("modules[{i}]"), e))
            .collect::<ApiResult<_>>()?,
        policy: LicensePolicy {
            grace_days: req
                .grace_days
                .unwrap_or(LicensePolicy::default().grace_days),
            max_transfers: req.max_transfers.unwrap_or_default(),
            // Set afterwards with PUT /api/v1/products/{code}/offline-policy (X1).
            offline: tessera_core::OfflinePolicy::None,
        },
    };
    product.check().map_err(|e| match e {
        ProductRuleError::Duplicate { kind, .. } => {
            let code = match kind {
                "edition" => ErrorCode::EditionExists,
                "size" => ErrorCode::SizeExists,
                _ => ErrorCode::ModuleExists,
            };
            ApiError::refused(code, e)
        }
        ProductRuleError::Name => ApiError::invalid(ErrorCode::InvalidName, "name", e),
        ProductRuleError::GraceDays => {
            ApiError::invalid(ErrorCode::InvalidGraceDays, "grace_days", e)
        }
        ProductRuleError::MaxTransfers => {
            ApiError::invalid(ErrorCode::InvalidMaxTransfers, "max_transfers", e)
        }
    })?;
    Ok(product)
}

/// Creates the product `req` with its editions (lowest first), size tiers and modules.
pub async fn create_product(
    app: &AppState,
    op: &Operator,
    req: &CreateProduct,
) -> ApiResult<ProductRecord> {
    let product = parse_product(req)?;
    Ok(app
        .store
        .create_product(&product, &op.actor(), app.clock.now())
        .await?)
}

/// Every product of the catalog.
pub async fn products(app: &AppState, _op: &Operator) -> ApiResult<Vec<ProductRecord>> {
    Ok(app.store.products().await?)
}

/// The product `code` (any case).
pub async fn product(app: &AppState, _op: &Operator, code: &str) -> ApiResult<ProductRecord> {
    Ok(app.store.product(&code.to_ascii_lowercase()).await?)
}

/// Adds the edition `req` to `product`, above its existing editions.
pub async fn add_edition(
    app: &AppState,
    op: &Operator,
    product: &str,
    req: &NewEntry,
) -> ApiResult<ProductRecord> {
    let e = entry("", req)?;
    Ok(app
        .store
        .add_edition(
            &product.to_ascii_lowercase(),
            &e,
            &op.actor(),
            app.clock.now(),
        )
        .await?)
}

/// Adds the size tier `req` (with its limits) to `product`.
pub async fn add_size(
    app: &AppState,
    op: &Operator,
    product: &str,
    req: &NewSize,
) -> ApiResult<ProductRecord> {
    let (e, limits) = size("", req)?;
    Ok(app
        .store
        .add_size(
            &product.to_ascii_lowercase(),
            &e,
            &limits,
            &op.actor(),
            app.clock.now(),
        )
        .await?)
}

/// Adds the module (feature flag) `req` to `product`.
pub async fn add_module(
    app: &AppState,
    op: &Operator,
    product: &str,
    req: &NewEntry,
) -> ApiResult<ProductRecord> {
    let e = entry("", req)?;
    Ok(app
        .store
        .add_module(
            &product.to_ascii_lowercase(),
            &e,
            &op.actor(),
            app.clock.now(),
        )
        .await?)
}
