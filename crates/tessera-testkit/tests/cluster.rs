use std::collections::HashSet;
use std::process::Command;
use std::time::Instant;

use tessera_testkit::PgCluster;

/// Asks the server behind `url` for `select 1` through the psql client on PATH.
fn select_one(url: &str) -> String {
    let out = Command::new("psql")
        .args([
            "-X",
            "-tA",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            "select 1",
        ])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql -d {url} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn created_databases_answer() {
    let started = Instant::now();
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    eprintln!("cluster ready after {:?}", started.elapsed());
    assert_eq!(
        pg.admin_url(),
        format!("postgres://postgres@127.0.0.1:{}/postgres", pg.port())
    );
    let a = pg.create_database();
    let b = pg.create_database();
    assert_ne!(a, b);
    for url in [&a, &b] {
        assert!(url.starts_with(&format!("postgres://postgres@127.0.0.1:{}/t_", pg.port())));
        assert_eq!(select_one(url), "1");
    }
}

#[test]
fn concurrent_creation_gives_distinct_databases() {
    let Some(pg) = PgCluster::shared() else {
        return;
    };
    let urls: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(|| pg.create_database())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(urls.iter().collect::<HashSet<_>>().len(), 8, "{urls:?}");
    for url in &urls {
        assert_eq!(select_one(url), "1");
    }
}
