//! `tessera agent` as a site runs it: a real `tessera serve` in one process, the vendor's
//! set-up over the HTTP API, then the agent commands in others, with a dead backup server in
//! the list. Runs on SQLite and on PostgreSQL.

use std::process::Command;

use tessera_testkit::Backend;

mod cloud;
mod offline;
mod server;
mod site;
mod story;
mod vendor;

use story::agent_story;

const BIN: &str = env!("CARGO_BIN_EXE_tessera");
const ADMIN_PASSWORD: &str = "operator password for agent tests";
const EMAIL: &str = "jack@example.com";

#[test]
fn agent_story_on_sqlite() {
    agent_story(Backend::Sqlite);
}

#[test]
fn agent_story_on_postgres() {
    agent_story(Backend::Postgres);
}

#[test]
fn agent_air_gapped_on_sqlite() {
    offline::air_gapped_story(Backend::Sqlite);
}

#[test]
fn agent_air_gapped_on_postgres() {
    offline::air_gapped_story(Backend::Postgres);
}

#[test]
fn agent_cloud_sync_on_sqlite() {
    cloud::agent_cloud_story(Backend::Sqlite);
}

#[test]
fn agent_cloud_sync_on_postgres() {
    cloud::agent_cloud_story(Backend::Postgres);
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
