//! The client's side of its tests: the vendor's operator over HTTP and a machine with its
//! own clock. The server is the shared one of `tessera-testkit` (`BlockingApp`): a real
//! `tessera_server` on 127.0.0.1:0 over a fresh SQLite directory or a fresh database in the
//! throwaway PostgreSQL cluster, with a `ManualClock`, on its own runtime so the blocking
//! client can be called straight from the test thread.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use tessera_client::{Client, ClientConfig, MachineId, ServerList, Timeouts, TrustStore};
use tessera_core::{Clock, ManualClock};
use tessera_testkit::BlockingApp;
pub use tessera_testkit::{ADMIN_PASSWORD, Backend, DataPlace, start_time};

pub const EMAIL: &str = "jack@example.com";
pub const SALT: &str = "acme-crm-salt";
pub const DAY: SignedDuration = SignedDuration::from_hours(24);

/// One running server.
pub struct TestServer(BlockingApp);

impl std::ops::Deref for TestServer {
    type Target = BlockingApp;

    fn deref(&self) -> &BlockingApp {
        &self.0
    }
}

impl TestServer {
    pub fn start(place: &DataPlace) -> TestServer {
        TestServer(BlockingApp::start(place, |_| {}))
    }

    /// Moves the server's clock to `to`.
    pub fn set_time(&self, to: Timestamp) {
        self.clock.set(to);
    }

    /// Stops the server; its port then refuses connections.
    pub fn stop(self) {
        self.0.stop();
    }

    pub fn operator(&self) -> Operator {
        Operator::sign_in(&self.base)
    }
}

/// The vendor's staff, over the HTTP API.
pub struct Operator {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl Operator {
    fn sign_in(base: &str) -> Operator {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let mut op = Operator {
            base: base.to_owned(),
            token: String::new(),
            agent,
        };
        let body = op.call(
            "POST",
            "/api/v1/auth/login",
            Some(json!({"username": "admin", "password": ADMIN_PASSWORD})),
            false,
        );
        op.token = body["token"].as_str().unwrap().to_owned();
        op
    }

    /// A JSON call that must succeed; returns the body.
    fn call(&self, method: &str, path: &str, body: Option<Value>, auth: bool) -> Value {
        let url = format!("{}{path}", self.base);
        let bearer = format!("Bearer {}", self.token);
        let mut resp = match (method, body) {
            ("GET", _) => {
                let mut req = self.agent.get(&url);
                if auth {
                    req = req.header("Authorization", &bearer);
                }
                req.call()
            }
            ("PUT", body) => {
                let mut req = self.agent.put(&url);
                if auth {
                    req = req.header("Authorization", &bearer);
                }
                req.send_json(body.unwrap_or(json!({})))
            }
            (_, body) => {
                let mut req = self.agent.post(&url);
                if auth {
                    req = req.header("Authorization", &bearer);
                }
                req.send_json(body.unwrap_or(json!({})))
            }
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status();
        let text = resp.body_mut().read_to_string().unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub fn get(&self, path: &str) -> Value {
        self.call("GET", path, None, true)
    }

    pub fn post(&self, path: &str, body: Value) -> Value {
        self.call("POST", path, Some(body), true)
    }

    pub fn call_put(&self, path: &str, body: Value) -> Value {
        self.call("PUT", path, Some(body), true)
    }

    /// Product `crm` (edition `std`, size `s10` with 10 users, module `mail`), `n` keys, the
    /// first registered to jack. Returns the keys.
    pub fn product_and_account(&self, n: u32) -> Vec<String> {
        self.post(
            "/api/v1/products",
            json!({
                "code": "crm", "name": "CRM",
                "editions": [{"code": "std", "name": "Standard"}],
                "sizes": [{"code": "s10", "name": "10 users", "limits": {"users": 10}}],
                "modules": [{"code": "mail", "name": "Mail"}],
            }),
        );
        let batch = self.post(
            "/api/v1/key-batches",
            json!({"product": "crm", "edition": "std", "size": "s10", "count": n}),
        );
        let id = batch["id"].as_i64().unwrap();
        self.post(
            &format!("/api/v1/key-batches/{id}/fill"),
            json!({"count": n}),
        );
        let page = self.get(&format!("/api/v1/key-batches/{id}/keys?limit=1000"));
        let keys: Vec<String> = page["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["key"].as_str().unwrap().to_owned())
            .collect();
        self.call(
            "POST",
            "/api/v1/accounts",
            Some(registration(&keys[0])),
            false,
        );
        keys
    }

    /// The vendor's keys as the server publishes them: what the vendor ships in its product.
    pub fn trust(&self) -> TrustStore {
        let published = self.call("GET", "/api/v1/public-keys", None, false);
        TrustStore::from_published_json(&published.to_string()).expect("published keys parse")
    }
}

fn registration(key: &str) -> Value {
    json!({
        "username": "jack", "password": "correct horse battery staple",
        "email": EMAIL, "email_confirm": EMAIL,
        "company": {
            "name": "Rossi Trasporti S.r.l.", "country": "IT", "region": "Lombardia",
            "city": "Milano", "street": "Via Rossini", "number": "12", "postcode": "20121",
            "vat_number": "00743110157", "sector": "transport", "tanks": 2, "drivers": 5,
            "vehicles": 5
        },
        "contact": {"first_name": "Jack", "last_name": "White",
            "mobile": "0039 348 96666", "phone": "0039 859 62626"},
        "reseller": {"company_name": "Company s.p.a.", "country": "IT", "region": "Milano",
            "city": "Milan", "street": "Via Verdi", "postcode": "20100"},
        "privacy_accepted": true, "newsletter": false, "product_key": key,
    })
}

/// The client's side: its own clock (set independently of the server's), a state directory.
pub struct Machine {
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
    pub machine_id: String,
}

impl Machine {
    pub fn new(machine_id: &str) -> Machine {
        Machine {
            clock: Arc::new(ManualClock::new(start_time())),
            dir: tempfile::tempdir().unwrap(),
            machine_id: machine_id.to_owned(),
        }
    }

    pub fn state_path(&self) -> std::path::PathBuf {
        self.dir.path().join("license.state")
    }

    pub fn config(&self, servers: &[&str], trust: &TrustStore) -> ClientConfig {
        let mut cfg = ClientConfig::new(
            ServerList::new(servers).unwrap(),
            trust.clone(),
            SALT,
            self.state_path(),
        );
        cfg.machine_id = MachineId::Explicit(self.machine_id.clone());
        cfg.clock = self.clock.clone();
        cfg.timeouts = Timeouts {
            connect: Duration::from_millis(500),
            overall: Duration::from_secs(1),
        };
        cfg
    }

    pub fn client(&self, servers: &[&str], trust: &TrustStore) -> Client {
        Client::open(self.config(servers, trust)).expect("client opens")
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Both clocks at `to`, as on machines synchronised by NTP.
    pub fn set_both(&self, server: &TestServer, to: Timestamp) {
        self.clock.set(to);
        server.set_time(to);
    }
}

/// An address where nothing listens (bound, then released).
pub fn dead_server() -> String {
    format!("http://127.0.0.1:{}", tessera_testkit::free_port())
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}
