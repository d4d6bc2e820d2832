//! The catalog (A1): products with ordered editions, size tiers and modules.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::ErrorCode;
use tessera_api::{CreateProduct, NewEntry, NewSize, Product, ProductList};
use tessera_core::catalog::{Entry, check_name};
use tessera_core::{Code, LicensePolicy, Limits, NewProduct, ProductRuleError};
use tessera_store::ProductRecord;

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
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

fn parse_product(req: &CreateProduct) -> ApiResult<NewProduct> {
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

pub fn to_api(p: ProductRecord) -> Product {
    Product {
        code: p.code,
        name: p.name,
        editions: p
            .editions
            .into_iter()
            .map(|e| tessera_api::Edition {
                code: e.code,
                name: e.name,
                rank: e.rank,
            })
            .collect(),
        sizes: p
            .sizes
            .into_iter()
            .map(|s| tessera_api::Size {
                code: s.code,
                name: s.name,
                limits: s.limits,
            })
            .collect(),
        modules: p
            .modules
            .into_iter()
            .map(|m| tessera_api::Module {
                code: m.code,
                name: m.name,
            })
            .collect(),
        grace_days: p.policy.grace_days,
        max_transfers: p.policy.max_transfers,
        created_at: p.created_at.to_string(),
    }
}

/// Create a product with its editions (lowest first), size tiers and modules.
#[utoipa::path(post, path = "/api/v1/products", tag = "catalog", request_body = CreateProduct,
    security(("operator_token" = [])),
    responses(
        (status = 201, body = Product),
        (status = 409, description = "PRODUCT_EXISTS, EDITION_EXISTS, …", body = tessera_api::ErrorBody),
        (status = 422, description = "a field is invalid", body = tessera_api::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(req): ApiJson<CreateProduct>,
) -> ApiResult<(StatusCode, ApiJson<Product>)> {
    let product = parse_product(&req)?;
    let record = state
        .store
        .create_product(&product, &op.actor(), state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(to_api(record))))
}

/// List all products.
#[utoipa::path(get, path = "/api/v1/products", tag = "catalog",
    security(("operator_token" = [])),
    responses((status = 200, body = ProductList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _op: Operator) -> ApiResult<ApiJson<ProductList>> {
    let products = state
        .store
        .products()
        .await?
        .into_iter()
        .map(to_api)
        .collect();
    Ok(ApiJson(ProductList { products }))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{product}", tag = "catalog",
    security(("operator_token" = [])),
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = Product), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _op: Operator,
    ApiPath(product): ApiPath<String>,
) -> ApiResult<ApiJson<Product>> {
    Ok(ApiJson(to_api(
        state.store.product(&product.to_ascii_lowercase()).await?,
    )))
}

/// Add an edition above the existing ones.
#[utoipa::path(post, path = "/api/v1/products/{product}/editions", tag = "catalog",
    security(("operator_token" = [])), request_body = NewEntry,
    params(("product" = String, Path, description = "product code")),
    responses((status = 201, body = Product), (status = 404, body = tessera_api::ErrorBody),
        (status = 409, body = tessera_api::ErrorBody)))]
pub async fn add_edition(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<NewEntry>,
) -> ApiResult<(StatusCode, ApiJson<Product>)> {
    let e = entry("", &req)?;
    let record = state
        .store
        .add_edition(
            &product.to_ascii_lowercase(),
            &e,
            &op.actor(),
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(to_api(record))))
}

/// Add a size tier.
#[utoipa::path(post, path = "/api/v1/products/{product}/sizes", tag = "catalog",
    security(("operator_token" = [])), request_body = NewSize,
    params(("product" = String, Path, description = "product code")),
    responses((status = 201, body = Product), (status = 404, body = tessera_api::ErrorBody),
        (status = 409, body = tessera_api::ErrorBody)))]
pub async fn add_size(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<NewSize>,
) -> ApiResult<(StatusCode, ApiJson<Product>)> {
    let (e, limits) = size("", &req)?;
    let record = state
        .store
        .add_size(
            &product.to_ascii_lowercase(),
            &e,
            &limits,
            &op.actor(),
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(to_api(record))))
}

/// Add a module (feature flag).
#[utoipa::path(post, path = "/api/v1/products/{product}/modules", tag = "catalog",
    security(("operator_token" = [])), request_body = NewEntry,
    params(("product" = String, Path, description = "product code")),
    responses((status = 201, body = Product), (status = 404, body = tessera_api::ErrorBody),
        (status = 409, body = tessera_api::ErrorBody)))]
pub async fn add_module(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
    ApiJson(req): ApiJson<NewEntry>,
) -> ApiResult<(StatusCode, ApiJson<Product>)> {
    let e = entry("", &req)?;
    let record = state
        .store
        .add_module(
            &product.to_ascii_lowercase(),
            &e,
            &op.actor(),
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(to_api(record))))
}
