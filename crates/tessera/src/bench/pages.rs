//! `tessera bench pages`: the web pages under load. Sets up one account with `--sites`
//! activated sites through the public API, opens `--connections` sessions (each connection
//! its own signed-in session, by the session cookie), then drives each page in turn and
//! reports its latency: the first page of all sites, a later page, a search sorted by
//! alarms as htmx asks for it, the charts' figures, one site's page, and the sign-in page.

use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use clap::Args;
use serde_json::json;
use tessera_api::LoginResponse;

use super::LoadArgs;
use super::load::RequestSource;
use crate::operator::Client;

#[derive(Args)]
pub struct PagesArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Sites of the one account the pages show.
    #[arg(long, default_value_t = 1000)]
    pub sites: u32,
    /// The `admin` operator's password, for setting up the product and keys.
    #[arg(long, env = "TESSERA_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: String,
}

/// The pages measured, with their labels.
pub const PAGES: [(&str, &str, bool); 5] = [
    ("sites", "/sites", false),
    ("sites-page-10", "/sites?page=10", false),
    (
        "sites-search",
        "/sites?q=installation&state=active&sort=alarms",
        true,
    ),
    ("charts", "/sites/charts.json?days=90", false),
    ("sign-in", "/sign-in", false),
];

/// The signed-in sessions and a site of the account.
pub struct Sessions {
    pub tokens: Vec<String>,
    pub site_id: String,
}

/// Sets up the account and signs it in once per connection. Blocking.
pub fn set_up(args: &PagesArgs) -> anyhow::Result<Sessions> {
    let base = args.load.url.trim_end_matches('/');
    let made = super::validate::set_up(base, &args.admin_password, args.sites, args.sites)?;
    let username = made.accounts.first().context("an account")?;
    let anon = Client::at(base, None);
    let tokens = (0..args.load.connections)
        .map(|_| {
            let session: LoginResponse = anon.post(
                "/api/v1/account/login",
                &json!({"username": username, "password": super::validate::PASSWORD}),
            )?;
            Ok(session.token)
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Sessions {
        tokens,
        site_id: made.sites.first().context("a site")?.site_id.clone(),
    })
}

/// `GET path` with one session's cookie per connection.
pub struct Page {
    path: http::Uri,
    htmx: bool,
    cookies: Vec<http::HeaderValue>,
}

impl Page {
    pub fn new(path: &str, htmx: bool, tokens: &[String]) -> anyhow::Result<Page> {
        Page::with_cookie(path, htmx, tokens, "tessera_session")
    }

    /// The same with the session in the cookie `cookie` (the console's: `tessera_operator`).
    pub fn with_cookie(
        path: &str,
        htmx: bool,
        tokens: &[String],
        cookie: &str,
    ) -> anyhow::Result<Page> {
        let cookies = tokens
            .iter()
            .map(|t| http::HeaderValue::from_str(&format!("{cookie}={t}")))
            .collect::<Result<Vec<_>, _>>()?;
        anyhow::ensure!(!cookies.is_empty(), "no sessions");
        Ok(Page {
            path: path.parse()?,
            htmx,
            cookies,
        })
    }
}

impl RequestSource for Page {
    fn make(&self, worker: usize, _seq: u64) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = self.path.clone();
        let headers = request.headers_mut();
        headers.insert(
            http::header::COOKIE,
            self.cookies[worker % self.cookies.len()].clone(),
        );
        if self.htmx {
            headers.insert("hx-request", http::HeaderValue::from_static("true"));
        }
        request
    }

    fn check(&self, status: http::StatusCode, body: &[u8]) -> bool {
        // A redirect to the sign-in page would be fast and wrong.
        status == http::StatusCode::OK && !body.is_empty()
    }
}

pub fn source(path: &str, htmx: bool, tokens: &[String]) -> anyhow::Result<Arc<Page>> {
    Ok(Arc::new(Page::new(path, htmx, tokens)?))
}
