//! What the vendor sells: `tessera products` (editions, sizes, modules), `tessera plans`
//! (the cloud service's prices and terms) and `tessera services` (monthly services per site).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use comfy_table::Table;
use tessera_api::{
    BundleRef, CollectionDecl, CollectionList, CreateProduct, NewEntry, NewPlan, NewService,
    NewSize, Plan, PlanList, Product, ProductList, Service, ServiceList,
};

use super::output::{emit, money, parse_amount, record, table};
use super::{Client, Server};

#[derive(Subcommand)]
pub enum ProductsCommand {
    /// List products with their editions, sizes and modules.
    List(Server),
    /// Show one product: editions in order, sizes with their limits, modules.
    Show {
        #[command(flatten)]
        server: Server,
        code: String,
    },
    /// Create a product from a JSON file (the body of POST /api/v1/products).
    Create {
        #[command(flatten)]
        server: Server,
        /// JSON file; `-` for standard input.
        #[arg(long)]
        file: PathBuf,
    },
    /// Add an edition above the product's existing ones.
    AddEdition(EntryArgs),
    /// Add a size tier with its limits.
    AddSize {
        #[command(flatten)]
        entry: EntryArgs,
        /// A named limit, `users=10`; repeat for more.
        #[arg(long = "limit", value_name = "NAME=N")]
        limits: Vec<String>,
    },
    /// Add a module (a feature a license can carry).
    AddModule(EntryArgs),
    /// Show, set or clear (`--clear`) how the product's keys sold under an earlier system are
    /// spelt: a regular expression over the key without dashes, e.g. `U[0-9A-F]{15}`
    /// (docs/key-import.md).
    KeyFormat {
        #[command(flatten)]
        server: Server,
        /// The product's code.
        product: String,
        /// The new pattern; without it (and without --clear) the current one is shown.
        #[arg(conflicts_with = "clear")]
        pattern: Option<String>,
        #[arg(long)]
        clear: bool,
    },
    /// List the collections the product's client syncs to the cloud (docs/sync.md).
    Collections {
        #[command(flatten)]
        server: Server,
        /// The product's code.
        product: String,
    },
    /// Declare (or replace) sync collections from a JSON file: one collection or an array
    /// of them, each the body of POST /api/v1/products/{code}/sync-collections.
    DeclareCollections {
        #[command(flatten)]
        server: Server,
        /// The product's code.
        product: String,
        /// JSON file; `-` for standard input.
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Args)]
pub struct EntryArgs {
    #[command(flatten)]
    server: Server,
    /// The product's code.
    product: String,
    #[arg(long)]
    code: String,
    #[arg(long)]
    name: String,
}

#[derive(Subcommand)]
pub enum PlansCommand {
    /// List the plans on sale with their prices and terms.
    List(Server),
    /// Add a plan: a service's price per site and term, its trial, the bundles it covers.
    Add(Box<PlanArgs>),
}

#[derive(Args)]
pub struct PlanArgs {
    #[command(flatten)]
    server: Server,
    #[arg(long)]
    code: String,
    /// What the plan sells access to (an account has one subscription per service).
    #[arg(long)]
    service: String,
    #[arg(long)]
    name: String,
    /// The article code invoices show.
    #[arg(long)]
    article_code: String,
    /// Per site and term, as an amount: `300.00`.
    #[arg(long)]
    price: String,
    #[arg(long)]
    currency: String,
    /// Length of a paid term in months.
    #[arg(long, default_value_t = 12)]
    period_months: u32,
    /// Length of the free trial in months; 0 for none.
    #[arg(long, default_value_t = 6)]
    trial_months: u32,
    /// Sites the trial may enable.
    #[arg(long, default_value_t = 5)]
    trial_sites: u32,
    /// The product whose installations the plan covers.
    #[arg(long)]
    product: String,
    /// An edition and size covered, `EDITION:SIZE`; repeat for more.
    #[arg(long = "bundle", value_name = "EDITION:SIZE", required = true)]
    bundles: Vec<String>,
}

#[derive(Subcommand)]
pub enum ServicesCommand {
    /// List the monthly services of the catalog.
    List(Server),
    /// Add a monthly service.
    Add {
        #[command(flatten)]
        server: Server,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// Per site and month, as an amount: `49.00`.
        #[arg(long)]
        monthly_price: String,
        #[arg(long)]
        currency: String,
    },
}

pub fn products(command: ProductsCommand) -> anyhow::Result<()> {
    match command {
        ProductsCommand::List(server) => {
            let list: ProductList = Client::new(&server)
                .authed("GET /api/v1/products", async |api| api.products().await)?;
            emit(&server, &list, |list| {
                let mut t = table(["code", "name", "editions", "sizes", "modules"]);
                for p in &list.products {
                    let codes =
                        |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>().join(", ");
                    t.add_row([
                        p.code.clone(),
                        p.name.clone(),
                        codes(p.editions.iter().map(|e| &e.code).collect()),
                        codes(p.sizes.iter().map(|s| &s.code).collect()),
                        codes(p.modules.iter().map(|m| &m.code).collect()),
                    ]);
                }
                t
            })
        }
        ProductsCommand::Show { server, code } => {
            let product: Product = Client::new(&server)
                .authed("GET /api/v1/products/{product}", async |api| {
                    api.product(&code).await
                })?;
            emit(&server, &product, product_record)
        }
        ProductsCommand::Create { server, file } => {
            let body: CreateProduct =
                serde_json::from_str(&read_file(&file)?).context("the product JSON")?;
            let product: Product = Client::new(&server)
                .authed("POST /api/v1/products", async |api| {
                    api.create_product(&body).await
                })?;
            emit(&server, &product, product_record)
        }
        ProductsCommand::AddEdition(a) => {
            let body = NewEntry {
                code: a.code,
                name: a.name,
            };
            let product: Product = Client::new(&a.server)
                .authed("POST /api/v1/products/{product}/editions", async |api| {
                    api.add_edition(&a.product, &body).await
                })?;
            emit(&a.server, &product, product_record)
        }
        ProductsCommand::AddSize { entry: a, limits } => {
            let body = NewSize {
                code: a.code,
                name: a.name,
                limits: parse_limits(&limits)?,
            };
            let product: Product = Client::new(&a.server)
                .authed("POST /api/v1/products/{product}/sizes", async |api| {
                    api.add_size(&a.product, &body).await
                })?;
            emit(&a.server, &product, product_record)
        }
        ProductsCommand::AddModule(a) => {
            let body = NewEntry {
                code: a.code,
                name: a.name,
            };
            let product: Product = Client::new(&a.server)
                .authed("POST /api/v1/products/{product}/modules", async |api| {
                    api.add_module(&a.product, &body).await
                })?;
            emit(&a.server, &product, product_record)
        }
        ProductsCommand::KeyFormat {
            server,
            product,
            pattern,
            clear,
        } => {
            let client = Client::new(&server);
            let setting = if clear || pattern.is_some() {
                client.authed("PUT /api/v1/products/{code}/key-format", async |api| {
                    api.set_key_format(&product, pattern.as_deref()).await
                })?
            } else {
                client.authed("GET /api/v1/products/{code}/key-format", async |api| {
                    api.key_format(&product).await
                })?
            };
            emit(&server, &setting, |s| {
                record([("key format", s.pattern.clone().unwrap_or("none".into()))])
            })
        }
        ProductsCommand::Collections { server, product } => {
            let list: CollectionList = Client::new(&server).authed(
                "GET /api/v1/products/{code}/sync-collections",
                async |api| api.sync_collections(&product).await,
            )?;
            emit(&server, &list, collections_table)
        }
        ProductsCommand::DeclareCollections {
            server,
            product,
            file,
        } => {
            let text = read_file(&file)?;
            let value: serde_json::Value =
                serde_json::from_str(&text).context("the collections JSON")?;
            let one_or_many = match value {
                serde_json::Value::Array(items) => items,
                one => vec![one],
            };
            let decls = one_or_many
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value::<CollectionDecl>(v)
                        .with_context(|| format!("collection {} of the file", i + 1))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let client = Client::new(&server);
            for decl in &decls {
                client.authed(
                    "POST /api/v1/products/{code}/sync-collections",
                    async |api| api.declare_collection(&product, decl).await,
                )?;
            }
            let list: CollectionList = client.authed(
                "GET /api/v1/products/{code}/sync-collections",
                async |api| api.sync_collections(&product).await,
            )?;
            emit(&server, &list, collections_table)
        }
    }
}

/// A JSON file's text; `-` reads standard input.
fn read_file(file: &std::path::Path) -> anyhow::Result<String> {
    if file.as_os_str() == "-" {
        Ok(std::io::read_to_string(std::io::stdin())?)
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))
    }
}

fn collections_table(list: &CollectionList) -> Table {
    let mut t = table(["collection", "scope", "unique", "required", "web user"]);
    for c in &list.collections {
        t.add_row([
            c.name.clone(),
            c.scope.clone(),
            c.unique.join(", "),
            c.required.join(", "),
            c.web_user_field.clone().unwrap_or_default(),
        ]);
    }
    t
}

fn product_record(p: &Product) -> Table {
    let editions = p
        .editions
        .iter()
        .map(|e| format!("{}. {} ({})", e.rank, e.code, e.name))
        .collect::<Vec<_>>()
        .join("\n");
    let sizes = p
        .sizes
        .iter()
        .map(|s| {
            let limits = s
                .limits
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{} ({}) {limits}", s.code, s.name)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let modules = p
        .modules
        .iter()
        .map(|m| format!("{} ({})", m.code, m.name))
        .collect::<Vec<_>>()
        .join("\n");
    record([
        ("code", p.code.clone()),
        ("name", p.name.clone()),
        ("editions", editions),
        ("sizes", sizes),
        ("modules", modules),
        ("grace days", p.grace_days.to_string()),
        ("transfers", p.max_transfers.to_string()),
        (
            "offline",
            match p.offline_check_days {
                Some(days) => format!("{} every {days} days", p.offline_policy),
                None => p.offline_policy.clone(),
            },
        ),
        ("created", p.created_at.clone()),
    ])
}

/// `users=10` flags as the limits of a size.
fn parse_limits(flags: &[String]) -> anyhow::Result<BTreeMap<String, u32>> {
    flags
        .iter()
        .map(|flag| {
            let (name, n) = flag
                .split_once('=')
                .with_context(|| format!("--limit '{flag}' is not NAME=N"))?;
            let n = n
                .trim()
                .parse()
                .with_context(|| format!("--limit '{flag}': the limit is a whole number"))?;
            Ok((name.trim().to_owned(), n))
        })
        .collect()
}

pub fn plans(command: PlansCommand) -> anyhow::Result<()> {
    match command {
        PlansCommand::List(server) => {
            // The price list is public: no token needed.
            let list: PlanList =
                Client::new(&server).open("GET /api/v1/plans", async |api| api.plans().await)?;
            emit(&server, &list, |list| plan_table(&list.plans))
        }
        PlansCommand::Add(a) => {
            let a = *a;
            let body = NewPlan {
                price: parse_amount("price", &a.price, &a.currency)?,
                code: a.code,
                service: a.service,
                name: a.name,
                article_code: a.article_code,
                currency: a.currency,
                period_months: a.period_months,
                trial_months: a.trial_months,
                trial_sites: a.trial_sites,
                product: a.product,
                bundles: a
                    .bundles
                    .iter()
                    .map(|b| parse_bundle(b))
                    .collect::<anyhow::Result<_>>()?,
            };
            let plan: Plan = Client::new(&a.server).authed("POST /api/v1/plans", async |api| {
                api.create_plan(&body).await
            })?;
            emit(&a.server, &plan, |p| plan_table(std::slice::from_ref(p)))
        }
    }
}

fn parse_bundle(flag: &str) -> anyhow::Result<BundleRef> {
    match flag.split_once(':') {
        Some((edition, size)) if !edition.is_empty() && !size.is_empty() => Ok(BundleRef {
            edition: edition.to_owned(),
            size: size.to_owned(),
        }),
        _ => bail!("--bundle '{flag}' is not EDITION:SIZE"),
    }
}

fn plan_table(plans: &[Plan]) -> Table {
    let mut t = table([
        "code", "name", "service", "article", "product", "price", "term", "trial", "bundles",
    ]);
    for p in plans {
        let bundles = p
            .bundles
            .iter()
            .map(|b| format!("{}:{}", b.edition, b.size))
            .collect::<Vec<_>>()
            .join(", ");
        let trial = match p.trial_months {
            0 => "none".to_owned(),
            m => format!("{m} months, {} sites", p.trial_sites),
        };
        t.add_row([
            p.code.clone(),
            p.name.clone(),
            p.service.clone(),
            p.article_code.clone(),
            p.product.clone(),
            money(p.price, &p.currency),
            format!("{} months", p.period_months),
            trial,
            bundles,
        ]);
    }
    t
}

pub fn services(command: ServicesCommand) -> anyhow::Result<()> {
    match command {
        ServicesCommand::List(server) => {
            let list: ServiceList = Client::new(&server)
                .authed("GET /api/v1/services", async |api| api.services().await)?;
            emit(&server, &list, |list| service_table(&list.services))
        }
        ServicesCommand::Add {
            server,
            code,
            name,
            monthly_price,
            currency,
        } => {
            let body = NewService {
                monthly_price: parse_amount("monthly-price", &monthly_price, &currency)?,
                code,
                name,
                currency,
            };
            let service: Service = Client::new(&server)
                .authed("POST /api/v1/services", async |api| {
                    api.create_service(&body).await
                })?;
            emit(&server, &service, |s| {
                service_table(std::slice::from_ref(s))
            })
        }
    }
}

fn service_table(services: &[Service]) -> Table {
    let mut t = table(["code", "name", "per month"]);
    for s in services {
        t.add_row([
            s.code.clone(),
            s.name.clone(),
            money(s.monthly_price, &s.currency),
        ]);
    }
    t
}
