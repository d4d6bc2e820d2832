//! `tessera agent` as a site runs it: a real `tessera serve` in one process, the vendor's
//! set-up over the HTTP API, then the agent commands in others, with a dead backup server in
//! the list. Runs on SQLite and on PostgreSQL.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tessera_api::{CreateBatch, FillBatch, LoginRequest};
use tessera_api_client::{ApiClient, ApiError};
use tessera_testkit::{Backend, DataPlace};

const BIN: &str = env!("CARGO_BIN_EXE_tessera");
const ADMIN_PASSWORD: &str = "operator password for agent tests";
const EMAIL: &str = "jack@example.com";

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, database_url: Option<&str>) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .current_dir(dir)
        .env("TESSERA_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("TESSERA_RATE_LIMITS__VALIDATIONS_PER_SITE", "0")
        .env("TESSERA_RATE_LIMITS__ACTIVATIONS_PER_KEY", "0")
        .env_remove("TESSERA_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = database_url {
        cmd.arg("--database-url").arg(url);
    }
    let mut child = cmd.spawn().expect("tessera serve starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let url = stdout
        .lines()
        .map_while(|l| l.ok())
        .find_map(|l| {
            l.strip_prefix("Tessera listening on ")
                .map(|u| u.trim().to_owned())
        })
        .expect("tessera serve printed its address");
    Server { child, url }
}

/// The vendor's side over HTTP, with the typed API client on a runtime of its own (the
/// agent's commands are blocking processes; so is this test).
struct Vendor {
    api: ApiClient,
    runtime: tokio::runtime::Runtime,
}

impl Vendor {
    /// Runs a call that must succeed.
    fn run<T>(&self, what: &str, call: impl Future<Output = Result<T, ApiError>>) -> T {
        self.runtime
            .block_on(call)
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }
}

/// The vendor's set-up: product `crm` (edition `std`, 10 users, module `mail`), two keys,
/// the first registered to jack's account. Returns the signed-in vendor and the keys.
fn vendor_setup(base: &str) -> (Vendor, Vec<String>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut vendor = Vendor {
        api: ApiClient::new(base),
        runtime,
    };
    let login = LoginRequest {
        username: "admin".into(),
        password: ADMIN_PASSWORD.into(),
    };
    let token = vendor.run("login", vendor.api.login(&login)).token;
    vendor.api = vendor.api.with_token(token);
    let product = tessera_testkit::fixtures::crm_product();
    vendor.run("product", vendor.api.create_product(&product));
    let batch = CreateBatch {
        product: "crm".into(),
        edition: "std".into(),
        size: "s10".into(),
        count: 2,
        note: None,
    };
    let id = vendor.run("batch", vendor.api.create_batch(&batch)).id;
    vendor.run("fill", vendor.api.fill_batch(id, &FillBatch { count: 2 }));
    let page = vendor.run("keys", vendor.api.batch_keys(id, None, 10));
    let keys: Vec<String> = page.keys.into_iter().map(|k| k.key).collect();
    let registration =
        tessera_testkit::fixtures::registration("jack", EMAIL, "00743110157", &keys[0]);

    let anonymous = vendor.api.anonymous();
    vendor.run("registration", anonymous.register(&registration));
    (vendor, keys)
}

/// An address where nothing listens.
fn dead_server() -> String {
    format!("http://127.0.0.1:{}", tessera_testkit::free_port())
}

struct Agent {
    config: PathBuf,
}

impl Agent {
    fn new(dir: &Path, servers: &[&str]) -> Agent {
        let config = dir.join("agent.toml");
        let list: Vec<String> = servers.iter().map(|s| format!("{s:?}")).collect();
        std::fs::write(
            &config,
            format!(
                "servers = [{}]\npublic_keys = \"keys/public-keys.json\"\n\
                 vendor_salt = \"acme-crm-salt\"\nstate_file = \"state/license.state\"\n\
                 machine_id = \"agent-test-machine\"\nstartup_jitter_secs = 0\n\
                 connect_timeout_secs = 1\ntimeout_secs = 5\n",
                list.join(", ")
            ),
        )
        .unwrap();
        std::fs::create_dir_all(dir.join("keys")).unwrap();
        std::fs::create_dir_all(dir.join("state")).unwrap();
        Agent { config }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg("agent")
            .args(args)
            .env("TESSERA_AGENT_CONFIG", &self.config);
        cmd
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out: Output = self.command(args).output().expect("tessera runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Runs a command that must end with `code`; returns its stdout.
    fn expect(&self, code: i32, args: &[&str]) -> String {
        let (got, out, err) = self.run(args);
        assert_eq!(got, code, "tessera agent {args:?}\n{out}\n{err}");
        out
    }

    fn status_json(&self, code: i32) -> Value {
        serde_json::from_str(&self.expect(code, &["status", "--json"])).unwrap()
    }
}

fn agent_story(backend: Backend) {
    let Some(place) = DataPlace::new(backend) else {
        return; // PgCluster::shared() printed why.
    };
    let server = serve(place.data_dir(), place.database_url.as_deref());
    let (vendor, keys) = vendor_setup(&server.url);
    let dead = dead_server();
    let site_dir = tempfile::tempdir().unwrap();
    let agent = Agent::new(site_dir.path(), &[&dead, &server.url]);

    // Without the trust step nothing runs; the step prints the key ids it wrote.
    let (code, _, err) = agent.run(&["status"]);
    assert_eq!(code, 1);
    assert!(err.contains("public-keys.json"), "{err}");
    let (code, _, err) = agent.run(&["trust", "--from", &server.url, "--expect-key", "0000"]);
    assert!(code == 1 && err.contains("expected key 0000"), "{err}");
    let trusted = agent.expect(0, &["trust", "--from", &server.url]);
    let published = vendor.run("public keys", vendor.api.anonymous().public_keys());
    let key_id = &published.keys[0].key_id;
    assert!(trusted.contains(key_id.as_str()), "{trusted}");
    let (code, _, err) = agent.run(&["trust", "--from", &server.url]);
    assert!(code == 1 && err.contains("--replace"), "{err}");

    let before = agent.status_json(3);
    assert_eq!(before["state"], "not_activated");
    assert_eq!(before["may_run"], false);

    // A wrong key: the server's refusal, with the client's code.
    let (code, _, err) = agent.run(&["activate", "--email", EMAIL, "--key", &keys[1]]);
    assert_eq!(code, 1);
    assert!(err.contains("error: SERVER_REFUSED"), "{err}");

    let activated = agent.expect(0, &["activate", "--email", EMAIL, "--key", &keys[0]]);
    assert!(activated.starts_with("activated: site "), "{activated}");
    assert!(activated.contains(&server.url), "failed over: {activated}");

    let s = agent.status_json(0);
    assert_eq!(s["state"], "valid");
    assert_eq!(s["may_run"], true);
    assert_eq!(s["product"], "crm");
    assert_eq!(s["edition"], "std");
    assert_eq!(s["modules"], json!(["mail"]));
    assert_eq!(s["users"], 10);
    assert_eq!(s["limits"]["users"], 10);
    assert_eq!(s["grace_days"], 10);
    let days = s["days_left"].as_u64().unwrap();
    assert!((9..=10).contains(&days), "{s}");
    assert_eq!(s["server"], server.url.as_str());
    assert_eq!(s["servers"], json!([dead, server.url]));
    assert_eq!(s["expires_at"], Value::Null);
    assert_eq!(s["fingerprint"].as_str().unwrap().len(), 64);
    let site_id = s["site_id"].as_str().unwrap().to_owned();

    let validated = agent.expect(0, &["validate"]);
    assert!(
        validated.contains(&format!("{} answered valid", server.url)),
        "{validated}"
    );
    let human = agent.expect(0, &["status"]);
    for want in [
        "state:          valid",
        "product:        CRM (crm)",
        "edition:        Standard (std), size s10",
        "modules:        mail",
        "users:          10",
        "expires:        never",
        "days left",
        &format!("installations:  {site_id}"),
        &format!("server:         {}", server.url),
    ] {
        assert!(human.contains(want), "{want:?} in\n{human}");
    }

    // Servers: the one that answered is chosen; selecting the dead one still validates.
    let listed = agent.expect(0, &["servers"]);
    assert!(
        listed.contains(&format!("1  primary  {dead}\n"))
            && listed.contains(&format!("2  backup   {}  (chosen)", server.url)),
        "{listed}"
    );
    let selected = agent.expect(0, &["servers", "--select", &dead]);
    assert!(
        selected.contains(&format!("{dead}  (chosen)")),
        "{selected}"
    );
    agent.expect(0, &["validate"]);
    assert_eq!(agent.status_json(0)["server"], server.url.as_str());
    let (code, _, err) = agent.run(&["servers", "--select", "http://not-configured"]);
    assert!(code == 1 && err.contains("CONFIG_INVALID"), "{err}");

    let tested = agent.expect(1, &["test-connection"]);
    assert!(
        tested.contains(&format!("FAIL  {dead}  SERVER_UNREACHABLE")),
        "{tested}"
    );
    assert!(
        tested.contains(&format!("ok    {}", server.url)) && tested.contains("trusted vendor key"),
        "{tested}"
    );
    agent.expect(0, &["test-connection", &server.url]);

    run_as_a_service(&agent, &server.url);

    // An operator suspends the site: the signed answer locks the agent (exit 4).
    vendor.run("suspend", vendor.api.suspend_site(&site_id));
    let (code, out, _) = agent.run(&["validate"]);
    assert!(code == 4 && out.contains("answered suspended"), "{out}");
    let locked = agent.status_json(4);
    assert_eq!(locked["state"], "refused");
    assert_eq!(locked["refused"], "suspended");
    assert_eq!(locked["may_run"], false);
    vendor.run("resume", vendor.api.resume_site(&site_id));
    agent.expect(0, &["validate"]);

    let released = agent.expect(0, &["deactivate"]);
    assert!(released.contains(&site_id), "{released}");
    assert_eq!(agent.status_json(3)["state"], "not_activated");
    let (code, _, err) = agent.run(&["validate"]);
    assert!(code == 3 && err.contains("NOT_ACTIVATED"), "{err}");
    let (code, _, err) = agent.run(&["run"]);
    assert!(code == 3 && err.contains("NOT_ACTIVATED"), "{err}");
}

/// `tessera agent run` validates at start-up (jitter 0 here) and logs the outcome.
fn run_as_a_service(agent: &Agent, url: &str) {
    let mut child = agent
        .command(&["run"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(|l| l.ok()) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(30)).expect("a line");
    assert!(first.starts_with("tessera agent: site "), "{first}");
    let logged = rx.recv_timeout(Duration::from_secs(30)).expect("a line");
    assert!(
        logged.starts_with(&format!("validation: {url} answered valid; valid, ")),
        "{logged}"
    );
    // SIGTERM, as systemd stops it.
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(5)).unwrap(),
        "tessera agent: stopping"
    );
}

#[test]
fn agent_story_on_sqlite() {
    agent_story(Backend::Sqlite);
}

#[test]
fn agent_story_on_postgres() {
    agent_story(Backend::Postgres);
}

#[test]
fn config_example_is_printed() {
    let out = Command::new(BIN)
        .args(["agent", "config-example"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("servers = [") && text.contains("vendor_salt"));
}
