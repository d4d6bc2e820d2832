//! `tessera bench validate`: sets up accounts with activated sites through the public API,
//! then drives `POST /api/v1/validations` (and, in the same run, `GET /healthz` for the
//! baseline of the HTTP stack alone).

use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use clap::Args;
use rand::{Rng, RngCore};
use serde_json::{Value, json};
use tessera_api::{ActivationResponse, LoginResponse};

use super::LoadArgs;
use super::load::RequestSource;
use crate::operator::Client;

#[derive(Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Activated sites to spread the validations over.
    #[arg(long, default_value_t = 200)]
    pub sites: u32,
    /// Sites per account (each validation lists its account's installations).
    #[arg(long, default_value_t = 2)]
    pub sites_per_account: u32,
    /// The `admin` operator's password, for setting up the product and keys.
    #[arg(long, env = "TESSERA_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: String,
    /// Skip the /healthz baseline.
    #[arg(long)]
    pub no_baseline: bool,
}

/// One activated site the load validates.
#[derive(Clone)]
pub struct BenchSite {
    pub site_id: String,
    pub fingerprint: String,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random valid Italian VAT number (partita IVA): random 11 digits until one passes the
/// domain's own check (one in ten does).
pub(crate) fn random_partita_iva(rng: &mut impl Rng) -> String {
    loop {
        let digits: String = (0..11)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect();
        if tessera_core::vat::check_vat("IT", &digits).is_ok() {
            return digits;
        }
    }
}

/// The bench accounts' password.
pub const PASSWORD: &str = "bench password 0123456789";

/// What [`set_up`] made: the activated sites, and the accounts' usernames.
pub struct SetUp {
    pub sites: Vec<BenchSite>,
    pub accounts: Vec<String>,
}

/// Creates a product, keys, accounts and activations through the API. Blocking: call it
/// outside the async runtime. The server's rate limits must be off.
pub fn set_up(
    base: &str,
    admin_password: &str,
    sites: u32,
    per_account: u32,
) -> anyhow::Result<SetUp> {
    anyhow::ensure!(
        sites >= 1 && per_account >= 1,
        "--sites and --sites-per-account must be at least 1"
    );
    let mut rng = rand::thread_rng();
    let tag = format!("bench{:08x}", rng.next_u32());
    let anon = Client::at(base, None);
    let login: LoginResponse = anon
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": admin_password}),
        )
        .context("signing in as admin")?;
    let op = Client::at(base, Some(login.token));
    let keys = create_keys(&op, &tag, sites)?;
    let mut out = SetUp {
        sites: Vec::new(),
        accounts: Vec::new(),
    };
    for (i, group) in keys.chunks(per_account as usize).enumerate() {
        let (username, email) = register_account(base, &anon, &tag, i, group, &mut rng)?;
        out.accounts.push(username);
        for key in group {
            out.sites.push(activate(&anon, &email, key, &mut rng)?);
        }
    }
    Ok(out)
}

/// Creates the product `tag` and a filled batch of `sites` keys for it; the keys.
pub(crate) fn create_keys(op: &Client, tag: &str, sites: u32) -> anyhow::Result<Vec<String>> {
    let _: Value = op.post(
        "/api/v1/products",
        &json!({
            "code": tag, "name": "Bench product",
            "editions": [{"code": "std", "name": "Standard"}],
            "sizes": [{"code": "s10", "name": "10 users", "limits": {"users": 10, "drivers": 5}}],
            "modules": [{"code": "reports", "name": "Reports"}, {"code": "sync", "name": "Sync"}],
        }),
    )?;
    let batch: Value = op.post(
        "/api/v1/key-batches",
        &json!({"product": tag, "edition": "std", "size": "s10", "count": sites}),
    )?;
    let batch_id = batch["id"].as_i64().context("batch id")?;
    let _: Value = op.post(
        &format!("/api/v1/key-batches/{batch_id}/fill"),
        &json!({"count": sites}),
    )?;
    batch_keys(op, batch_id)
}

/// All the keys of batch `batch_id`, page by page.
fn batch_keys(op: &Client, batch_id: i64) -> anyhow::Result<Vec<String>> {
    let mut keys = Vec::new();
    let mut after = 0i64;
    loop {
        let page: Value = op.get(&format!(
            "/api/v1/key-batches/{batch_id}/keys?after={after}&limit=1000"
        ))?;
        let batch_keys = page["keys"].as_array().context("keys")?;
        for k in batch_keys {
            keys.push(k["key"].as_str().context("key")?.to_owned());
        }
        match page["next_after"].as_i64() {
            Some(next) => after = next,
            None => break,
        }
    }
    Ok(keys)
}

/// Registers bench account `i` with the first key of `group` and adds the others through
/// its portal; its username and email.
pub(crate) fn register_account(
    base: &str,
    anon: &Client,
    tag: &str,
    i: usize,
    group: &[String],
    rng: &mut impl Rng,
) -> anyhow::Result<(String, String)> {
    let username = format!("{tag}-{i}");
    let email = format!("{username}@bench.example");
    let reseller = json!({"company_name": "Bench Reseller", "country": "IT", "region": "MI", "city": "Milano", "postcode": "20100"});
    let _: Value = anon.post(
        "/api/v1/accounts",
        &json!({
            "username": username, "password": PASSWORD, "password_confirm": PASSWORD,
            "email": email, "email_confirm": email,
            "company": {
                "name": format!("Bench Company {i}"), "country": "IT", "region": "Lombardia",
                "city": "Milano", "street": "Via Bench", "number": "1", "postcode": "20100",
                "vat_number": random_partita_iva(rng), "sector": "bench",
                "tanks": 1, "drivers": 1, "vehicles": 1
            },
            "contact": {"first_name": "Bench", "last_name": "Runner", "mobile": "0039 348 00000", "phone": "0039 02 00000"},
            "reseller": reseller,
            "privacy_accepted": true,
            "product_key": group[0],
        }),
    ).with_context(|| format!("registering account {username}"))?;
    if group.len() > 1 {
        let session: LoginResponse = anon.post(
            "/api/v1/account/login",
            &json!({"username": username, "password": PASSWORD}),
        )?;
        let portal = Client::at(base, Some(session.token));
        for key in &group[1..] {
            let _: Value = portal.post(
                "/api/v1/account/keys",
                &json!({"product_key": key, "reseller": reseller}),
            )?;
        }
    }
    Ok((username, email))
}

/// Activates `key` of the account `email` on a random machine.
fn activate(
    anon: &Client,
    email: &str,
    key: &str,
    rng: &mut impl RngCore,
) -> anyhow::Result<BenchSite> {
    let mut raw = [0u8; 32];
    rng.fill_bytes(&mut raw);
    let fingerprint = hex(&raw);
    let activated: ActivationResponse = anon.post(
        "/api/v1/activations",
        &json!({"email": email, "product_key": key, "fingerprint": fingerprint}),
    )?;
    Ok(BenchSite {
        site_id: activated.site_id,
        fingerprint,
    })
}

/// `POST /api/v1/validations`, spreading requests over the sites with a fresh nonce each.
pub struct Validations {
    /// Request bodies without the nonce's closing: `{"site_id":…,"fingerprint":…,"nonce":"`.
    prefixes: Vec<String>,
    connections: usize,
}

impl Validations {
    pub fn new(sites: &[BenchSite], connections: usize) -> Self {
        Validations {
            prefixes: sites
                .iter()
                .map(|s| {
                    format!(
                        r#"{{"site_id":"{}","fingerprint":"{}","nonce":""#,
                        s.site_id, s.fingerprint
                    )
                })
                .collect(),
            connections: connections.max(1),
        }
    }
}

impl RequestSource for Validations {
    fn make(&self, worker: usize, seq: u64) -> http::Request<Bytes> {
        let index = (worker + seq as usize * self.connections) % self.prefixes.len();
        // Unique per request: worker and sequence number, 32 hex digits (16 bytes).
        let body = format!("{}{:016x}{:016x}\"}}", self.prefixes[index], worker, seq);
        let mut request = http::Request::new(Bytes::from(body));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = http::Uri::from_static("/api/v1/validations");
        request.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        request
    }

    fn check(&self, status: http::StatusCode, body: &[u8]) -> bool {
        status == http::StatusCode::OK && body.starts_with(br#"{"type":"tessera-validation/v2""#)
    }
}

pub fn sources(sites: &[BenchSite], connections: usize) -> Arc<dyn RequestSource> {
    Arc::new(Validations::new(sites, connections))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_vat_numbers_pass_the_italian_check() {
        let mut rng = rand::thread_rng();
        for _ in 0..200 {
            let vat = random_partita_iva(&mut rng);
            assert!(tessera_core::vat::check_vat("IT", &vat).is_ok(), "{vat}");
        }
    }

    #[test]
    fn every_request_has_its_own_nonce_and_a_real_site() {
        let sites = vec![
            BenchSite {
                site_id: "a".repeat(32),
                fingerprint: "b".repeat(64),
            },
            BenchSite {
                site_id: "c".repeat(32),
                fingerprint: "d".repeat(64),
            },
        ];
        let source = Validations::new(&sites, 4);
        let bodies: Vec<Value> = (0..8)
            .map(|seq| serde_json::from_slice(source.make(seq % 4, seq as u64 / 4).body()).unwrap())
            .collect();
        let nonces: std::collections::HashSet<_> = bodies
            .iter()
            .map(|b| b["nonce"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(nonces.len(), 8);
        for b in &bodies {
            assert!(tessera_core::Nonce::parse(b["nonce"].as_str().unwrap()).is_ok());
            assert!(sites.iter().any(|s| b["site_id"] == s.site_id.as_str()
                && b["fingerprint"] == s.fingerprint.as_str()));
        }
    }
}
