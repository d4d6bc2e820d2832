//! Tessera's web application (H1–H4): server-rendered pages at `/`, over the very use cases
//! the JSON API calls (a page handler extracts the signed-in party, calls the use case,
//! renders; it never reads the database itself). Templates are askama (checked when
//! compiled), partial updates htmx, texts Project Fluent in English, German and Italian,
//! and every asset is in the binary. How the pages are kept safe: [`security`].
#![forbid(unsafe_code)]

pub mod assets;
pub mod error;
pub mod form;
pub mod i18n;
pub mod pages;
pub mod security;
pub mod view;

use axum::Router;
use axum::response::Redirect;
use axum::routing::{any, get, post};
use tessera_api::ErrorCode;
use tessera_server::error::ApiError;
use tessera_server::{AppState, Pages};

/// The pages, for `tessera_server::build_app_with`.
pub fn pages(state: &AppState) -> Pages {
    let protect = axum::middleware::from_fn_with_state(state.clone(), security::protect);
    let routes = Router::new()
        .route("/", get(|| async { Redirect::to("/sites") }))
        .route(
            "/sign-in",
            get(pages::sign_in::form).post(pages::sign_in::submit),
        )
        .route("/sign-out", post(pages::sign_in::sign_out))
        .route("/language", get(pages::sign_in::language))
        .route("/sites", get(pages::sites::list))
        .route("/sites/charts.json", get(pages::sites::charts))
        // Registration with a product key checked first (B1), a forgotten password (B3): open
        // to anyone. Adding a further key (B2) needs the right to manage the account's sites.
        .route(
            "/register",
            get(pages::register::start).post(pages::register::submit),
        )
        .route("/register/key-check", post(pages::register::key_check))
        .route(
            "/invitation",
            get(pages::invitation::form).post(pages::invitation::accept),
        )
        .route(
            "/password-reset",
            get(pages::password_reset::form).post(pages::password_reset::request),
        )
        .route(
            "/password-reset/confirm",
            get(pages::password_reset::code_form).post(pages::password_reset::confirm),
        )
        .route(
            "/offline",
            get(pages::offline::form).post(pages::offline::answer),
        )
        .route("/offline/responses/{nonce}", get(pages::offline::download))
        .route("/account/keys/new", get(pages::keys::form))
        .route("/account/keys", post(pages::keys::add))
        // One site's sheet and what is done on it, each behind the right its use case takes:
        // the identification data (sites.manage, account-wide), the technician and charging
        // points (sites.technical.edit), the services' switch with its confirmation step
        // (sites.operations.view + actions.costly.approve), the site's users (users.manage,
        // account-wide), its cloud activation data mailed again (sites.manage, account-wide).
        .route("/sites/{site_id}", get(pages::site::show))
        .route("/sites/{site_id}/data/edit", get(pages::site::data::form))
        .route("/sites/{site_id}/data", post(pages::site::data::submit))
        .route(
            "/sites/{site_id}/technical/edit",
            get(pages::site::technical::form),
        )
        .route(
            "/sites/{site_id}/technical",
            post(pages::site::technical::submit),
        )
        .route(
            "/sites/{site_id}/services/{code}",
            post(pages::site::services::switch),
        )
        .route("/sites/{site_id}/users", post(pages::site::users::create))
        .route(
            "/sites/{site_id}/users/{id}/delete",
            post(pages::site::users::remove),
        )
        .route(
            "/sites/{site_id}/users/{id}/invitation",
            post(pages::site::users::reinvite),
        )
        .route(
            "/sites/{site_id}/codes",
            post(pages::site::cloud::resend_codes),
        )
        .route(
            "/sites/{site_id}/release",
            post(pages::site::release::release),
        )
        // Users, groups and rights (F5), each page and action with an account-wide
        // users.manage: the groups' overview and the users (disabled and enabled again:
        // htmx swaps the user's row), a group's rights switched one at a time (htmx swaps
        // the row), its members, its name.
        .route(
            "/users",
            get(pages::users::show).post(pages::users::create_user),
        )
        .route("/users/{id}/delete", post(pages::users::remove_user))
        .route("/users/{id}/disable", post(pages::users::disable_user))
        .route("/users/{id}/enable", post(pages::users::enable_user))
        .route("/users/groups", post(pages::users::groups::create))
        .route("/users/groups/{id}", get(pages::users::groups::show))
        .route(
            "/users/groups/{id}/name",
            post(pages::users::groups::rename),
        )
        .route(
            "/users/groups/{id}/members",
            post(pages::users::groups::members),
        )
        .route(
            "/users/groups/{id}/delete",
            post(pages::users::groups::remove),
        )
        .route(
            "/users/groups/{id}/rights/{right}",
            post(pages::users::rights::switch),
        )
        // The cloud sync's conflicts (G3) with sync.conflicts.resolve.
        .route("/sync/conflicts", get(pages::sync::conflicts::list))
        .route(
            "/sync/conflicts/{id}/resolve",
            post(pages::sync::conflicts::resolve),
        )
        // The operations log (I1) with operations.view, filtered and paged, and its CSV.
        .route("/downloads", get(pages::downloads::list))
        .route("/operations", get(pages::operations::list))
        .route("/operations/export", get(pages::operations::export))
        .merge(cloud_routes(state))
        .merge(operator_routes())
        // Every state-changing page request is an operation on record, as in the API.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            tessera_server::oplog::record,
        ))
        .layer(protect.clone())
        .route("/assets/{file}", get(assets::serve));
    Pages {
        routes,
        not_found: Some(any(not_found).layer(protect)),
    }
}

/// The operator console (`/operator/…`): its own sign-in and session cookie; every page
/// takes the `Operator` extractor, so a customer's session is asked to sign in here.
fn operator_routes() -> Router<AppState> {
    use pages::operator::{
        batches, catalog, collections, customers, fleet, key_import, keys, money, operations,
        outbox, plans, releases, services, sign_in, signing, subscriptions, webhooks,
    };
    Router::new()
        .route("/operator", get(|| async { Redirect::to(sign_in::HOME) }))
        .route(
            "/operator/sign-in",
            get(sign_in::form).post(sign_in::submit),
        )
        .route("/operator/sign-out", post(sign_in::sign_out))
        .route(
            "/operator/catalog",
            get(catalog::list).post(catalog::create),
        )
        .route("/operator/catalog/{code}", get(catalog::show))
        .route(
            "/operator/catalog/{code}/editions",
            post(catalog::add_edition),
        )
        .route("/operator/catalog/{code}/sizes", post(catalog::add_size))
        .route(
            "/operator/catalog/{code}/offline-policy",
            post(catalog::set_offline_policy),
        )
        .route(
            "/operator/catalog/{code}/releases",
            get(releases::show).post(releases::publish),
        )
        .route(
            "/operator/catalog/{code}/releases/{version}/withdraw",
            post(releases::withdraw),
        )
        .route(
            "/operator/catalog/{code}/releases/{version}/restore",
            post(releases::restore),
        )
        .route(
            "/operator/catalog/{code}/minimum-version",
            post(releases::set_minimum),
        )
        .route(
            "/operator/catalog/{code}/cloud-minimum-version",
            post(releases::set_cloud_minimum),
        )
        .route(
            "/operator/catalog/{code}/collections",
            get(collections::show).post(collections::declare),
        )
        .route(
            "/operator/catalog/{code}/modules",
            post(catalog::add_module),
        )
        .route("/operator/plans", get(plans::list).post(plans::create))
        .route(
            "/operator/services",
            get(services::list).post(services::create),
        )
        .route(
            "/operator/webhooks",
            get(webhooks::list).post(webhooks::create),
        )
        .route("/operator/webhooks/{id}", get(webhooks::show))
        .route("/operator/webhooks/{id}/delete", post(webhooks::delete))
        .route(
            "/operator/webhook-deliveries/{id}/replay",
            post(webhooks::replay),
        )
        .route("/operator/keys", get(batches::list))
        .route("/operator/keys/find", get(keys::find))
        .route(
            "/operator/keys/import",
            get(key_import::show).post(key_import::run),
        )
        .route("/operator/keys/import/format", post(key_import::set_format))
        .route("/operator/keys/batches", post(batches::order))
        .route("/operator/keys/batches/{id}", get(batches::show))
        .route("/operator/keys/batches/{id}/fill", post(batches::fill))
        .route("/operator/keys/batches/{id}/keys.csv", get(batches::csv))
        .route("/operator/keys/{key}", get(keys::show))
        .route("/operator/keys/{key}/revoke", post(keys::revoke))
        .route("/operator/keys/{key}/edition", post(keys::change_edition))
        .route("/operator/fleet", get(fleet::page))
        .route("/operator/jobs/{name}", get(fleet::job))
        .route("/operator/jobs/{name}/run", post(fleet::run_job))
        .route("/operator/outbox", get(outbox::list))
        .route("/operator/fleet/charts.json", get(fleet::charts))
        .route(
            "/operator/offline",
            get(pages::offline::operator_form).post(pages::offline::operator_answer),
        )
        .route(
            "/operator/offline/responses/{nonce}",
            get(pages::offline::operator_download),
        )
        .route("/operator/customers", get(customers::list))
        .route("/operator/customers/{id}", get(customers::show))
        .route(
            "/operator/customers/{id}/log-retention",
            post(customers::set_retention),
        )
        .route(
            "/operator/customers/{id}/sites/{site}/{action}",
            post(customers::site_action),
        )
        .route("/operator/subscriptions", get(subscriptions::list))
        .route(
            "/operator/subscriptions/{id}/state",
            post(subscriptions::set_state),
        )
        .route("/operator/money", get(money::page))
        .route("/operator/operations", get(operations::list))
        .route("/operator/operations/export", get(operations::export))
        .route("/operator/invoices/{number}", get(money::invoice))
        .route("/operator/signing-keys", get(signing::list))
        .route("/operator/signing-keys/rotate", post(signing::rotate))
        .route(
            "/operator/signing-keys/{key_id}/retire",
            post(signing::retire),
        )
}

/// The cloud pages (E1–E6): the set-up page and its actions, the trial's wizard, buying
/// and renewing, the orders, the invoices; and the test payment provider, only when
/// `[billing] test_payments` is on (otherwise its paths are unknown pages, 404).
fn cloud_routes(state: &AppState) -> Router<AppState> {
    use pages::cloud::{invoices, orders, purchase, setup, test_payments, trial};
    let routes = Router::new()
        .route("/cloud", get(setup::page))
        .route("/cloud/sites", post(setup::enable))
        .route("/cloud/sites/{site}/codes", post(setup::resend))
        .route("/cloud/sites/{site}/disable", post(setup::disable))
        .route("/cloud/trial", get(trial::form).post(trial::start))
        .route("/cloud/trial/summary", get(trial::summary))
        .route("/cloud/trial/started", get(trial::started))
        .route("/cloud/buy", get(purchase::form).post(purchase::submit))
        .route("/cloud/orders", get(orders::list))
        .route("/cloud/orders/{id}", get(orders::page))
        .route("/cloud/orders/{id}/cancel", post(orders::cancel))
        .route("/invoices", get(invoices::list))
        .route("/invoices/{number}", get(invoices::page));
    if !state.config.billing.test_payments {
        return routes;
    }
    tracing::warn!(
        "[billing] test_payments is on: /test-payments pays orders without money. \
         Never in production."
    );
    routes
        .route("/test-payments/{id}", get(test_payments::page))
        .route("/test-payments/{id}/pay", post(test_payments::pay))
        .route("/test-payments/{id}/decline", post(test_payments::decline))
}

/// A path no page has: the error page, 404.
async fn not_found() -> ApiError {
    ApiError::refused(ErrorCode::RouteNotFound, "no such page")
}
