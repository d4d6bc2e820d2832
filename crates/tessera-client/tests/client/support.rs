//! The client's side of its tests: the vendor's operator over HTTP and a machine with its
//! own clock. The server is the shared one of `tessera-testkit` (`BlockingApp`): a real
//! `tessera_server` on 127.0.0.1:0 over a fresh SQLite directory or a fresh database in the
//! throwaway PostgreSQL cluster, with a `ManualClock`, on its own runtime so the blocking
//! client can be called straight from the test thread.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tessera_api::{
    CreateBatch, FillBatch, LoginRequest, PublicKeyInfo, Registration, SetExpiry, Site,
};
use tessera_api_client::{ApiClient, ApiError};
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

/// The vendor's staff, over the HTTP API with the typed client (blocking on a runtime of its
/// own, so tests call it straight from the test thread).
pub struct Operator {
    api: ApiClient,
    runtime: tokio::runtime::Runtime,
}

impl Operator {
    fn sign_in(base: &str) -> Operator {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let api = ApiClient::new(base);
        let login = LoginRequest {
            username: "admin".into(),
            password: ADMIN_PASSWORD.into(),
            language: None,
        };
        let token = runtime
            .block_on(api.login(&login))
            .unwrap_or_else(|e| panic!("operator sign-in: {e}"))
            .token;
        Operator {
            api: api.with_token(token),
            runtime,
        }
    }

    /// Runs a call that must succeed.
    fn run<T>(&self, what: &str, call: impl Future<Output = Result<T, ApiError>>) -> T {
        self.runtime
            .block_on(call)
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    pub fn site(&self, site_id: &str) -> Site {
        self.run("GET site", self.api.site(site_id))
    }

    pub fn suspend(&self, site_id: &str) -> Site {
        self.run("suspend", self.api.suspend_site(site_id))
    }

    pub fn resume(&self, site_id: &str) -> Site {
        self.run("resume", self.api.resume_site(site_id))
    }

    pub fn set_expiry(&self, site_id: &str, expires_at: Option<String>) -> Site {
        let body = SetExpiry { expires_at };
        self.run("expiry", self.api.set_site_expiry(site_id, &body))
    }

    /// Publishes stable release `version` of `crm` for every edition.
    pub fn publish_release(&self, version: &str) {
        let release = tessera_api::NewRelease {
            version: version.into(),
            channel: None,
            notes: String::new(),
            url: format!("https://downloads.vendor.example/crm-{version}.exe"),
            sha256: None,
            editions: Vec::new(),
        };
        self.run("release", self.api.publish_release("crm", &release));
    }

    pub fn set_minimum_version(&self, minimum: Option<&str>) {
        self.run("minimum", self.api.set_minimum_version("crm", minimum));
    }

    /// Sets `crm`'s offline policy (X1).
    pub fn offline_policy(&self, policy: &str, days: Option<u32>) {
        let body = tessera_api::SetOfflinePolicy {
            offline_policy: policy.into(),
            offline_check_days: days,
        };
        self.run("offline policy", self.api.set_offline_policy("crm", &body));
    }

    /// Answers a request file (X1); the response file.
    pub fn answer(&self, request_file: &[u8]) -> Vec<u8> {
        let (_, text) = self.run("answer", self.api.answer_offline_request(request_file));
        text.into_bytes()
    }

    /// The refusal of a request file the server must not answer: its error code.
    pub fn refused_answer(&self, request_file: &[u8]) -> String {
        match self
            .runtime
            .block_on(self.api.answer_offline_request(request_file))
        {
            Ok((_, text)) => panic!("answered, not refused: {text}"),
            Err(ApiError::Api { body, .. }) => body.code,
            Err(e) => panic!("no refusal but {e}"),
        }
    }

    pub fn rotate_signing_key(&self) -> PublicKeyInfo {
        self.run("rotate", self.api.rotate_signing_key())
    }

    /// Product `crm` (edition `std`, size `s10` with 10 users, module `mail`), `n` keys, the
    /// first registered to jack. Returns the keys.
    pub fn product_and_account(&self, n: u32) -> Vec<String> {
        let product = tessera_testkit::fixtures::crm_product();
        self.run("product", self.api.create_product(&product));
        let batch = CreateBatch {
            product: "crm".into(),
            edition: "std".into(),
            size: "s10".into(),
            count: n,
            note: None,
        };
        let id = self.run("batch", self.api.create_batch(&batch)).id;
        self.run("fill", self.api.fill_batch(id, &FillBatch { count: n }));
        let page = self.run("keys", self.api.batch_keys(id, None, 1000));
        let keys: Vec<String> = page.keys.into_iter().map(|k| k.key).collect();
        let anonymous = self.api.anonymous();
        self.run("registration", anonymous.register(&registration(&keys[0])));
        keys
    }

    /// The vendor's keys as the server publishes them: what the vendor ships in its product.
    pub fn trust(&self) -> TrustStore {
        let published = self.run("public keys", self.api.anonymous().public_keys());
        let json = serde_json::to_string(&published).unwrap();
        TrustStore::from_published_json(&json).expect("published keys parse")
    }
}

fn registration(key: &str) -> Registration {
    tessera_testkit::fixtures::registration("jack", EMAIL, "00743110157", key)
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
