//! `tessera serve`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use tessera_core::SystemClock;
use tracing_subscriber::EnvFilter;

use crate::config::{self, Overrides};

#[derive(Args)]
pub struct ServeArgs {
    /// TOML configuration file (default: ./tessera.toml if it exists).
    #[arg(long, env = "TESSERA_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    listen: Option<String>,
    /// Data directory for the SQLite database and signing keys [default: ./tessera-data].
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://…) instead of SQLite.
    #[arg(long)]
    database_url: Option<String>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let flags = Overrides {
        listen: args.listen,
        data_dir: args.data_dir,
        database_url: args.database_url,
    };
    let config = config::load(args.config.as_deref(), &flags)?;
    init_logging(&config.log_format);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(serve(config))
}

fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour only on a terminal: a log file or journal gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn serve(config: tessera_server::Config) -> anyhow::Result<()> {
    let listen = config.listen;
    let backend = match &config.database_url {
        Some(url) => tessera_store::redact_url(url),
        None => format!("sqlite:{}", config.data_dir.join("tessera.db").display()),
    };
    let app =
        tessera_server::build_app_with(config, Arc::new(SystemClock), tessera_web::pages).await?;
    if let Some(password) = &app.generated_admin_password {
        // Shown on the terminal once; it is stored only as an argon2 hash.
        println!("Created the operator account 'admin' with the password: {password}");
        println!("It is shown only this once. Sign in with: tessera login --username admin");
    }
    match tessera_server::connections::raise_open_files_limit() {
        Ok(limit) => tracing::info!(limit, "open files limit"),
        Err(e) => tracing::warn!(error = %e, "could not raise the open files limit"),
    }
    let listener = bind(listen).with_context(|| format!("listening on {listen}"))?;
    tracing::info!(address = %listener.local_addr()?, %backend, "Tessera is listening");
    println!("Tessera listening on http://{}", listener.local_addr()?);
    tessera_server::serve(listener, app, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The listening socket, with a backlog of 4096 pending connections (the kernel may cap it
/// at `net.core.somaxconn`) instead of 1024: under a flood of connections the ones of
/// well-behaved clients wait in the queue instead of having their SYN dropped and retried a
/// second later.
fn bind(listen: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if listen.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(listen)?;
    socket.listen(4096)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
