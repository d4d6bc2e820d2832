//! `tessera agent …`: the client library as a command, for sites that run it as a service
//! beside their product. A thin layer over `tessera_client::Client`: it parses the agent's
//! config, calls one method and prints the outcome; no licensing rule lives here.
//!
//! Exit codes (docs/client.md): 0 ok, 1 error (the line names the `ClientError` code),
//! 2 bad command line, 3 not activated, 4 locked.

mod checks;
mod commands;
mod config;
mod offline;
mod report;
mod service;
mod store;
mod sync;
mod trust;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

pub use config::AgentConfig;

pub const EXIT_ERROR: u8 = 1;
pub const EXIT_NOT_ACTIVATED: u8 = 3;
pub const EXIT_LOCKED: u8 = 4;

#[derive(Args)]
pub struct AgentArgs {
    /// The agent's TOML configuration (`tessera agent config-example` prints one).
    #[arg(
        long,
        global = true,
        env = "TESSERA_AGENT_CONFIG",
        default_value = "agent.toml"
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: AgentCommand,
}

#[derive(Subcommand)]
enum AgentCommand {
    /// Activate this machine with the account's email (or VAT number) and a product key.
    Activate(commands::ActivateArgs),
    /// May the product run, and with what (offline; reads the state file).
    Status {
        /// JSON with stable field names, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Validate now against the servers (primary first, then backups).
    Validate {
        /// Print the status afterwards as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the servers in order and the one tried first; --select changes it.
    Servers {
        /// Make this configured server the first to try, and save the choice.
        #[arg(long, value_name = "URL")]
        select: Option<String>,
    },
    /// Ask one server (or every configured one) for its public keys.
    TestConnection {
        /// Any server URL; all configured servers when omitted.
        url: Option<String>,
    },
    /// Release this machine's activation on the server, then delete the local state.
    Deactivate,
    /// Send the site data (company, address, representative: the JSON body of PUT
    /// /api/v1/site/data) after activation.
    SiteData {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Activation, revalidation and deactivation by file, for a machine without internet access (X1).
    #[command(subcommand)]
    Offline(offline::OfflineCommand),
    /// Run in the foreground: validate at start-up and daily, logging each outcome (for a
    /// systemd service).
    Run,
    /// Fetch the vendor's public keys once from a server into the `public_keys` file and
    /// print their ids, to compare with the ones the vendor gave you.
    Trust(trust::TrustArgs),
    /// Print a commented example configuration.
    ConfigExample,
    /// The cloud: check the local data, connect with the mailed codes, the cloud status.
    #[command(subcommand)]
    Cloud(sync::CloudCommand),
    /// Cloud data sync of the local store (`sync_data`): push, pull, restore, status.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
}

/// What one command ends with: a process exit code.
pub type Outcome = anyhow::Result<u8>;

pub fn main(args: AgentArgs) -> ExitCode {
    let result = match args.command {
        AgentCommand::ConfigExample => {
            print!("{}", config::EXAMPLE_TOML);
            Ok(0)
        }
        AgentCommand::Trust(t) => trust::run(&args.config, t),
        command => AgentConfig::load(&args.config).and_then(|cfg| dispatch(&cfg, command)),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // A library error already names its code (`commands::failed`).
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn dispatch(cfg: &AgentConfig, command: AgentCommand) -> Outcome {
    let client = commands::open(cfg)?;
    match command {
        AgentCommand::Activate(a) => commands::activate(&client, a),
        AgentCommand::Status { json } => commands::status(&client, json),
        AgentCommand::Validate { json } => commands::validate(&client, json),
        AgentCommand::Servers { select } => commands::servers(&client, select.as_deref()),
        AgentCommand::TestConnection { url } => commands::test_connection(&client, url),
        AgentCommand::Deactivate => commands::deactivate(&client),
        AgentCommand::SiteData { file } => commands::site_data(&client, &file),
        AgentCommand::Offline(c) => offline::run(&client, c),
        AgentCommand::Run => service::run(client),
        AgentCommand::Cloud(c) => sync::cloud(cfg, &client, c),
        AgentCommand::Sync(c) => sync::sync(cfg, &client, c),
        AgentCommand::Trust(_) | AgentCommand::ConfigExample => unreachable!("handled above"),
    }
}
