//! Operator commands for customers: accounts, their installations, and the signing keys.

use clap::{Args, Subcommand};
use comfy_table::Table;
use tessera_api::{
    Account, AccountPage, PublicKeyInfo, PublicKeys, SetExpiry, SetLogRetention, Site,
    SiteTechnicalData,
};

use super::output::{emit, more, opt, print_json, record, table};
use super::{Client, Server};

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// List customer accounts (paged; search by the start of username, email, company or VAT).
    List {
        #[command(flatten)]
        server: Server,
        #[arg(long)]
        search: Option<String>,
        /// Show accounts with ids above this (the "more" value a page prints).
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
    /// Keep an account's operations log this many days, or by the global setting again.
    SetLogRetention {
        #[command(flatten)]
        server: Server,
        id: i64,
        /// Days, 1 to 3650.
        #[arg(long, required_unless_present = "default")]
        days: Option<u32>,
        /// Follow the server's global retention again.
        #[arg(long, conflicts_with = "days")]
        default: bool,
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
    #[command(alias = "set-expiry")]
    Expiry {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, required_unless_present = "never")]
        at: Option<String>,
        #[arg(long, conflicts_with = "at")]
        never: bool,
    },
    /// Show an installation's technician and charging points.
    Technical(SiteArgs),
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
            emit(&server, &page, |page| {
                let mut t = table([
                    "id", "username", "email", "company", "country", "VAT", "created",
                ]);
                for a in &page.accounts {
                    t.add_row([
                        a.id.to_string(),
                        a.username.clone(),
                        a.email.clone(),
                        a.company_name.clone(),
                        a.country.clone(),
                        a.vat_number.clone(),
                        a.created_at.clone(),
                    ]);
                }
                t
            })?;
            more("after", page.next_after);
            Ok(())
        }
        AccountsCommand::Show { server, id } => {
            let account: Account = Client::new(&server)
                .authed("GET /api/v1/accounts/{id}", async |api| {
                    api.account(id).await
                })?;
            if server.json {
                return print_json(&account);
            }
            println!("{}", account_record(&account));
            println!("{}", site_table(&account.installations));
            Ok(())
        }
        AccountsCommand::SetLogRetention {
            server,
            id,
            days,
            default: _,
        } => {
            let body = SetLogRetention { days };
            Client::new(&server)
                .authed("PUT /api/v1/accounts/{id}/log-retention", async |api| {
                    api.set_log_retention(id, &body).await
                })?;
            if server.json {
                return print_json(&body);
            }
            match days {
                Some(d) => println!("Account {id} keeps its operations log {d} days."),
                None => {
                    println!("Account {id} keeps its operations log as the server's setting says.")
                }
            }
            Ok(())
        }
    }
}

fn account_record(a: &Account) -> Table {
    let c = &a.company;
    record([
        ("id", a.id.to_string()),
        ("username", a.username.clone()),
        ("email", a.email.clone()),
        ("company", c.name.clone()),
        (
            "address",
            format!(
                "{} {}, {} {} ({}), {}",
                c.street, c.number, c.postcode, c.city, c.region, c.country
            ),
        ),
        ("VAT", c.vat_number.clone()),
        (
            "contact",
            format!(
                "{} {}, {} / {}",
                a.contact.first_name, a.contact.last_name, a.contact.mobile, a.contact.phone
            ),
        ),
        ("language", a.language.clone()),
        ("created", a.created_at.clone()),
        (
            "log kept",
            a.log_retention_days.map_or_else(
                || "the server's setting".to_owned(),
                |days| format!("{days} days"),
            ),
        ),
    ])
}

fn site_table(sites: &[Site]) -> Table {
    let mut t = table([
        "site",
        "status",
        "product",
        "edition",
        "size",
        "key",
        "key status",
        "expires",
        "last validated",
    ]);
    for s in sites {
        t.add_row([
            s.site_id.clone(),
            s.status.clone(),
            s.product.clone(),
            s.edition.clone(),
            s.size.clone(),
            s.product_key.clone(),
            s.key_status.clone(),
            opt(&s.expires_at),
            opt(&s.last_validated_at),
        ]);
    }
    t
}

fn site_record(s: &Site) -> Table {
    record([
        ("site", s.site_id.clone()),
        ("account", s.account_id.to_string()),
        ("label", s.label.clone()),
        ("status", s.status.clone()),
        ("product", s.product.clone()),
        ("edition", s.edition.clone()),
        ("size", s.size.clone()),
        ("key", s.product_key.clone()),
        ("key status", s.key_status.clone()),
        ("fingerprint", opt(&s.fingerprint)),
        ("transfers", s.transfers.to_string()),
        ("expires", opt(&s.expires_at)),
        ("activated", opt(&s.activated_at)),
        ("deactivated", opt(&s.deactivated_at)),
        ("last validated", opt(&s.last_validated_at)),
    ])
}

pub fn sites(command: SitesCommand) -> anyhow::Result<()> {
    let (server, site): (Server, Site) = match command {
        SitesCommand::Show(a) => {
            let site = Client::new(&a.server)
                .authed("GET /api/v1/sites/{site_id}", async |api| {
                    api.site(&a.site_id).await
                })?;
            (a.server, site)
        }
        SitesCommand::Suspend(a) => {
            let site = Client::new(&a.server).authed("POST suspend", async |api| {
                api.suspend_site(&a.site_id).await
            })?;
            (a.server, site)
        }
        SitesCommand::Resume(a) => {
            let site = Client::new(&a.server)
                .authed("POST resume", async |api| api.resume_site(&a.site_id).await)?;
            (a.server, site)
        }
        SitesCommand::Deactivate(a) => {
            let site = Client::new(&a.server).authed("POST deactivate", async |api| {
                api.deactivate_site(&a.site_id).await
            })?;
            (a.server, site)
        }
        SitesCommand::Expiry { site: a, at, never } => {
            let body = SetExpiry {
                expires_at: if never { None } else { at },
            };
            let site = Client::new(&a.server).authed("PUT expiry", async |api| {
                api.set_site_expiry(&a.site_id, &body).await
            })?;
            (a.server, site)
        }
        SitesCommand::Technical(a) => {
            let data: SiteTechnicalData = Client::new(&a.server)
                .authed("GET /api/v1/sites/{site_id}/technical", async |api| {
                    api.site_technical(&a.site_id).await
                })?;
            return emit(&a.server, &data, |d| {
                let tech = d.technician.as_ref();
                record([
                    (
                        "technician",
                        tech.map(|t| t.name.clone()).unwrap_or_default(),
                    ),
                    ("phone", tech.map(|t| t.phone.clone()).unwrap_or_default()),
                    ("email", tech.map(|t| t.email.clone()).unwrap_or_default()),
                    ("charging points", d.evse_ids.join("\n")),
                ])
            });
        }
    };
    emit(&server, &site, site_record)
}

pub fn signing_keys(command: SigningKeysCommand) -> anyhow::Result<()> {
    match command {
        SigningKeysCommand::List(server) => {
            let keys: PublicKeys = Client::new(&server)
                .authed("GET /api/v1/public-keys", async |api| {
                    api.public_keys().await
                })?;
            emit(&server, &keys, |keys| signing_table(&keys.keys))
        }
        SigningKeysCommand::Rotate(server) => {
            let key: PublicKeyInfo = Client::new(&server)
                .authed("POST rotate", async |api| api.rotate_signing_key().await)?;
            emit(&server, &key, |k| signing_table(std::slice::from_ref(k)))
        }
        SigningKeysCommand::Retire { server, key_id } => {
            let key: PublicKeyInfo = Client::new(&server).authed("POST retire", async |api| {
                api.retire_signing_key(&key_id).await
            })?;
            emit(&server, &key, |k| signing_table(std::slice::from_ref(k)))
        }
    }
}

fn signing_table(keys: &[PublicKeyInfo]) -> Table {
    let mut t = table(["key id", "active", "algorithm", "created", "retired"]);
    for k in keys {
        t.add_row([
            k.key_id.clone(),
            if k.active {
                "yes".into()
            } else {
                String::new()
            },
            k.algorithm.clone(),
            k.created_at.clone(),
            opt(&k.retired_at),
        ]);
    }
    t
}
