//! `tessera bench fleet`: the operators' fleet dashboard over a large fleet. Creates a
//! product (three editions) with `--sites` keys and a cloud plan through the API, then
//! writes `--accounts` accounts with a site per key, a subscription each (a third bought,
//! with an invoice) and `--days` days of daily figures straight into the server's database
//! (`--database`: the SQLite file or the PostgreSQL URL the server uses), signs in as an
//! operator once per connection and loads the dashboard and its charts' JSON.

use anyhow::Context;
use clap::Args;
use serde_json::{Value, json};
use tessera_api::LoginResponse;

use super::LoadArgs;
use crate::operator::Client;

#[derive(Args)]
pub struct FleetArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Sites (one key each), spread over the editions 60 / 30 / 10 %.
    #[arg(long, default_value_t = 100_000)]
    pub sites: u32,
    /// Accounts the sites belong to.
    #[arg(long, default_value_t = 1000)]
    pub accounts: u32,
    /// Days of daily figures per account, today last.
    #[arg(long, default_value_t = 365)]
    pub days: u16,
    /// The server's database: the path of its SQLite file (DATA_DIR/tessera.db) or its
    /// postgres:// URL.
    #[arg(long)]
    pub database: String,
    /// The `admin` operator's password.
    #[arg(long, env = "TESSERA_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: String,
}

/// The pages measured, with their labels.
pub const PAGES: [(&str, &str); 4] = [
    ("fleet", "/operator/fleet"),
    ("fleet-overdue-3", "/operator/fleet?overdue_days=3"),
    ("fleet-charts-90", "/operator/fleet/charts.json?days=90"),
    ("fleet-charts-365", "/operator/fleet/charts.json?days=365"),
];

/// What the API set up: the key batches, the plan, and one operator token per connection.
pub struct Prepared {
    pub batches: Vec<i64>,
    pub plan: String,
    pub tokens: Vec<String>,
}

/// The product, keys and plan through the API, and the operators' sessions. Blocking.
pub fn prepare(args: &FleetArgs) -> anyhow::Result<Prepared> {
    let base = args.load.url.trim_end_matches('/');
    let anon = Client::at(base, None);
    let login = || -> anyhow::Result<String> {
        let session: LoginResponse = anon
            .post(
                "/api/v1/auth/login",
                &json!({"username": "admin", "password": args.admin_password}),
            )
            .context("signing in as admin")?;
        Ok(session.token)
    };
    let op = Client::at(base, Some(login()?));
    let _: Value = op.post(
        "/api/v1/products",
        &json!({
            "code": "fleet", "name": "Fleet bench",
            "editions": [{"code": "std", "name": "Standard"}, {"code": "pro", "name": "Professional"},
                         {"code": "ent", "name": "Enterprise"}],
            "sizes": [{"code": "s10", "name": "10 users", "limits": {"users": 10}}],
            "modules": [],
        }),
    )?;
    let mut batches = Vec::new();
    for (edition, share) in [("std", 60), ("pro", 30), ("ent", 10)] {
        let count = (u64::from(args.sites) * share / 100).max(1);
        let batch: Value = op.post(
            "/api/v1/key-batches",
            &json!({"product": "fleet", "edition": edition, "size": "s10", "count": count}),
        )?;
        let id = batch["id"].as_i64().context("batch id")?;
        let mut left = count;
        while left > 0 {
            let chunk = left.min(50_000);
            let _: Value = op.post(
                &format!("/api/v1/key-batches/{id}/fill"),
                &json!({"count": chunk}),
            )?;
            left -= chunk;
        }
        batches.push(id);
    }
    let _: Value = op.post(
        "/api/v1/plans",
        &json!({
            "code": "fleet-cloud", "service": "cloud", "name": "Fleet cloud",
            "article_code": "F1", "price": 30000, "currency": "EUR", "period_months": 12,
            "trial_months": 6, "trial_sites": 3, "product": "fleet",
            "bundles": [{"edition": "std", "size": "s10"}],
        }),
    )?;
    let tokens = (0..args.load.connections)
        .map(|_| login())
        .collect::<anyhow::Result<_>>()?;
    Ok(Prepared {
        batches,
        plan: "fleet-cloud".into(),
        tokens,
    })
}

/// Writes the accounts, sites, subscriptions, invoices and daily figures into the database.
pub async fn seed(args: &FleetArgs, prepared: &Prepared) -> anyhow::Result<u64> {
    let store = if args.database.starts_with("postgres") {
        tessera_store::Store::open_url(&args.database).await?
    } else {
        tessera_store::Store::open_sqlite(std::path::Path::new(&args.database)).await?
    };
    let now = jiff::Timestamp::now();
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let days = (0..i64::from(args.days))
        .filter_map(|back| today.checked_sub(jiff::Span::new().days(back)).ok())
        .map(|d| d.to_string())
        .collect();
    let seed = tessera_store::FleetSeed {
        accounts: args.accounts,
        batches: prepared.batches.clone(),
        plan: prepared.plan.clone(),
        days,
        now,
    };
    let sites = store.seed_bench_fleet(&seed).await?;
    store.close().await;
    Ok(sites)
}

/// `GET path` with the console's cookie, one operator session per connection.
pub fn source(path: &str, tokens: &[String]) -> anyhow::Result<std::sync::Arc<super::pages::Page>> {
    Ok(std::sync::Arc::new(super::pages::Page::with_cookie(
        path,
        false,
        tokens,
        "tessera_operator",
    )?))
}
