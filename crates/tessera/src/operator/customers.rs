//! Operator commands for customers: accounts, their installations, and the signing keys.

use clap::{Args, Subcommand};
use comfy_table::Table;
use tessera_api::{Account, AccountPage, PublicKeyInfo, PublicKeys, SetExpiry, Site};

use crate::operator::{Client, Server};

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// List customer accounts (paged; search by the start of username, email, company or VAT).
    List {
        #[command(flatten)]
        server: Server,
        #[arg(long)]
        search: Option<String>,
        /// Show accounts with ids above this (the "next" value a page prints).
        #[arg(long, default_value_t = 0)]
        after: i64,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Show one account with its installations.
    Show {
        #[command(flatten)]
        server: Server,
        id: i64,
    },
}

#[derive(Subcommand)]
pub enum SitesCommand {
    /// Show one installation.
    Show(SiteArgs),
    /// Stop an installation: validations answer "suspended", activation is refused.
    Suspend(SiteArgs),
    /// Lift a suspension.
    Resume(SiteArgs),
    /// Release an installation from its machine so the key can be activated elsewhere.
    Deactivate(SiteArgs),
    /// Set the date the installation's license expires (RFC 3339), or --never.
    Expiry {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, required_unless_present = "never")]
        at: Option<String>,
        #[arg(long, conflicts_with = "at")]
        never: bool,
    },
}

#[derive(Args)]
pub struct SiteArgs {
    #[command(flatten)]
    server: Server,
    site_id: String,
}

#[derive(Subcommand)]
pub enum SigningKeysCommand {
    /// List the vendor's signing keys.
    List(Server),
    /// Make a new key the signing one; older keys keep verifying until retired.
    Rotate(Server),
    /// Stop trusting a key (not the active one).
    Retire {
        #[command(flatten)]
        server: Server,
        key_id: String,
    },
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn accounts(command: AccountsCommand) -> anyhow::Result<()> {
    match command {
        AccountsCommand::List {
            server,
            search,
            after,
            limit,
        } => {
            let page: AccountPage = Client::new(&server)
                .authed("GET /api/v1/accounts", async |api| {
                    api.accounts(search.as_deref(), after, limit).await
                })?;
            let mut table = Table::new();
            table.set_header([
                "id", "username", "email", "company", "country", "VAT", "created",
            ]);
            for a in page.accounts {
                table.add_row([
                    a.id.to_string(),
                    a.username,
                    a.email,
                    a.company_name,
                    a.country,
                    a.vat_number,
                    a.created_at,
                ]);
            }
            println!("{table}");
            if let Some(next) = page.next_after {
                eprintln!("more: --after {next}");
            }
            Ok(())
        }
        AccountsCommand::Show { server, id } => {
            let account: Account = Client::new(&server)
                .authed("GET /api/v1/accounts/{id}", async |api| {
                    api.account(id).await
                })?;
            print_json(&account)
        }
    }
}

pub fn sites(command: SitesCommand) -> anyhow::Result<()> {
    let site: Site = match command {
        SitesCommand::Show(a) => Client::new(&a.server)
            .authed("GET /api/v1/sites/{site_id}", async |api| {
                api.site(&a.site_id).await
            })?,
        SitesCommand::Suspend(a) => Client::new(&a.server).open("POST suspend", async |api| {
            api.suspend_site(&a.site_id).await
        })?,
        SitesCommand::Resume(a) => Client::new(&a.server)
            .open("POST resume", async |api| api.resume_site(&a.site_id).await)?,
        SitesCommand::Deactivate(a) => Client::new(&a.server)
            .open("POST deactivate", async |api| {
                api.deactivate_site(&a.site_id).await
            })?,
        SitesCommand::Expiry { site, at, never } => {
            let body = SetExpiry {
                expires_at: if never { None } else { at },
            };
            Client::new(&site.server).authed("PUT expiry", async |api| {
                api.set_site_expiry(&site.site_id, &body).await
            })?
        }
    };
    print_json(&site)
}

pub fn signing_keys(command: SigningKeysCommand) -> anyhow::Result<()> {
    match command {
        SigningKeysCommand::List(server) => {
            let keys: PublicKeys = Client::new(&server)
                .authed("GET /api/v1/public-keys", async |api| {
                    api.public_keys().await
                })?;
            let mut table = Table::new();
            table.set_header(["key id", "active", "created", "retired"]);
            for k in keys.keys {
                table.add_row([
                    k.key_id,
                    if k.active {
                        "yes".into()
                    } else {
                        String::new()
                    },
                    k.created_at,
                    k.retired_at.unwrap_or_default(),
                ]);
            }
            println!("{table}");
            Ok(())
        }
        SigningKeysCommand::Rotate(server) => {
            let key: PublicKeyInfo = Client::new(&server)
                .open("POST rotate", async |api| api.rotate_signing_key().await)?;
            print_json(&key)
        }
        SigningKeysCommand::Retire { server, key_id } => {
            let key: PublicKeyInfo = Client::new(&server).open("POST retire", async |api| {
                api.retire_signing_key(&key_id).await
            })?;
            print_json(&key)
        }
    }
}
