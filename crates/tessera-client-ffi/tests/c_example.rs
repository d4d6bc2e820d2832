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
