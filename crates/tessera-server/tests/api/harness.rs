//! `spawn_app()`: a real server on 127.0.0.1:0 over a fresh SQLite file or a fresh database in
//! the throwaway PostgreSQL cluster, with a settable clock, and a handle with helpers.

use std::sync::Arc;

use jiff::Timestamp;
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tessera_api::ErrorBody;
use tessera_core::ManualClock;
use tessera_server::{App, Config, build_app, serve};
use tessera_testkit::PgCluster;
use tokio::sync::oneshot;

pub const ADMIN_PASSWORD: &str = "operator password for tests";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where an app keeps its data, reusable to start a second app on the same data.
pub struct DataPlace {
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pub database_url: Option<String>,
}

impl DataPlace {
    /// None when PostgreSQL is wanted but absent (and not required): the test is skipped.
    pub fn new(backend: Backend) -> Option<DataPlace> {
        let database_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(PgCluster::shared()?.create_database()),
        };
        Some(DataPlace {
            backend,
            dir: tempfile::tempdir().expect("temp dir"),
            database_url,
        })
    }

    pub fn config(&self, admin_password: Option<&str>) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: self.dir.path().to_owned(),
            database_url: self.database_url.clone(),
            admin_password: admin_password.map(str::to_owned),
            // Tests about rate limits turn them on; the rest send bursts from one IP.
            rate_limits: tessera_server::config::RateLimits::off(),
            ..Config::default()
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub generated_admin_password: Option<String>,
    /// The app's store, for what no route shows (the mail outbox).
    pub store: tessera_store::Store,
    token: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

pub fn start_time() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

/// Starts a server on `place` with `config`; the clock starts at [`start_time`].
pub async fn start(config: Config) -> TestApp {
    let clock = Arc::new(ManualClock::new(start_time()));
    let app: App = build_app(config, clock.clone()).await.expect("app builds");
    let generated_admin_password = app.generated_admin_password.clone();
    let store = app.state.store.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel();
    let server = tokio::spawn(async move {
        serve(listener, app, async {
            let _ = rx.await;
        })
        .await
        .expect("server runs");
    });
    TestApp {
        base,
        http: reqwest::Client::new(),
        clock,
        generated_admin_password,
        store,
        token: None,
        shutdown: Some(tx),
        server: Some(server),
    }
}

/// A fresh app on `backend`, signed in as the admin operator.
pub async fn spawn_app(backend: Backend) -> Option<(TestApp, DataPlace)> {
    let place = DataPlace::new(backend)?;
    let mut app = start(place.config(Some(ADMIN_PASSWORD))).await;
    app.sign_in().await;
    Some((app, place))
}

impl TestApp {
    pub async fn sign_in(&mut self) {
        let resp = self.login("admin", ADMIN_PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let body: Value = resp.json().await.unwrap();
        self.token = Some(body["token"].as_str().unwrap().to_owned());
    }

    pub fn token(&self) -> &str {
        self.token.as_deref().expect("signed in")
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    /// Any request, with the given bearer token (or none) instead of the operator's.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> Response {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(b);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    /// Sends a raw body as JSON, for malformed-input tests.
    pub async fn post_raw(&self, path: &str, body: &str) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(self.token())
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    pub async fn anonymous_get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Stops the server and waits until it has closed its database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap();
        }
    }
}

/// Polls until `probe` gives a value, for at most 10 s.
pub async fn until<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let started = std::time::Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The body of a success of the given status, parsed.
pub async fn ok<T: DeserializeOwned>(resp: Response, status: StatusCode) -> T {
    let got = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("body does not parse ({e}): {text}"))
}

/// Asserts an error response with the status and stable code; returns its body.
pub async fn error(resp: Response, status: StatusCode, code: &str) -> ErrorBody {
    let got = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    let body: ErrorBody =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an error body ({e}): {text}"));
    assert_eq!(body.code, code, "unexpected code; body: {text}");
    body
}

/// Defines `$name` once per backend: `$name::sqlite` and `$name::postgres`, each calling
/// `async fn $name(app: TestApp, place: DataPlace)` from the enclosing module.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let (app, place) = crate::harness::spawn_app(crate::harness::Backend::Sqlite).await.unwrap();
                    super::$name(app, place).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some((app, place)) = crate::harness::spawn_app(crate::harness::Backend::Postgres).await else {
                        return; // PgCluster::shared() printed why.
                    };
                    super::$name(app, place).await;
                }
            }
        )*
    };
}
pub(crate) use both_backends;
