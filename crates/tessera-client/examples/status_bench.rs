//! What the offline check costs: `Client::status()` on an activated client, no network.
//!
//! `cargo run --release -p tessera-client --example status_bench [iterations]`
//!
//! Builds a license signed by a throwaway vendor key, stores it the way an activation would,
//! opens a `Client` on it (the server list points nowhere: nothing is asked), then times
//! `status()` + `may_run()` + a module and a limit lookup, on one thread and on two.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use ed25519_dalek::SigningKey;
use jiff::{SignedDuration, Timestamp};
use tessera_client::state_file::{StateFile, StoredState};
use tessera_client::{Client, ClientConfig, MachineId, ServerList, TrustStore};
use tessera_core::DocumentKind;
use tessera_core::license::{License, sign};

fn main() {
    let iterations: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let dir = std::env::temp_dir().join(format!("tessera-status-bench-{}", std::process::id()));
    let client = Arc::new(activated_client(&dir));
    assert!(client.status().may_run());

    // Warm up, then one thread.
    run(&client, iterations / 10);
    let started = Instant::now();
    let granted = run(&client, iterations);
    let one = started.elapsed();
    println!(
        "1 thread:  {iterations} status() calls in {one:?}: {:.1} ns per call ({granted} granted)",
        one.as_nanos() as f64 / iterations as f64
    );

    // Two threads at once (the machine's cores), as a multi-threaded host would call it.
    let started = Instant::now();
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let c = Arc::clone(&client);
            std::thread::spawn(move || run(&c, iterations))
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let two = started.elapsed();
    println!(
        "2 threads: {} status() calls in {two:?}: {:.1} ns per call per thread",
        2 * iterations,
        two.as_nanos() as f64 / iterations as f64
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The host's question, asked `n` times; returns how many said yes.
fn run(client: &Client, n: u64) -> u64 {
    let mut granted = 0;
    for _ in 0..n {
        let status = black_box(client.status());
        if status.may_run() && status.has_module("mail") && status.limit("users") == Some(10) {
            granted += 1;
        }
    }
    granted
}

fn activated_client(dir: &std::path::Path) -> Client {
    let vendor = SigningKey::from_bytes(&[42; 32]);
    let mut trust = TrustStore::new();
    let key_id = trust.add(vendor.verifying_key());
    let salt = "bench-salt";
    let machine = MachineId::Explicit("bench-machine".into());
    let fingerprint = tessera_client::fingerprint::machine_fingerprint(salt, &machine).unwrap();
    let now = Timestamp::now();
    let license = License {
        site_id: "c3dbe05283308735ffa34241cb6161ae".into(),
        licensee: "Rossi Trasporti".into(),
        product: "crm".into(),
        product_name: "CRM".into(),
        edition: "std".into(),
        edition_name: "Standard".into(),
        size: "s10".into(),
        limits: [("users".to_owned(), 10)].into(),
        modules: vec!["mail".into()],
        user_count: Some(10),
        expires_at: None,
        fingerprint: fingerprint.as_str().to_owned(),
        issued_at: now,
        check_deadline: now + SignedDuration::from_hours(240),
        grace_days: 10,
        latest_version: None,
        minimum_version: None,
        cloud_minimum_version: None,
        offline: None,
        key_id: key_id.clone(),
    };
    let payload = serde_json::to_vec(&license).unwrap();
    let state_path = dir.join("license.state");
    StateFile::new(&state_path, salt, &fingerprint)
        .save(&StoredState {
            license: sign(DocumentKind::License, &key_id, &vendor, &payload),
            validation: None,
            validation_nonce: None,
            site_token: "bench".into(),
            server: None,
            highest_local: None,
            cloud_token: None,
            offline: None,
        })
        .unwrap();
    let mut cfg = ClientConfig::new(
        ServerList::new(["http://127.0.0.1:9"]).unwrap(),
        trust,
        salt,
        state_path,
    );
    cfg.machine_id = machine;
    Client::open(cfg).unwrap()
}
