//! The catalog (A1): products with ordered editions, size tiers and modules.

use axum::extract::State;
use axum::http::StatusCode;
use tessera_api::{CreateProduct, NewEntry, NewSize, Product, ProductList};
use tessera_store::ProductRecord;

use crate::actors::Operator;
use crate::catalog::products;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;

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
        offline_policy: p.policy.offline.as_str().to_owned(),
        offline_check_days: p.policy.offline.check_days(),
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
    let record = products::create_product(&state, &op, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(to_api(record))))
}

/// List all products.
#[utoipa::path(get, path = "/api/v1/products", tag = "catalog",
    security(("operator_token" = [])),
    responses((status = 200, body = ProductList), (status = 401, body = tessera_api::ErrorBody)))]
pub async fn list(State(state): State<AppState>, op: Operator) -> ApiResult<ApiJson<ProductList>> {
    let products = products::products(&state, &op).await?;
    Ok(ApiJson(ProductList {
        products: products.into_iter().map(to_api).collect(),
    }))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{product}", tag = "catalog",
    security(("operator_token" = [])),
    params(("product" = String, Path, description = "product code")),
    responses((status = 200, body = Product), (status = 404, body = tessera_api::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(product): ApiPath<String>,
) -> ApiResult<ApiJson<Product>> {
    Ok(ApiJson(to_api(
        products::product(&state, &op, &product).await?,
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
    let record = products::add_edition(&state, &op, &product, &req).await?;
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
    let record = products::add_size(&state, &op, &product, &req).await?;
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
    let record = products::add_module(&state, &op, &product, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(to_api(record))))
}
