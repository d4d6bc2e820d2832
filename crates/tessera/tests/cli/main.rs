//! The `tessera` binary as an operator uses it: `serve` in one process, the operator commands
//! in others, talking HTTP over loopback. Runs on SQLite and on PostgreSQL.

use std::process::Command;

use tessera_testkit::{Backend, PgCluster};

mod commands;
mod customer;
mod operator;
mod server;
mod sync_kill;

use operator::operator_story;

const BIN: &str = env!("CARGO_BIN_EXE_tessera");

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
fn every_operator_command_on_sqlite() {
    commands::story(Backend::Sqlite);
}

#[test]
fn every_operator_command_on_postgres() {
    commands::story(Backend::Postgres);
}

#[test]
fn a_push_cut_by_kill_9_is_in_the_cloud_once_on_sqlite() {
    sync_kill::a_push_cut_by_kill_9_is_in_the_cloud_once(Backend::Sqlite);
}

#[test]
fn a_push_cut_by_kill_9_is_in_the_cloud_once_on_postgres() {
    sync_kill::a_push_cut_by_kill_9_is_in_the_cloud_once(Backend::Postgres);
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

#[test]
fn logs_written_to_a_file_carry_no_colour_codes() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::File::create(dir.path().join("tessera.log")).unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .env("TESSERA_ADMIN_PASSWORD", "a password of some length")
        .env_remove("NO_COLOR")
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let listening = stdout
        .lines()
        .map_while(Result::ok)
        .any(|l| l.starts_with("Tessera listening on "));
    let _ = child.kill();
    let _ = child.wait();
    assert!(listening, "the server started");
    let text = std::fs::read_to_string(dir.path().join("tessera.log")).unwrap();
    assert!(text.contains("Tessera is listening"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "colour codes in a log file: {text:?}"
    );
}
