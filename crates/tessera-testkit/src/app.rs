//! [`spawn_app`]: a real Tessera server on 127.0.0.1:0 for the server's, the client's and the
//! CLI's tests, over a fresh SQLite data directory or a fresh database in the throwaway
//! PostgreSQL cluster, with a local SMTP sink, a settable clock and the config a story needs.
//!
//! The server's job runner ticks once at start and then (in tests) never again on its own:
//! a story that wants a job to run says so with [`TestApp::run_jobs`], and sees what it did
//! as soon as that returns, instead of waiting and hoping.
use std::sync::Arc;

use reqwest::{Response, StatusCode};
use serde::Serialize;
use serde_json::Value;
pub use tessera_api_client::{ApiClient, ApiError, Result as ApiResult};
use tessera_core::{Clock, ManualClock};
use tessera_server::config::SmtpSecurity;
use tessera_server::jobs::{Job, Runner};
use tessera_server::{App, AppState, build_app_with, serve};
use tokio::sync::oneshot;

pub use crate::blocking::BlockingApp;
pub use crate::checks::{error, ok, refused, until};
pub use crate::place::{ADMIN_PASSWORD, Backend, DataPlace, start_time};
use crate::smtp::SmtpSink;

/// One running server, and what a test needs to talk to it and to steer it.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    /// The server's clock: tests move it (never the runner's timer) to make jobs due.
    pub clock: Arc<ManualClock>,
    /// The mail server the app sends to (plain SMTP on 127.0.0.1).
    pub smtp: SmtpSink,
    pub generated_admin_password: Option<String>,
    /// The app's store, for what no route shows (the mail outbox: [`TestApp::mail_to`] renders
    /// it).
    pub store: tessera_store::Store,
    /// The app's state, for calling its jobs directly.
    pub state: AppState,
    place: DataPlace,
    runner: Runner,
    token: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// A fresh app on `backend` with the tests' config as changed by `configure`, signed in as
/// the `admin` operator when the config has a password to sign in with. None when
/// PostgreSQL is wanted but absent (and not required).
pub async fn spawn_app(backend: Backend, configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let place = DataPlace::new(backend)?;
    Some(start(&place, configure).await)
}

/// Starts an app on `place` with the tests' config as changed by `configure`; the clock
/// starts at [`start_time`]. Signs in as `admin` when the config has [`ADMIN_PASSWORD`].
pub async fn start(place: &DataPlace, configure: impl FnOnce(&mut Config)) -> TestApp {
    let smtp = SmtpSink::start();
    let mut config = place.config();
    config.smtp.host = Some("127.0.0.1".into());
    config.smtp.port = Some(smtp.port());
    config.smtp.security = SmtpSecurity::None;
    configure(&mut config);
    let signs_in = config.admin_password.as_deref() == Some(ADMIN_PASSWORD);
    let clock = Arc::new(ManualClock::new(start_time()));
    let app: App = build_app_with(config, clock.clone(), tessera_web::pages)
        .await
        .expect("app builds");
    let generated_admin_password = app.generated_admin_password.clone();
    let store = app.state.store.clone();
    let state = app.state.clone();
    let runner = Runner::new(state.zone.clone());
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
    let mut app = TestApp {
        base,
        http: reqwest::Client::new(),
        clock,
        smtp,
        generated_admin_password,
        store,
        state,
        place: place.clone(),
        runner,
        token: None,
        shutdown: Some(tx),
        server: Some(server),
    };
    app.startup_jobs_finished().await;
    if signs_in {
        app.sign_in().await;
    }
    app
}

impl TestApp {
    /// Where this app keeps its data: start another app on it with [`start`].
    pub fn place(&self) -> &DataPlace {
        &self.place
    }

    /// The outbox's mail to `to`, oldest first, with the subject and body it is sent with
    /// (the outbox keeps template contexts; the app's templates render them).
    pub async fn mail_to(&self, to: &str) -> Vec<tessera_store::OutboxRecord> {
        let queued = self.store.mail_to(to).await.expect("the outbox reads");
        queued
            .into_iter()
            .map(|m| self.state.mail.fill(m).expect("the mail renders"))
            .collect()
    }

    /// One tick of a job runner of this instance: every job whose period is due and not yet
    /// claimed runs now, and has finished when this returns.
    pub async fn run_jobs(&self) {
        self.runner.tick(&self.state).await;
    }

    /// The codes of the password-reset mails queued for `email`, oldest first (the mail shows
    /// the code alone on a line indented by four spaces).
    pub async fn reset_codes(&self, email: &str) -> Vec<String> {
        self.mail_to(email)
            .await
            .into_iter()
            .filter(|m| m.kind == "password.reset")
            .map(|m| {
                m.body
                    .lines()
                    .find_map(|l| l.strip_prefix("    "))
                    .map(|t| t.trim().to_owned())
                    .unwrap_or_else(|| panic!("no code in the reset mail: {}", m.body))
            })
            .collect()
    }

    /// The server's own runner ticks once as it starts (its timer never fires again in
    /// tests); a story must not race that tick, so the app is handed over once every job has
    /// finished its run of the start's period.
    async fn startup_jobs_finished(&self) {
        until("the runner's first tick", async || {
            let now = self.clock.now();
            for job in Job::ALL {
                let spec = job.spec();
                let period = spec.cadence.current(now, &self.state.zone);
                let runs = self.store.job_runs(Some(spec.name), 1).await.ok()?;
                let last = runs.first()?;
                if last.period != period.key || last.finished_at.is_none() {
                    return None;
                }
            }
            Some(())
        })
        .await;
    }

    pub async fn sign_in(&mut self) {
        let resp = self.login("admin", ADMIN_PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let body: Value = resp.json().await.unwrap();
        self.token = Some(body["token"].as_str().unwrap().to_owned());
    }

    pub fn token(&self) -> &str {
        self.token.as_deref().expect("signed in")
    }

    /// The typed API client of this app, with the operator's token when signed in.
    pub fn api(&self) -> ApiClient {
        let api = ApiClient::with_http(&self.base, self.http.clone());
        match &self.token {
            Some(t) => api.with_token(t.clone()),
            None => api,
        }
    }

    /// The typed API client of this app without a token (registration, activation,
    /// validation), or with `token` (an account's, a site user's).
    pub fn api_as(&self, token: Option<&str>) -> ApiClient {
        let api = ApiClient::with_http(&self.base, self.http.clone());
        match token {
            Some(t) => api.with_token(t),
            None => api,
        }
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

    /// POST `body` (a request type of `tessera-api`, or raw JSON) with the operator's token.
    pub async fn post<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> Response {
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

    /// Any request with `body` (a request type of `tessera-api`), with the given bearer token
    /// (or none): for stories that look at the raw answer of a well-formed request.
    pub async fn send<B: Serialize + ?Sized>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &B,
        token: Option<&str>,
    ) -> Response {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .json(body);
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

    /// Stops the server and waits until it has closed its database; its port then refuses
    /// connections. The data stays with [`TestApp::place`]'s other holders.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap();
        }
    }
}

/// Defines `$name` once per backend: `$name::sqlite` and `$name::postgres`, each calling
/// `async fn $name(app: TestApp)` of the enclosing module with a fresh app; `$name with
/// $configure` starts it with `fn $configure(&mut Config)` of the enclosing module applied.
#[macro_export]
macro_rules! both_backends {
    (@configure) => { |_: &mut $crate::app::Config| {} };
    (@configure $configure:ident) => { super::$configure };
    ($($name:ident $(with $configure:ident)?),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::app::spawn_app(
                        $crate::app::Backend::Sqlite,
                        $crate::both_backends!(@configure $($configure)?),
                    )
                    .await
                    .unwrap();
                    super::$name(app).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(app) = $crate::app::spawn_app(
                        $crate::app::Backend::Postgres,
                        $crate::both_backends!(@configure $($configure)?),
                    )
                    .await
                    else {
                        return; // PgCluster::shared() printed why.
                    };
                    super::$name(app).await;
                }
            }
        )*
    };
}

#[doc(hidden)]
pub use tessera_server::Config;
