//! Operator commands: they talk to a running server over its HTTP API, like any client.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use comfy_table::Table;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tessera_api::{
    Batch, BatchList, CreateBatch, CreateProduct, FillBatch, KeyHistory, KeyInfo, LoginRequest,
    LoginResponse, Product, ProductList, RevokeKey,
};
use tessera_api_client::{ApiClient, ApiError};

/// Keys generated per request: big enough to be fast, small enough for a smooth progress bar.
const FILL_CHUNK: u32 = 10_000;

#[derive(Args, Clone)]
pub struct Server {
    /// Base URL of the Tessera server.
    #[arg(
        long,
        env = "TESSERA_SERVER",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    server: String,
    /// Operator bearer token (from `tessera login`).
    #[arg(long, env = "TESSERA_TOKEN", hide_env_values = true, global = true)]
    token: Option<String>,
}

#[derive(Args)]
pub struct LoginArgs {
    #[command(flatten)]
    server: Server,
    #[arg(long, default_value = "admin")]
    username: String,
    /// Password; otherwise read from TESSERA_PASSWORD or the first line of standard input.
    #[arg(long, env = "TESSERA_PASSWORD", hide_env_values = true)]
    password: Option<String>,
}

#[derive(Subcommand)]
pub enum ProductsCommand {
    /// List products with their editions, sizes and modules.
    List(Server),
    /// Create a product from a JSON file (the body of POST /api/v1/products).
    Create {
        #[command(flatten)]
        server: Server,
        /// JSON file; `-` for standard input.
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Issue a batch of keys for product + edition + size, with a progress bar.
    Generate(GenerateArgs),
    /// List key batches.
    Batches(Server),
    /// Write a batch's keys as CSV.
    Export {
        #[command(flatten)]
        server: Server,
        batch: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Show one key.
    Show {
        #[command(flatten)]
        server: Server,
        key: String,
    },
    /// Revoke a key.
    Revoke {
        #[command(flatten)]
        server: Server,
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// Show what happened to a key, with who and when.
    History {
        #[command(flatten)]
        server: Server,
        key: String,
    },
}

#[derive(Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    server: Server,
    #[arg(long, required_unless_present = "resume")]
    product: Option<String>,
    #[arg(long, required_unless_present = "resume")]
    edition: Option<String>,
    #[arg(long, required_unless_present = "resume")]
    size: Option<String>,
    #[arg(long, required_unless_present = "resume")]
    count: Option<u32>,
    #[arg(long)]
    note: Option<String>,
    /// Also write the keys to this CSV file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Continue filling an interrupted batch instead of ordering a new one.
    #[arg(long, conflicts_with_all = ["product", "edition", "size", "count"])]
    resume: Option<i64>,
}

/// A blocking client of the server's JSON API (the operator commands, the bench set-up): the
/// typed async client of `tessera-api-client`, driven by a current-thread runtime of its own.
/// Call it outside any async runtime.
pub(crate) struct Client {
    api: ApiClient,
    runtime: tokio::runtime::Runtime,
}

impl Client {
    pub(crate) fn new(server: &Server) -> Self {
        Client::at(&server.server, server.token.clone())
    }

    /// A client of the server at `base`, sending `token` as bearer when given.
    pub(crate) fn at(base: &str, token: Option<String>) -> Self {
        let mut api = ApiClient::new(base);
        api.set_token(token);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime builds");
        Client { api, runtime }
    }

    /// Routes that need an operator say so before anything is sent.
    fn auth(&self) -> anyhow::Result<()> {
        match self.api.token() {
            Some(_) => Ok(()),
            None => bail!(
                "no operator token: run `tessera login` and set TESSERA_TOKEN, or pass --token"
            ),
        }
    }

    /// Runs one call of the typed client; `what` (`GET /path`) names a call that got no answer.
    fn run<T>(
        &self,
        what: impl std::fmt::Display,
        call: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> anyhow::Result<T> {
        self.runtime.block_on(call).map_err(|e| match e {
            ApiError::Transport(_) => {
                anyhow::Error::new(e).context(format!("{what} ({})", self.api.base()))
            }
            _ => anyhow::Error::new(e),
        })
    }

    /// A call that needs the operator's token.
    pub(crate) fn authed<T>(
        &self,
        what: impl std::fmt::Display,
        call: impl AsyncFnOnce(&ApiClient) -> Result<T, ApiError>,
    ) -> anyhow::Result<T> {
        self.auth()?;
        self.run(what, call(&self.api))
    }

    /// A call that sends the token when there is one.
    pub(crate) fn open<T>(
        &self,
        what: impl std::fmt::Display,
        call: impl AsyncFnOnce(&ApiClient) -> Result<T, ApiError>,
    ) -> anyhow::Result<T> {
        self.run(what, call(&self.api))
    }

    pub(crate) fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        self.authed(format!("GET {path}"), async |api| api.get(path).await)
    }

    pub(crate) fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> anyhow::Result<T> {
        self.open(format!("POST {path}"), async |api| {
            api.post(path, body).await
        })
    }
}

pub fn login(args: LoginArgs) -> anyhow::Result<()> {
    let password = match args.password {
        Some(p) => p,
        None => {
            eprint!("Password for {}: ", args.username);
            std::io::stderr().flush()?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\n', '\r']).to_owned()
        }
    };
    let client = Client::new(&Server {
        token: None,
        ..args.server
    });
    let request = LoginRequest {
        username: args.username,
        password,
        language: None,
    };
    let resp: LoginResponse = client.open("POST /api/v1/auth/login", async |api| {
        api.login(&request).await
    })?;
    eprintln!("Signed in; the token expires at {}.", resp.expires_at);
    println!("export TESSERA_TOKEN={}", resp.token);
    Ok(())
}

pub fn products(command: ProductsCommand) -> anyhow::Result<()> {
    match command {
        ProductsCommand::List(server) => {
            let list: ProductList = Client::new(&server)
                .authed("GET /api/v1/products", async |api| api.products().await)?;
            let mut table = Table::new();
            table.set_header(["code", "name", "editions", "sizes", "modules"]);
            for p in list.products {
                let join = |v: Vec<String>| v.join(", ");
                table.add_row([
                    p.code,
                    p.name,
                    join(p.editions.into_iter().map(|e| e.code).collect()),
                    join(p.sizes.into_iter().map(|s| s.code).collect()),
                    join(p.modules.into_iter().map(|m| m.code).collect()),
                ]);
            }
            println!("{table}");
        }
        ProductsCommand::Create { server, file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?
            };
            let body: CreateProduct = serde_json::from_str(&text).context("the product JSON")?;
            let product: Product = Client::new(&server)
                .open("POST /api/v1/products", async |api| {
                    api.create_product(&body).await
                })?;
            println!("{}", serde_json::to_string_pretty(&product)?);
        }
    }
    Ok(())
}

pub fn keys(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Generate(args) => generate(args),
        KeysCommand::Batches(server) => {
            let list: BatchList = Client::new(&server)
                .authed("GET /api/v1/key-batches", async |api| api.batches().await)?;
            let mut table = Table::new();
            table.set_header([
                "id", "product", "edition", "size", "keys", "status", "by", "created",
            ]);
            for b in list.batches {
                table.add_row([
                    b.id.to_string(),
                    b.product,
                    b.edition,
                    b.size,
                    format!("{}/{}", b.generated, b.requested),
                    b.status,
                    b.created_by,
                    b.created_at,
                ]);
            }
            println!("{table}");
            Ok(())
        }
        KeysCommand::Export { server, batch, out } => {
            let csv = Client::new(&server)
                .authed("GET keys.csv", async |api| api.batch_csv(batch).await)?;
            write_private(&out, &csv)?;
            eprintln!(
                "Wrote {} keys to {}",
                csv.lines().count().saturating_sub(1),
                out.display()
            );
            Ok(())
        }
        KeysCommand::Show { server, key } => {
            let key = compact(&key)?;
            let k: KeyInfo =
                Client::new(&server).authed("GET /api/v1/keys", async |api| api.key(&key).await)?;
            println!("{}", serde_json::to_string_pretty(&k)?);
            Ok(())
        }
        KeysCommand::Revoke {
            server,
            key,
            reason,
        } => {
            let key = compact(&key)?;
            let k: KeyInfo = Client::new(&server).open("POST revoke", async |api| {
                api.revoke_key(&key, &RevokeKey { reason }).await
            })?;
            println!("{} is now {}", k.key, k.status);
            Ok(())
        }
        KeysCommand::History { server, key } => {
            let key = compact(&key)?;
            let h: KeyHistory = Client::new(&server)
                .authed("GET history", async |api| api.key_history(&key).await)?;
            let mut table = Table::new();
            table.set_header(["at", "who", "what", "detail"]);
            for e in h.events {
                table.add_row([e.at, e.actor, e.action, e.detail.unwrap_or_default()]);
            }
            println!("{}\n{table}", h.key);
            Ok(())
        }
    }
}

fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.server);
    client.auth()?;
    let started = Instant::now();
    let mut batch: Batch = match args.resume {
        Some(id) => client.authed("GET batch", async |api| api.batch(id).await)?,
        None => {
            let request = CreateBatch {
                product: args.product.unwrap_or_default(),
                edition: args.edition.unwrap_or_default(),
                size: args.size.unwrap_or_default(),
                count: args.count.unwrap_or_default(),
                note: args.note,
            };
            client.open("POST /api/v1/key-batches", async |api| {
                api.create_batch(&request).await
            })?
        }
    };
    let bar = ProgressBar::new(u64::from(batch.requested));
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} batch {msg} [{bar:40}] {pos}/{len} keys ({per_sec}, {eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(batch.id.to_string());
    bar.set_position(u64::from(batch.generated));
    while batch.generated < batch.requested {
        let id = batch.id;
        batch = client
            .open("POST fill", async |api| {
                api.fill_batch(id, &FillBatch { count: FILL_CHUNK }).await
            })
            .map_err(|e| {
                bar.abandon();
                e.context(format!(
                "batch {} stopped at {}/{} keys; continue with `tessera keys generate --resume {}`",
                batch.id, batch.generated, batch.requested, batch.id
            ))
            })?;
        bar.set_position(u64::from(batch.generated));
    }
    bar.finish();
    eprintln!(
        "Batch {}: {} keys for {} {} {} in {:.2} s",
        batch.id,
        batch.generated,
        batch.product,
        batch.edition,
        batch.size,
        started.elapsed().as_secs_f64()
    );
    if let Some(out) = args.out {
        let id = batch.id;
        let csv = client.authed("GET keys.csv", async |api| api.batch_csv(id).await)?;
        write_private(&out, &csv)?;
        eprintln!("Wrote {}", out.display());
    }
    println!("{}", batch.id);
    Ok(())
}

/// A typed key, checked here first: a typo is refused without asking the server, and only
/// the 16 symbols go into the URL.
fn compact(key: &str) -> anyhow::Result<String> {
    let key = tessera_core::ProductKey::parse(key).with_context(|| format!("'{key}'"))?;
    Ok(key.compact().to_owned())
}

/// Key lists are secrets until sold: written readable by the owner only.
fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}
