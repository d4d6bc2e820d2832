//! `tessera`: the server, the operator's command line and the site agent.
#![forbid(unsafe_code)]

mod agent;
mod bench;
mod config;
mod customers;
mod jobs;
mod operator;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's malloc: validations/s on SQLite 32 000-35 000 → 38 000-42 000 and
/// resident memory 90-148 → 54-61 MiB on the 2-core bench machine (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tessera",
    version,
    about = "License, subscription and cloud-service server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (SQLite in the data directory unless --database-url is given).
    Serve(serve::ServeArgs),
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Sign in as an operator and print a token for TESSERA_TOKEN.
    Login(operator::LoginArgs),
    /// Products of the catalog.
    Products {
        #[command(subcommand)]
        command: operator::ProductsCommand,
    },
    /// Product keys and key batches.
    Keys {
        #[command(subcommand)]
        command: operator::KeysCommand,
    },
    /// Customer accounts.
    Accounts {
        #[command(subcommand)]
        command: customers::AccountsCommand,
    },
    /// Installations (sites): show, suspend, resume, deactivate, set expiry.
    Sites {
        #[command(subcommand)]
        command: customers::SitesCommand,
    },
    /// The vendor's signing keys: list, rotate, retire.
    SigningKeys {
        #[command(subcommand)]
        command: customers::SigningKeysCommand,
    },
    /// Scheduled jobs: their recent runs, and running one now.
    Jobs {
        #[command(subcommand)]
        command: jobs::JobsCommand,
    },
    /// Load generators: drive a running server over HTTP and report throughput and latency.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// The site agent: activate, status, validate, servers, run as a service.
    Agent(agent::AgentArgs),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print a commented example configuration file.
    Example,
    /// Print the effective configuration (secrets hidden) and where it would come from.
    Show {
        #[arg(long, env = "TESSERA_CONFIG")]
        config: Option<PathBuf>,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Config {
            command: ConfigCommand::Example,
        } => {
            print!("{}", tessera_server::config::EXAMPLE_TOML);
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Show { config },
        } => config::load(config.as_deref(), &config::Overrides::default())
            .map(|c| println!("{c:#?}")),
        Command::Login(args) => operator::login(args),
        Command::Products { command } => operator::products(command),
        Command::Keys { command } => operator::keys(command),
        Command::Accounts { command } => customers::accounts(command),
        Command::Sites { command } => customers::sites(command),
        Command::SigningKeys { command } => customers::signing_keys(command),
        Command::Jobs { command } => jobs::jobs(command),
        Command::Bench { command } => bench::run(command),
        // The agent has its own exit codes (locked, not activated).
        Command::Agent(args) => return agent::main(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
