//! Operator commands: they talk to a running server over its HTTP API, like any client. One
//! file per area, as the API groups its routes: the catalog (products, plans, services), keys,
//! customers (accounts, sites, signing keys), billing (subscriptions, payments, invoices) and
//! operations (the log, the mail outbox, the jobs). docs/operations.md ("CLI") lists which
//! route each command calls.

pub mod billing;
pub mod catalog;
pub mod customers;
pub mod fleet;
pub mod keys;
pub mod offline;
pub mod operations;
mod output;
pub mod releases;
pub mod webhooks;

use std::io::{BufRead, Write};

use anyhow::bail;
use clap::Args;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tessera_api::{LoginRequest, LoginResponse, WhoAmI};
use tessera_api_client::{ApiClient, ApiError};

use output::{emit, record};

/// What every operator command takes: where the server is, the operator's token, and
/// whether to print the API's JSON instead of a table.
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
    /// Print the server's answer as JSON (the API's own type) instead of a table.
    #[arg(long, global = true)]
    json: bool,
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
        ..args.server.clone()
    });
    let request = LoginRequest {
        username: args.username,
        password,
        language: None,
    };
    let resp: LoginResponse = client.open("POST /api/v1/auth/login", async |api| {
        api.login(&request).await
    })?;
    if args.server.json {
        return output::print_json(&resp);
    }
    eprintln!("Signed in; the token expires at {}.", resp.expires_at);
    println!("export TESSERA_TOKEN={}", resp.token);
    Ok(())
}

/// Ends the session of the token in use.
pub fn logout(server: Server) -> anyhow::Result<()> {
    Client::new(&server).authed("POST /api/v1/auth/logout", async |api| api.logout().await)?;
    eprintln!("Signed out; the token no longer works.");
    Ok(())
}

/// Who the token belongs to.
pub fn whoami(server: Server) -> anyhow::Result<()> {
    let me: WhoAmI =
        Client::new(&server).authed("GET /api/v1/auth/me", async |api| api.me().await)?;
    emit(&server, &me, |me| {
        record([("username", me.username.clone()), ("kind", me.kind.clone())])
    })
}
