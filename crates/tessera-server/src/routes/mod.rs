//! Every route, in one place. Handlers live one module per resource.

pub mod account_data;
pub mod accounts;
pub mod activation;
pub mod auth;
pub mod batches;
pub mod cloud;
mod edge_in_openapi;
pub mod fleet;
pub mod groups;
pub mod health;
pub mod key_import;
pub mod keys;
pub mod offline;
pub mod operations;
pub mod orders;
pub mod plans;
pub mod portal;
pub mod products;
pub mod public_keys;
pub mod releases;
pub mod services;
pub mod signing_keys;
pub mod site_users;
mod sites;
pub mod sync;
pub mod technical;
pub mod users;
pub mod validation;
pub mod webhooks;

use std::time::Duration;
use tessera_api::ErrorCode;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tessera", description = "License, subscription and cloud-service server."),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness, readiness, metrics"),
        (name = "auth", description = "Operator sign-in"),
        (name = "signing", description = "Vendor public keys"),
        (name = "catalog", description = "Products, editions, size tiers, modules (A1)"),
        (name = "keys", description = "Key batches and product keys (A2, A3)"),
        (name = "accounts", description = "Customer registration; operators' view of accounts (B1)"),
        (name = "portal", description = "The customer portal: sign-in, keys, installations (B2–B4)"),
        (name = "activation", description = "The client software: activation, site data, validation (C, D)"),
        (name = "sites", description = "Operators' handling of installations"),
        (name = "services", description = "Per-site monthly services and their billing (F1–F3)"),
        (name = "cloud", description = "Cloud-service plans, trial, orders, payments, invoices, site enablement (E1–E6)"),
        (name = "webhooks", description = "Signed webhooks of business events (X7)"),
        (name = "sync", description = "Cloud data sync: collections, first sync, push, pull, data check, status, conflicts (G1–G6, E7)"),
        (name = "operations", description = "The operations log, the mail outbox, scheduled jobs (I1–I3)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for scheme in [
            "operator_token",
            "account_token",
            "site_token",
            "cloud_token",
        ] {
            components.add_security_scheme(
                scheme,
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
        }
    }
}

/// The API routes with their OpenAPI description.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(vendor_routes())
        .merge(portal_routes())
        .merge(client_routes())
}

/// What the vendor's operators call (and the public price list, public keys and registration).
fn vendor_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(public_keys::list))
        .routes(routes!(products::list, products::create))
        .routes(routes!(products::get))
        .routes(routes!(products::add_edition))
        .routes(routes!(products::add_size))
        .routes(routes!(products::add_module))
        .routes(routes!(offline::set_policy))
        .routes(routes!(offline::answer))
        .routes(routes!(releases::publish, releases::list))
        .routes(routes!(releases::set_minimum))
        .routes(routes!(releases::set_cloud_minimum))
        .routes(routes!(releases::withdraw))
        .routes(routes!(releases::restore))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::delete))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::replay))
        .routes(routes!(batches::list, batches::create))
        .routes(routes!(batches::get))
        .routes(routes!(batches::fill))
        .routes(routes!(batches::keys))
        .routes(routes!(batches::csv))
        .routes(routes!(keys::get))
        .routes(routes!(keys::revoke))
        .routes(routes!(keys::history))
        .routes(routes!(key_import::get_format, key_import::set_format))
        .merge(
            // A file of 200 000 keys is larger than any JSON body.
            OpenApiRouter::new()
                .routes(routes!(key_import::import))
                .layer(DefaultBodyLimit::max(crate::keys::import::MAX_FILE_BYTES)),
        )
        .routes(routes!(signing_keys::rotate))
        .routes(routes!(signing_keys::retire))
        .routes(routes!(accounts::register, accounts::list))
        .routes(routes!(accounts::check_key))
        .routes(routes!(accounts::get))
        .routes(routes!(sites::get))
        .routes(routes!(sites::suspend))
        .routes(routes!(sites::resume))
        .routes(routes!(sites::deactivate))
        .routes(routes!(sites::set_expiry))
        .routes(routes!(services::create, services::list))
        .routes(routes!(services::lines))
        .routes(routes!(technical::get))
        .routes(routes!(fleet::show))
        .routes(routes!(operations::outbox))
        .routes(routes!(operations::jobs))
        .routes(routes!(operations::run_job))
        .routes(routes!(operations::list))
        .routes(routes!(operations::list_csv))
        .routes(routes!(operations::set_retention))
        .routes(routes!(keys::change_edition))
        .routes(routes!(plans::create, plans::list))
        .routes(routes!(plans::subscriptions))
        .routes(routes!(plans::set_state))
        .routes(routes!(orders::unapplied))
        .routes(routes!(orders::all))
        .routes(routes!(orders::list))
        .routes(routes!(orders::page))
        .routes(routes!(sync::list_collections, sync::declare_collection))
}

/// What a customer's portal calls: the account, its users and site users, services, the cloud, orders.
fn portal_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(portal::login))
        .routes(routes!(portal::logout))
        .routes(routes!(portal::me))
        .routes(routes!(portal::add_key))
        .routes(routes!(account_data::update_profile))
        .routes(routes!(account_data::set_language))
        .routes(routes!(account_data::contacts, account_data::add_contact))
        .routes(routes!(account_data::remove_contact))
        .routes(routes!(portal::sites))
        .routes(routes!(releases::downloads))
        .routes(routes!(portal::deactivate))
        .routes(routes!(offline::answer_own))
        .routes(routes!(portal::change_site_data))
        .routes(routes!(portal::request_reset))
        .routes(routes!(portal::confirm_reset))
        .routes(routes!(users::create_user, users::list))
        .routes(routes!(users::delete_user))
        .routes(routes!(users::disable_user))
        .routes(routes!(users::enable_user))
        .routes(routes!(groups::create, groups::list))
        .routes(routes!(groups::rename))
        .routes(routes!(groups::set_rights))
        .routes(routes!(groups::set_members))
        .routes(routes!(groups::delete))
        .routes(routes!(users::login))
        .routes(routes!(users::ui))
        .routes(routes!(site_users::create, site_users::list))
        .routes(routes!(site_users::delete))
        .routes(routes!(site_users::reinvite))
        .routes(routes!(site_users::list_all))
        .routes(routes!(site_users::login))
        .routes(routes!(site_users::accept_invitation))
        .routes(routes!(technical::get_own, technical::set_own))
        .routes(routes!(services::own))
        .routes(routes!(services::activate))
        .routes(routes!(services::deactivate))
        .routes(routes!(services::own_lines))
        .routes(routes!(operations::own))
        .routes(routes!(operations::own_csv))
        .routes(routes!(cloud::get))
        .routes(routes!(cloud::trial))
        .routes(routes!(cloud::enable))
        .routes(routes!(cloud::disable))
        .routes(routes!(cloud::resend_codes))
        .routes(routes!(orders::create, orders::own_orders))
        .routes(routes!(orders::get))
        .routes(routes!(orders::cancel))
        .routes(routes!(orders::own_list))
        .routes(routes!(orders::own_page))
        .routes(routes!(sync::list_conflicts))
        .routes(routes!(sync::resolve_conflict))
}

/// What software calls: the client at a site (activation, site data, the cloud code exchange and standing) and the payment provider.
fn client_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(activation::activate))
        .routes(routes!(activation::put_data))
        .routes(routes!(activation::deactivate))
        .routes(routes!(cloud::activate))
        .routes(routes!(cloud::status))
        .routes(routes!(orders::callback))
        .routes(routes!(sync::site_collections))
        .routes(routes!(sync::start))
        .routes(routes!(sync::renew))
        .routes(routes!(sync::finish))
        .routes(routes!(sync::push))
        .routes(routes!(sync::pull))
        .routes(routes!(sync::check))
        .routes(routes!(sync::status))
}

/// The routes every installation calls often, answered from memory: they skip the layers
/// whose cost shows at tens of thousands of requests a second (a tracing span, a timer and
/// a compression wrapper per request) and log what matters themselves, with the request id.
fn hot_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(validation::validate))
}

/// The OpenAPI document, as served on `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut openapi = api().merge(hot_api()).split_for_parts().1;
    edge_in_openapi::add(&mut openapi);
    openapi
}

/// The whole router: the JSON API, the operational routes and `pages` (the web application,
/// which puts its own pages on record with [`crate::oplog::record`]).
pub fn router(state: AppState, pages: crate::Pages) -> Router {
    let (api_router, _) = api().split_for_parts();
    let (hot_router, _) = hot_api().split_for_parts();
    let max_body = state.config.max_body_bytes;
    // A request slower than this gets 408: a client cannot hold one open (the head has its
    // own, shorter timeout, and on the hot route the body its own timer, both in
    // `connections`; a timer per request there cost 7 % of validations).
    let timeout = || {
        TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(state.config.connections.request_timeout_secs),
        )
    };
    let ops = Router::new()
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/readyz", axum::routing::get(health::readyz))
        .route("/metrics", axum::routing::get(health::metrics));
    // Every state-changing API request is an operation on record (the hot route is not).
    let api_router = api_router.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::oplog::record,
    ));
    let no_route = || async { ApiError::refused(ErrorCode::RouteNotFound, "no such route") };
    let full = Router::new()
        .merge(api_router)
        .merge(pages.routes)
        .merge(ops)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi()))
        .route("/api/{*rest}", axum::routing::any(no_route));
    let full = match pages.not_found {
        Some(page) => full.fallback(page),
        None => full.fallback(no_route),
    };
    let full = full
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(CompressionLayer::new())
        .layer(timeout())
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span));
    let hot = hot_router
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id());
    full.merge(hot)
        .with_state(state)
        .layer(SetRequestIdLayer::x_request_id(
            crate::request_id::Sequential::new(),
        ))
        // Before an id is set: a client's id that is not a plain short token is dropped.
        .layer(tower::util::MapRequestLayer::new(
            crate::request_id::drop_unacceptable,
        ))
}

/// The span names the route pattern, not the URI: paths carry product keys, which stay out of
/// the logs.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %request.method(), route, request_id)
}
