//! `examples/c/status.c`, compiled with the system `cc` against the committed header and the
//! shared library cargo built for this test (the test depends on the crate, so
//! `libtessera_client_ffi.so` is in the target directory before it runs), activates,
//! validates and prints the status against a real `tessera-server` on 127.0.0.1.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;

use tessera_api::{CreateBatch, FillBatch, LoginRequest};
use tessera_api_client::{ApiClient, ApiError};
use tessera_testkit::{ADMIN_PASSWORD, Backend, BlockingApp, DataPlace};

const EMAIL: &str = "jack@example.com";

/// The testkit's server on its own runtime, its clock set to the real time: the C program
/// uses the real clock.
fn start_server() -> BlockingApp {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = BlockingApp::start(&place, |_| {});
    server.clock.set(jiff::Timestamp::now());
    server
}

/// Runs a call of the typed client that must succeed.
fn run<T>(server: &BlockingApp, what: &str, call: impl Future<Output = Result<T, ApiError>>) -> T {
    server
        .block_on(call)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Product `crm` (10 users, module `mail`), one key registered to jack. Returns the key.
fn vendor_setup(server: &BlockingApp) -> String {
    // Signed in at the real time: the session of the start, at the test clock's start, is
    // long over.
    let login = LoginRequest {
        username: "admin".into(),
        password: ADMIN_PASSWORD.into(),
        language: None,
    };
    let token = run(server, "login", server.api_as(None).login(&login)).token;
    let api: ApiClient = server.api_as(Some(&token));
    let product = tessera_testkit::fixtures::crm_product();
    run(server, "product", api.create_product(&product));
    let batch = CreateBatch {
        product: "crm".into(),
        edition: "std".into(),
        size: "s10".into(),
        count: 1,
        note: None,
    };
    let id = run(server, "batch", api.create_batch(&batch)).id;
    run(server, "fill", api.fill_batch(id, &FillBatch { count: 1 }));
    let page = run(server, "keys", api.batch_keys(id, None, 100));
    let key = page.keys[0].key.clone();
    let registration = tessera_testkit::fixtures::registration("jack", EMAIL, "00743110157", &key);

    run(
        server,
        "registration",
        api.anonymous().register(&registration),
    );
    // The product needs 1.2.11 or later, and 1.3.0 to connect to the cloud.
    run(
        server,
        "minimum",
        api.set_minimum_version("crm", Some("1.2.11")),
    );
    run(
        server,
        "cloud minimum",
        api.set_cloud_minimum_version("crm", Some("1.3.0")),
    );
    key
}

/// Where cargo put `libtessera_client_ffi.so`: `deps/`, where this test's own binary runs
/// from and where `cargo test` builds the library it depends on; else the profile directory
/// above (a copy `cargo build` refreshes, so it may be older than the sources under test).
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    [deps, deps.parent().unwrap()]
        .into_iter()
        .find(|d| d.join("libtessera_client_ffi.so").exists())
        .expect("cargo built libtessera_client_ffi.so before this test")
        .to_owned()
}

fn compile_example(out: &Path) -> PathBuf {
    compile(out, "status")
}

/// Compiles `examples/c/{name}.c` into `out`.
fn compile(out: &Path, name: &str) -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = library_dir();
    let exe = out.join(name);
    let built = Command::new("cc")
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&exe)
        .arg(crate_dir.join(format!("examples/c/{name}.c")))
        .arg("-I")
        .arg(crate_dir.join("include"))
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-ltessera_client_ffi")
        .output()
        .expect("the system cc runs (Debian package gcc)");
    assert!(
        built.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    exe
}

#[test]
fn the_c_example_activates_validates_and_may_run() {
    let server = start_server();
    let base = server.base.clone();
    let key = vendor_setup(&server);
    let site = tempfile::tempdir().unwrap();
    let keys_file = site.path().join("public-keys.json");
    // The published keys as the server writes them.
    let published = run(
        &server,
        "public keys",
        server.api().anonymous().get_text("/api/v1/public-keys"),
    );
    std::fs::write(&keys_file, published).unwrap();
    let state = site.path().join("license.state");
    let exe = compile_example(site.path());

    let run = |extra: &[&str]| {
        let out = Command::new(&exe)
            .arg(format!("{base}, http://127.0.0.1:9"))
            .arg(&keys_file)
            .arg(&state)
            .args(extra)
            .env("TESSERA_MACHINE_ID", "ffi-test-machine")
            .env("TESSERA_PRODUCT_VERSION", "1.2.9")
            // Cargo's search path for tests would win over the run path the example was
            // linked with, and may lead to an older copy of the library.
            .env_remove("LD_LIBRARY_PATH")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, out, err) = run(&[EMAIL, &key]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    for want in [
        "activated\n",
        "may_run=1\n",
        "standing=1\n",
        "product=crm\n",
        "edition=std\n",
        "users=10\n",
        "expires_at=0\n",
        "modules=mail\n",
        "mail=1\n",
        "limit_users=10\n",
        "update_required=1.2.11\n",
        "cloud_update_required=1.3.0\n",
    ] {
        assert!(out.contains(want), "{want:?} in\n{out}");
    }
    let days: i32 = out
        .lines()
        .find_map(|l| l.strip_prefix("days_left="))
        .unwrap()
        .parse()
        .unwrap();
    assert!((9..=10).contains(&days), "{out}");

    // The second run reads the state file: no activation, one more validation.
    let (code, again, err) = run(&[]);
    assert_eq!(code, Some(0), "{again}\n{err}");
    assert!(!again.contains("activated") && again.contains("may_run=1"));

    // A tampered state file: the open fails with the library's code, printed by C.
    let mut bytes = std::fs::read(&state).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(&state, bytes).unwrap();
    let (code, _, err) = run(&[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("tessera_open failed: STATE_TAMPERED"), "{err}");
}

/// `examples/c/sync.c`: a C program activates, fails the data check on a duplicate (named),
/// connects to the cloud, records changes into the outbox, runs its first sync, pulls its
/// changes back, restores, reads the status, and takes back a batch that got no answer.
#[test]
fn the_c_sync_example_checks_connects_and_syncs() {
    use tessera_testkit::cloud::{catalog, fuel_collections, mailed_codes, trial};
    use tessera_testkit::scenarios::{account_login, register};

    let mut server = start_server();
    server.sign_in();
    let keys = server.block_on(catalog(&server, 1));
    for c in fuel_collections() {
        run(
            &server,
            "collection",
            server.api().declare_collection("ssm2", &c),
        );
    }
    let office = "office@ib50.example";
    server.block_on(register(&server, "ib50", office, "00743110157", &keys[0]));
    let base = server.base.clone();
    let site = tempfile::tempdir().unwrap();
    let keys_file = site.path().join("public-keys.json");
    let published = run(
        &server,
        "public keys",
        server.api().anonymous().get_text("/api/v1/public-keys"),
    );
    std::fs::write(&keys_file, published).unwrap();
    let state = site.path().join("license.state");
    let exe = compile(site.path(), "sync");
    let c_as = |servers: &str, version: &str, args: &[&str]| {
        let out = Command::new(&exe)
            .arg(servers)
            .arg(&keys_file)
            .arg(&state)
            .args(args)
            .env("TESSERA_MACHINE_ID", "ffi-sync-machine")
            .env("TESSERA_PRODUCT_VERSION", version)
            .env_remove("LD_LIBRARY_PATH")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let c_at = |servers: &str, args: &[&str]| c_as(servers, "1.2.11", args);
    let c = |args: &[&str]| c_at(&base, args);
    let ok = |args: &[&str]| {
        let (code, out, err) = c(args);
        assert_eq!(code, Some(0), "{args:?}\n{out}\n{err}");
        out
    };
    let rep = "rep@ib50.example";
    let site_data = serde_json::json!({
        "company": "Rossi Trasporti", "address": "Via Emilia 4", "zip": "20121",
        "locality": "Milano", "province": "MI", "nation": "IT",
        "representative_name": "Nicola", "representative_surname": "Luzzara",
        "representative_email": rep,
    });
    ok(&["activate", office, &keys[0], &site_data.to_string()]);
    let portal = server.block_on(account_login(&server, "ib50"));
    server.block_on(trial(&server, &portal));
    let site_id = ok(&["status"]);
    assert!(site_id.contains(r#""state":"off""#), "{site_id}");
    let overview = run(&server, "cloud", server.api_as(Some(&portal)).cloud());
    let sites: Vec<String> = overview
        .groups
        .iter()
        .flat_map(|g| &g.sites)
        .map(|s| s.site_id.clone())
        .collect();
    let enable = tessera_api::EnableSites { sites };
    run(
        &server,
        "enable",
        server.api_as(Some(&portal)).enable_sites(&enable),
    );
    let (activation, site_code) = server.block_on(mailed_codes(&server, rep));

    // Two drivers with one iButton: the check names the second, nothing is exchanged.
    let records = site.path().join("records.json");
    let bad = serde_json::json!([
        {"collection": "drivers", "id": "d1", "data": {"ibutton": "A1", "name": "Anna"}},
        {"collection": "drivers", "id": "d2", "data": {"ibutton": "A1", "name": "Bob"}},
    ]);
    std::fs::write(&records, bad.to_string()).unwrap();
    let records_arg = records.to_str().unwrap();
    let (code, _, err) = c(&["connect", &activation, &site_code, records_arg]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("DATA_CHECK_FAILED") && err.contains("drivers d2"),
        "{err}"
    );
    let good = serde_json::json!([
        {"collection": "drivers", "id": "d1", "data": {"ibutton": "A1", "name": "Anna"}},
        {"collection": "drivers", "id": "d2", "data": {"ibutton": "B2", "name": "Bob"}},
    ]);
    std::fs::write(&records, good.to_string()).unwrap();
    // The cloud needs the program at 1.2.11 or later (seed 000): at 1.2.9 it is refused,
    // and a version that is not one is refused before anything is sent.
    run(
        &server,
        "cloud minimum",
        server
            .api()
            .set_cloud_minimum_version("ssm2", Some("1.2.11")),
    );
    let (code, _, err) = c_as(
        &base,
        "1.2.9",
        &["connect", &activation, &site_code, records_arg],
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("tessera_activate_cloud failed") && err.contains("UPDATE_REQUIRED"),
        "{err}"
    );
    let (code, _, err) = c_as(&base, "1.2", &["status"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("tessera_set_product_version failed: CONFIG_INVALID"),
        "{err}"
    );
    let out = ok(&["connect", &activation, &site_code, records_arg]);
    assert!(out.contains("connected=1"), "{out}");

    ok(&[
        "record",
        "drivers",
        "d1",
        "0",
        r#"{"ibutton": "A1", "name": "Anna"}"#,
    ]);
    ok(&[
        "record",
        "drivers",
        "d2",
        "0",
        r#"{"ibutton": "B2", "name": "Bob"}"#,
    ]);
    ok(&["record", "transactions", "t1", "0", r#"{"litres": 40.5}"#]);
    let (code, _, err) = c(&["record", "drivers", "", "0", "{}"]);
    assert!(code == Some(1) && err.contains("CHANGE_INVALID"), "{err}");

    let synced = ok(&["first-sync"]);
    assert!(synced.contains(r#""outcome":"applied""#), "{synced}");
    assert!(synced.contains(r#""applied":3"#), "{synced}");
    let pulled = ok(&["pull"]);
    assert!(pulled.contains(r#""records":3"#), "{pulled}");
    assert!(pulled.contains(r#""id":"t1""#), "{pulled}");
    let status = ok(&["status"]);
    assert!(status.contains(r#""state":"idle""#), "{status}");
    assert!(status.contains(r#""outbox_pending":0"#), "{status}");
    let restored = ok(&["restore"]);
    assert!(restored.contains(r#""records":3"#), "{restored}");

    // A push that gets no answer leaves its batch in the outbox under its id; taken back,
    // its changes come back to the program and the outbox is empty.
    ok(&[
        "record",
        "drivers",
        "d9",
        "0",
        r#"{"ibutton": "Z9", "name": "Zoe"}"#,
    ]);
    let dead = format!("http://127.0.0.1:{}", tessera_testkit::free_port());
    let (code, _, err) = c_at(&dead, &["push"]);
    assert_eq!(code, Some(1), "{err}");
    let outbox = ok(&["outbox"]);
    let outbox: serde_json::Value =
        serde_json::from_str(outbox.trim().strip_prefix("outbox=").unwrap()).unwrap();
    assert_eq!(outbox["pending"], 1, "{outbox}");
    assert_eq!(outbox["batch"]["changes"][0]["id"], "d9");
    let batch_id = outbox["batch"]["batch_id"].as_str().unwrap().to_owned();
    let (code, _, err) = c(&["take-back", "b-not-this-one"]);
    assert!(code == Some(1) && err.contains("BATCH_NOT_OPEN"), "{err}");
    let taken = ok(&["take-back", &batch_id]);
    assert!(taken.contains(r#""id":"d9""#), "{taken}");
    let outbox = ok(&["outbox"]);
    assert!(
        outbox.contains(r#""pending":0"#) && outbox.contains(r#""batch":null"#),
        "{outbox}"
    );
}

/// `examples/c/offline.c` (X1): a C program on a machine whose only server never answers
/// writes a request file, the vendor's operator answers it, the program imports the
/// response and may run; a response edited on the way is refused with the library's code.
/// Then it gives the licence up with a deactivation file, which releases the installation.
#[test]
fn the_c_offline_example_activates_by_file() {
    let mut server = start_server();
    server.sign_in();
    let key = vendor_setup(&server);
    let api = server.api();
    let policy = tessera_api::SetOfflinePolicy {
        offline_policy: "perpetual".into(),
        offline_check_days: None,
    };
    run(&server, "policy", api.set_offline_policy("crm", &policy));
    let site = tempfile::tempdir().unwrap();
    let keys_file = site.path().join("public-keys.json");
    let published = run(
        &server,
        "public keys",
        api.anonymous().get_text("/api/v1/public-keys"),
    );
    std::fs::write(&keys_file, published).unwrap();
    let state = site.path().join("license.state");
    let exe = compile(site.path(), "offline");
    let run_c = |args: &[&Path]| {
        let out = Command::new(&exe)
            .arg(&keys_file)
            .arg(&state)
            .args(args)
            .env("TESSERA_MACHINE_ID", "ffi-offline-machine")
            .env_remove("LD_LIBRARY_PATH")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let request = site.path().join("request.json");
    let (code, out, err) = run_c(&[
        Path::new("request"),
        Path::new(EMAIL),
        Path::new(&key),
        &request,
    ]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    let bytes = std::fs::read(&request).unwrap();
    let (_, response) = run(&server, "answer", api.answer_offline_request(&bytes));

    let tampered = site.path().join("tampered.json");
    std::fs::write(
        &tampered,
        response.replacen("\"payload\": \"ey", "\"payload\": \"ex", 1),
    )
    .unwrap();
    let (code, _, err) = run_c(&[Path::new("import"), &tampered]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("tessera_offline_import failed: OFFLINE_RESPONSE_INVALID"),
        "{err}"
    );

    let answer = site.path().join("response.json");
    std::fs::write(&answer, response).unwrap();
    let (code, out, err) = run_c(&[Path::new("import"), &answer]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    for want in ["imported\n", "may_run=1\n", "product=crm\n"] {
        assert!(out.contains(want), "{want:?} in\n{out}");
    }

    let release = site.path().join("release.json");
    let (code, out, err) = run_c(&[Path::new("deactivate"), &release]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(
        !state.exists(),
        "the licence is deleted as the file is written"
    );
    let bytes = std::fs::read(&release).unwrap();
    let (new, receipt) = run(&server, "release", api.answer_offline_request(&bytes));
    assert!(
        new && receipt.contains("tessera-offline-release/v1"),
        "{receipt}"
    );
    // Nothing left to give up: the same file again, and the site is released.
    let (code, _, _) = run_c(&[Path::new("deactivate"), &release]);
    assert_eq!(code, Some(0));
    assert_eq!(std::fs::read(&release).unwrap(), bytes);
}
