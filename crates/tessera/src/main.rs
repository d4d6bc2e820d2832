//! `tessera`: the server, the operator's command line and the site agent.
#![forbid(unsafe_code)]

mod agent;
mod bench;
mod config;
mod operator;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use operator::{billing, catalog, customers, fleet, keys, offline, operations, releases, webhooks};

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
    /// End the session of the token in use.
    Logout(operator::Server),
    /// Who the token belongs to.
    Whoami(operator::Server),
    /// Products of the catalog: editions, sizes, modules.
    Products {
        #[command(subcommand)]
        command: catalog::ProductsCommand,
    },
    /// Webhooks: endpoints for business events, their deliveries.
    Webhooks {
        #[command(subcommand)]
        command: webhooks::WebhooksCommand,
    },
    /// Activation by file for sites without internet: answer request files, set a
    /// product's offline policy.
    Offline {
        #[command(subcommand)]
        command: offline::OfflineCommand,
    },
    /// Releases of a product and its minimum supported version.
    Releases {
        #[command(subcommand)]
        command: releases::ReleasesCommand,
    },
    /// Plans of the cloud service: prices, terms, trials, bundles.
    Plans {
        #[command(subcommand)]
        command: catalog::PlansCommand,
    },
    /// Monthly services per site (the catalog).
    Services {
        #[command(subcommand)]
        command: catalog::ServicesCommand,
    },
    /// Product keys and key batches.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Customer accounts.
    Accounts {
        #[command(subcommand)]
        command: customers::AccountsCommand,
    },
    /// Installations (sites): show, suspend, resume, deactivate, set expiry, technical data.
    Sites {
        #[command(subcommand)]
        command: customers::SitesCommand,
    },
    /// The vendor's signing keys: list, rotate, retire.
    SigningKeys {
        #[command(subcommand)]
        command: customers::SigningKeysCommand,
    },
    /// Cloud subscriptions: list by account and state, set a state.
    Subscriptions {
        #[command(subcommand)]
        command: billing::SubscriptionsCommand,
    },
    /// Orders: every account's, newest first.
    Orders {
        #[command(subcommand)]
        command: billing::OrdersCommand,
    },
    /// Payments: those that could not be applied.
    Payments {
        #[command(subcommand)]
        command: billing::PaymentsCommand,
    },
    /// Invoices: list, show, the printable page.
    Invoices {
        #[command(subcommand)]
        command: billing::InvoicesCommand,
    },
    /// The invoice lines the monthly billing wrote.
    InvoiceLines {
        #[command(flatten)]
        server: operator::Server,
        #[arg(long)]
        account: Option<i64>,
        /// YYYY-MM.
        #[arg(long)]
        month: Option<String>,
    },
    /// The fleet dashboard: active sites by product and edition, validations per day, overdue
    /// and locked sites, trials and revenue per month, subscriptions ending, outbox, jobs.
    Fleet(fleet::FleetArgs),
    /// The operations log: list with filters, export as CSV.
    Operations {
        #[command(subcommand)]
        command: operations::OperationsCommand,
    },
    /// The mail outbox.
    Outbox {
        #[command(subcommand)]
        command: operations::OutboxCommand,
    },
    /// Scheduled jobs: their recent runs, and running one now.
    Jobs {
        #[command(subcommand)]
        command: operations::JobsCommand,
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
        Command::Logout(server) => operator::logout(server),
        Command::Whoami(server) => operator::whoami(server),
        Command::Products { command } => catalog::products(command),
        Command::Offline { command } => offline::offline(command),
        Command::Releases { command } => releases::releases(command),
        Command::Webhooks { command } => webhooks::webhooks(command),
        Command::Plans { command } => catalog::plans(command),
        Command::Services { command } => catalog::services(command),
        Command::Keys { command } => keys::keys(command),
        Command::Accounts { command } => customers::accounts(command),
        Command::Sites { command } => customers::sites(command),
        Command::SigningKeys { command } => customers::signing_keys(command),
        Command::Subscriptions { command } => billing::subscriptions(command),
        Command::Orders { command } => billing::orders(command),
        Command::Payments { command } => billing::payments(command),
        Command::Invoices { command } => billing::invoices(command),
        Command::InvoiceLines {
            server,
            account,
            month,
        } => billing::invoice_lines(server, account, month),
        Command::Fleet(args) => fleet::fleet(args),
        Command::Operations { command } => operations::operations(command),
        Command::Outbox { command } => operations::outbox(command),
        Command::Jobs { command } => operations::jobs(command),
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
