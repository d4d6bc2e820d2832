//! Tessera's HTTP server. [`build_app`] opens storage, bootstraps the operator account and
//! signing keys, and assembles the router; [`serve`] runs it on a listener until shutdown.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod activation;
pub mod actors;
pub mod billing;
pub mod bootstrap;
pub mod catalog;
pub mod cloud;
pub mod config;
pub mod connections;
pub mod control_chars;
pub mod csv_cells;
pub mod error;
pub mod extract;
pub mod fleet;
pub mod forms;
pub mod jobs;
pub mod keys;
pub mod login_throttle;
pub mod mail;
pub mod metrics;
pub mod operations;
pub mod oplog;
pub mod overview;
pub mod paging;
pub mod rate_limit;
pub mod request_id;
pub mod rights;
pub mod routes;
pub mod services;
pub mod sessions;
pub mod signing;
pub mod sites;
pub mod state;
pub mod sync;
pub mod validation_log;
pub mod webhooks;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tessera_core::Clock;
use tessera_store::Store;
use tokio::net::TcpListener;

pub use config::Config;
pub use state::AppState;

/// A built server, ready to serve.
pub struct App {
    pub router: Router,
    pub state: AppState,
    /// The `admin` operator's password when this start created it without a configured one:
    /// shown once, never stored in clear.
    pub generated_admin_password: Option<String>,
}

/// Opens the database named by the config (SQLite in the data directory unless a
/// `database_url` is given), runs migrations and first-start bootstrap, builds the router
/// (the JSON API only; [`build_app_with`] adds the web pages).
pub async fn build_app(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
    build_app_with(config, clock, |_| Pages::default()).await
}

/// What the web application adds to the router: its routes, and what answers a path no
/// route has (outside `/api/`, which keeps its JSON `ROUTE_NOT_FOUND`).
#[derive(Default)]
pub struct Pages {
    pub routes: Router<AppState>,
    pub not_found: Option<axum::routing::MethodRouter<AppState>>,
}

/// [`build_app`] with the routes `pages` makes (the web application, served beside the API
/// through the same layers: request ids, the operations log, limits and timeouts).
pub async fn build_app_with(
    mut config: Config,
    clock: Arc<dyn Clock>,
    pages: impl FnOnce(&AppState) -> Pages,
) -> anyhow::Result<App> {
    config.billing = std::mem::take(&mut config.billing).normalized()?;
    // Owner-only: the directory holds the database and, on SQLite, the signing keys.
    std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
        .create(&config.data_dir)
        .with_context(|| format!("creating data directory {}", config.data_dir.display()))?;
    std::fs::set_permissions(
        &config.data_dir,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .with_context(|| format!("making {} owner-only", config.data_dir.display()))?;
    anyhow::ensure!(
        (1..=8760).contains(&config.session_hours),
        "session_hours must be 1 to 8760, not {}",
        config.session_hours
    );
    let store = match &config.database_url {
        Some(url) => Store::open_url_with(url, config.database_connections).await,
        None => Store::open_sqlite(&config.data_dir.join("tessera.db")).await,
    }
    .context("opening the database")?;
    let now = clock.now();
    let generated_admin_password =
        bootstrap::ensure_admin(&store, config.admin_password.as_deref(), now).await?;
    let keyring = signing::Keyring::load_or_create(&store, &config.data_dir, now)
        .await
        .context("loading the signing keys")?;
    store.spawn_change_listener();
    store.spawn_pull_flusher();
    let limits = Arc::new(rate_limit::RateLimiters::new(&config.rate_limits));
    spawn_limit_sweeper(limits.clone());
    let zone = jiff::tz::TimeZone::get(&config.jobs.time_zone)
        .with_context(|| format!("jobs.time_zone {:?}", config.jobs.time_zone))?;
    let smtp = mail::smtp::SmtpSender::new(&config.smtp).context("the smtp settings")?;
    let validations = Arc::new(validation_log::ValidationLog::default());
    validation_log::spawn_flusher(
        validations.clone(),
        store.clone(),
        clock.clone(),
        zone.clone(),
    );
    let state = AppState::new(state::Shared {
        store,
        clock,
        keyring: Arc::new(keyring),
        login_throttle: Arc::default(),
        limits,
        validations,
        validation_signer: signing::batch::BatchSigner::new(tessera_core::DocumentKind::Validation),
        config: Arc::new(config),
        metrics: metrics::handle(),
        mail: mail::Templates::load().context("the mail templates")?,
        zone: zone.clone(),
        smtp,
    });
    jobs::spawn(state.clone(), Arc::new(jobs::Runner::new(zone)));
    metrics::spawn_upkeep(state.metrics.clone());
    let router = routes::router(state.clone(), pages(&state));
    Ok(App {
        router,
        state,
        generated_admin_password,
    })
}

/// Forgets rate-limit buckets that filled up again, once a minute.
fn spawn_limit_sweeper(limits: Arc<rate_limit::RateLimiters>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limits.retain_recent();
        }
    });
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = app.state.config.connections.clone();
    connections::serve(listener, app.router, &limits, shutdown).await;
    let state = &app.state;
    if let Err(e) = state
        .validations
        .flush(&state.store, state.clock.now(), &state.zone)
        .await
    {
        tracing::warn!(error = %e, "recording the last validation times failed at shutdown");
    }
    app.state.store.close().await;
    Ok(())
}
