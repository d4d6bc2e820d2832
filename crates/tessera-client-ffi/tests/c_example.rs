//! `examples/c/status.c`, compiled with the system `cc` against the committed header and the
//! shared library cargo built for this test (the test depends on the crate, so
//! `libtessera_client_ffi.so` is in the target directory before it runs), activates,
//! validates and prints the status against a real `tessera-server` on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use serde_json::{Value, json};
use tessera_core::SystemClock;
use tessera_server::{Config, build_app, serve};

const ADMIN_PASSWORD: &str = "operator password for ffi tests";
const EMAIL: &str = "jack@example.com";

/// A server on its own runtime, on the real clock (the C program uses the real one too).
fn start_server(dir: &Path) -> (tokio::runtime::Runtime, String) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_owned(),
        admin_password: Some(ADMIN_PASSWORD.into()),
        rate_limits: tessera_server::config::RateLimits::off(),
        ..Config::default()
    };
    let base = runtime.block_on(async {
        let app = build_app(config, Arc::new(SystemClock)).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { serve(listener, app, std::future::pending()).await });
        base
    });
    (runtime, base)
}

fn post(base: &str, path: &str, token: Option<&str>, body: Value) -> Value {
    let mut req = ureq::post(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    req.send_json(body)
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
        .body_mut()
        .read_json()
        .unwrap()
}

/// Product `crm` (10 users, module `mail`), one key registered to jack. Returns the key.
fn vendor_setup(base: &str) -> String {
    let login = post(
        base,
        "/api/v1/auth/login",
        None,
        json!({"username": "admin", "password": ADMIN_PASSWORD}),
    );
    let t = login["token"].as_str();
    post(
        base,
        "/api/v1/products",
        t,
        json!({"code": "crm", "name": "CRM",
            "editions": [{"code": "std", "name": "Standard"}],
            "sizes": [{"code": "s10", "name": "10 users", "limits": {"users": 10}}],
            "modules": [{"code": "mail", "name": "Mail"}]}),
    );
    let batch = post(
        base,
        "/api/v1/key-batches",
        t,
        json!({"product": "crm", "edition": "std", "size": "s10", "count": 1}),
    );
    let id = batch["id"].as_i64().unwrap();
    post(
        base,
        &format!("/api/v1/key-batches/{id}/fill"),
        t,
        json!({"count": 1}),
    );
    let page: Value = ureq::get(format!("{base}/api/v1/key-batches/{id}/keys"))
        .header("Authorization", &format!("Bearer {}", t.unwrap()))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let key = page["keys"][0]["key"].as_str().unwrap().to_owned();
    post(
        base,
        "/api/v1/accounts",
        None,
        json!({
            "username": "jack", "password": "correct horse battery staple",
            "email": EMAIL, "email_confirm": EMAIL,
            "company": {"name": "Rossi Trasporti S.r.l.", "country": "IT", "region": "Lombardia",
                "city": "Milano", "street": "Via Rossini", "number": "12", "postcode": "20121",
                "vat_number": "00743110157", "sector": "transport", "tanks": 2, "drivers": 5,
                "vehicles": 5},
            "contact": {"first_name": "Jack", "last_name": "White",
                "mobile": "0039 348 96666", "phone": "0039 859 62626"},
            "reseller": {"company_name": "Company s.p.a.", "country": "IT", "region": "Milano",
                "city": "Milan", "street": "Via Verdi", "postcode": "20100"},
            "privacy_accepted": true, "newsletter": false, "product_key": key,
        }),
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
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = library_dir();
    let exe = out.join("status");
    let built = Command::new("cc")
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&exe)
        .arg(crate_dir.join("examples/c/status.c"))
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
    let server_dir = tempfile::tempdir().unwrap();
    let (_runtime, base) = start_server(server_dir.path());
    let key = vendor_setup(&base);
    let site = tempfile::tempdir().unwrap();
    let keys_file = site.path().join("public-keys.json");
    let published = ureq::get(format!("{base}/api/v1/public-keys"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
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
