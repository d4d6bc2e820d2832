//! The `tessera` binary as an operator uses it: `serve` in one process, the operator commands
//! in others, talking HTTP over loopback. Runs on SQLite and on PostgreSQL.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use tessera_api::{ActivationRequest, CompanyData, ContactData, Registration, ResellerData};
use tessera_api_client::ApiClient;
use tessera_testkit::PgCluster;

const BIN: &str = env!("CARGO_BIN_EXE_tessera");

struct Server {
    child: Child,
    url: String,
    first_line: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `tessera serve` on a port the system picks and reads the address it prints.
fn serve(dir: &Path, database_url: Option<&str>, admin_password: Option<&str>) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .current_dir(dir)
        .env_remove("TESSERA_ADMIN_PASSWORD")
        .env_remove("TESSERA_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = database_url {
        cmd.arg("--database-url").arg(url);
    }
    if let Some(p) = admin_password {
        cmd.env("TESSERA_ADMIN_PASSWORD", p);
    }
    let mut child = cmd.spawn().expect("tessera serve starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first_line = None;
    let mut url = None;
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some(u) = line.strip_prefix("Tessera listening on ") {
            url = Some(u.trim().to_owned());
            break;
        }
        first_line.get_or_insert(line);
    }
    let url = url.expect("tessera serve printed its address");
    Server {
        child,
        url,
        first_line: first_line.unwrap_or_default(),
    }
}

fn run(server: &Server, token: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("TESSERA_SERVER", &server.url)
        .env_remove("TESSERA_TOKEN");
    if let Some(t) = token {
        cmd.env("TESSERA_TOKEN", t);
    }
    cmd.output().expect("tessera runs")
}

fn success(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn operator_story(database_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), database_url, None);
    let password = server
        .first_line
        .strip_prefix("Created the operator account 'admin' with the password: ")
        .unwrap_or_else(|| panic!("first line: {}", server.first_line))
        .trim()
        .to_owned();

    let wrong = run(&server, None, &["login", "--password", "definitely not it"]);
    assert!(!wrong.status.success());
    let wrong_err = String::from_utf8_lossy(&wrong.stderr);
    assert!(wrong_err.contains("401 UNAUTHENTICATED"), "{wrong_err}");

    let login = success(run(&server, None, &["login", "--password", &password]));
    let token = login
        .trim()
        .strip_prefix("export TESSERA_TOKEN=")
        .expect("export line")
        .to_owned();

    let product = dir.path().join("product.json");
    std::fs::write(
        &product,
        r#"{"code":"crm","name":"CRM","editions":[{"code":"base","name":"Base"},{"code":"pro","name":"Pro"}],
            "sizes":[{"code":"u10","name":"10 users","limits":{"users":10}}],"modules":[{"code":"mail","name":"Mail"}]}"#,
    )
    .unwrap();
    success(run(
        &server,
        Some(&token),
        &["products", "create", "--file", product.to_str().unwrap()],
    ));
    let list = success(run(&server, Some(&token), &["products", "list"]));
    assert!(list.contains("base, pro"), "{list}");

    let csv = dir.path().join("keys.csv");
    let args = [
        "keys",
        "generate",
        "--product",
        "crm",
        "--edition",
        "pro",
        "--size",
        "u10",
        "--count",
        "12345",
        "--out",
        csv.to_str().unwrap(),
    ];
    let batch = success(run(&server, Some(&token), &args));
    assert_eq!(batch.trim(), "1", "prints the batch id");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 12_346);
    let key = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();

    let shown = success(run(
        &server,
        Some(&token),
        &["keys", "show", &key.to_lowercase()],
    ));
    assert!(shown.contains("\"status\": \"issued\""), "{shown}");
    success(run(
        &server,
        Some(&token),
        &["keys", "revoke", &key, "--reason", "test"],
    ));
    let history = success(run(&server, Some(&token), &["keys", "history", &key]));
    assert!(
        history.contains("key.revoked") && history.contains("operator:admin"),
        "{history}"
    );
    // Resuming a complete batch has nothing left to do and says which batch it was.
    let resumed = success(run(
        &server,
        Some(&token),
        &["keys", "generate", "--resume", "1"],
    ));
    assert_eq!(resumed.trim(), "1");
    let typo = run(&server, Some(&token), &["keys", "show", &key[..18]]);
    assert!(
        String::from_utf8_lossy(&typo.stderr).contains("16 symbols"),
        "refused locally"
    );
    let batches = success(run(&server, Some(&token), &["keys", "batches"]));
    assert!(batches.contains("12345/12345"), "{batches}");

    let unauthenticated = run(&server, None, &["keys", "batches"]);
    assert!(String::from_utf8_lossy(&unauthenticated.stderr).contains("no operator token"));

    customer_commands(
        &server,
        &token,
        text.lines().nth(2).unwrap().split(',').next().unwrap(),
    );
}

/// A customer registers and activates over the API; the operator handles the account, the
/// installation and the signing keys with the command line.
fn customer_commands(server: &Server, token: &str, key: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let api = ApiClient::new(&server.url);
    let registration = Registration {
        username: "rossi".into(),
        password: "correct horse battery staple".into(),
        email: "rossi@example.com".into(),
        email_confirm: "rossi@example.com".into(),
        company: CompanyData {
            name: "Rossi Trasporti".into(),
            country: "IT".into(),
            region: "Lombardia".into(),
            city: "Milano".into(),
            street: "Via Roma".into(),
            number: "1".into(),
            postcode: "20121".into(),
            vat_number: "00743110157".into(),
            sector: "transport".into(),
            tanks: 1,
            drivers: 2,
            vehicles: 3,
        },
        contact: ContactData {
            first_name: "Mario".into(),
            last_name: "Rossi".into(),
            mobile: "0039 348 11111".into(),
            phone: "0039 02 22222".into(),
        },
        reseller: ResellerData {
            company_name: "Reseller".into(),
            country: "IT".into(),
            region: "MI".into(),
            city: "Milano".into(),
            street: None,
            postcode: "20100".into(),
        },
        privacy_accepted: true,
        newsletter: false,
        language: None,
        product_key: key.into(),
    };
    let account = runtime
        .block_on(api.register(&registration))
        .unwrap_or_else(|e| panic!("registration: {e}"));
    let id = account.id.to_string();
    let activation = ActivationRequest {
        email: Some("rossi@example.com".into()),
        vat_number: None,
        product_key: key.into(),
        fingerprint: "ab".repeat(32),
        installation: None,
    };
    let activated = runtime
        .block_on(api.activate(&activation))
        .unwrap_or_else(|e| panic!("activation: {e}"));
    let site = activated.site_id.as_str();

    let list = success(run(
        server,
        Some(token),
        &["accounts", "list", "--search", "Rossi T"],
    ));
    assert!(
        list.contains("rossi@example.com") && list.contains("IT00743110157"),
        "{list}"
    );
    let shown = success(run(server, Some(token), &["accounts", "show", &id]));
    assert!(shown.contains(site), "{shown}");

    let suspended = success(run(server, Some(token), &["sites", "suspend", site]));
    assert!(
        suspended.contains("\"status\": \"suspended\""),
        "{suspended}"
    );
    let resumed = success(run(server, Some(token), &["sites", "resume", site]));
    assert!(resumed.contains("\"status\": \"active\""), "{resumed}");
    let expiring = success(run(
        server,
        Some(token),
        &["sites", "expiry", site, "--at", "2030-01-01T00:00:00Z"],
    ));
    assert!(expiring.contains("2030-01-01T00:00:00Z"), "{expiring}");
    let released = success(run(server, Some(token), &["sites", "deactivate", site]));
    assert!(
        released.contains("\"status\": \"deactivated\""),
        "{released}"
    );
    let again = run(server, Some(token), &["sites", "deactivate", site]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("409 SITE_NOT_ACTIVE"));

    let before = success(run(server, Some(token), &["signing-keys", "list"]));
    let first = before
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.len() == 16 && w.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .expect("a key id")
        .to_owned();
    let rotated = success(run(server, Some(token), &["signing-keys", "rotate"]));
    assert!(rotated.contains("\"active\": true"), "{rotated}");
    let retired = success(run(
        server,
        Some(token),
        &["signing-keys", "retire", &first],
    ));
    assert!(
        retired.contains("retired_at") && !retired.contains("\"retired_at\": null"),
        "{retired}"
    );
}

#[test]
fn operator_story_on_sqlite() {
    operator_story(None);
}

#[test]
fn operator_story_on_postgres() {
    let Some(cluster) = PgCluster::shared() else {
        return;
    };
    operator_story(Some(&cluster.create_database()));
}

#[test]
fn config_example_is_printed_and_bad_config_is_named() {
    let out = Command::new(BIN)
        .args(["config", "example"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("listen = \"127.0.0.1:8080\"") && text.contains("# database_url"));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "listen = \"not an address\"\n").unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--config", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("listen") && err.contains("bad.toml"), "{err}");
}
