//! `tessera agent cloud …` and `tessera agent sync …` as a site runs them: the testkit's
//! server in this process (its clock at the real time: the agent's is the system's), the
//! account's set-up over the API, the agent's commands in processes of their own over its
//! local store, a directory of JSON files.

use std::path::Path;

use serde_json::{Value, json};
use tessera_testkit::cloud::{catalog, fuel_collections, mailed_codes, trial};
use tessera_testkit::fixtures::IT_VATS;
use tessera_testkit::scenarios::{account_login, register};
use tessera_testkit::{Backend, BlockingApp, DataPlace};

use crate::site::Agent;

const OFFICE: &str = "office@ib50.example";
const REP: &str = "rep@ib50.example";

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, value.to_string()).unwrap();
}

/// An executable shell script at `path`.
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

pub(crate) fn agent_cloud_story(backend: Backend) {
    let Some(place) = DataPlace::new(backend) else {
        return;
    };
    // A server that takes bodies of 64 KiB at most (256 KiB by default): a batch of two
    // drivers of 40 KiB is refused as a whole, which the library does not foresee.
    let mut server = BlockingApp::start(&place, |c| c.max_body_bytes = 64 * 1024);
    server.clock.set(jiff::Timestamp::now());
    server.sign_in();
    let keys = server.block_on(catalog(&server, 1));
    for c in fuel_collections() {
        server
            .block_on(server.api().declare_collection("ssm2", &c))
            .unwrap();
    }
    server.block_on(register(&server, "ib50", OFFICE, IT_VATS[0], &keys[0]));
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::new(dir.path(), &[&server.base]);
    let published = server
        .block_on(server.api().anonymous().get_text("/api/v1/public-keys"))
        .unwrap();
    std::fs::write(dir.path().join("keys/public-keys.json"), published).unwrap();
    agent.expect(0, &["activate", "--email", OFFICE, "--key", &keys[0]]);
    let site_data = dir.path().join("site.json");
    let body = json!({
        "company": "Rossi Trasporti", "address": "Via Emilia 4", "zip": "20121",
        "locality": "Milano", "province": "MI", "nation": "IT",
        "representative_name": "Nicola", "representative_surname": "Luzzara",
        "representative_email": REP,
    });
    write(&site_data, &body);
    agent.expect(0, &["site-data", "--file", site_data.to_str().unwrap()]);

    let status = parsed(&agent.expect(0, &["cloud", "status", "--json"]));
    assert_eq!(status["connected"], false);
    let sync = parsed(&agent.expect(0, &["sync", "status", "--json"]));
    assert_eq!(sync["state"], "off");
    let (code, _, err) = agent.run(&["sync", "push"]);
    assert!(code == 1 && err.contains("CLOUD_NOT_ACTIVATED"), "{err}");

    // The account starts its trial and enables the site; the codes go to its representative.
    let portal = server.block_on(account_login(&server, "ib50"));
    server.block_on(trial(&server, &portal));
    let overview = server
        .block_on(server.api_as(Some(&portal)).cloud())
        .unwrap();
    let sites = overview
        .groups
        .iter()
        .flat_map(|g| &g.sites)
        .map(|s| s.site_id.clone())
        .collect();
    let enable = tessera_api::EnableSites { sites };
    server
        .block_on(server.api_as(Some(&portal)).enable_sites(&enable))
        .unwrap();
    let (activation, site_code) = server.block_on(mailed_codes(&server, REP));

    // The product's data, with two drivers sharing an iButton and a user without a nickname.
    let data = dir.path().join("state/sync-data");
    write(
        &data.join("drivers/d1.json"),
        &json!({"ibutton": "A1", "name": "Anna"}),
    );
    write(
        &data.join("drivers/d2.json"),
        &json!({"ibutton": "A1", "name": "Bob"}),
    );
    write(&data.join("users/u%2F1.json"), &json!({"nickname": " "}));
    write(&data.join("transactions/t1.json"), &json!({"litres": 40.5}));
    let (code, out, _) = agent.run(&["cloud", "check", "--json"]);
    assert_eq!(code, 1, "{out}");
    let report = parsed(&out);
    assert_eq!(report["ok"], false);
    let named: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().into(),
                f["problem"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        named.contains(&("d2".into(), "duplicate".into())),
        "{named:?}"
    );
    assert!(
        named.contains(&("u/1".into(), "missing_field".into())),
        "{named:?}"
    );
    let connect = [
        "cloud",
        "activate",
        "--activation-code",
        &activation,
        "--site-code",
        &site_code,
    ];
    let (code, out, err) = agent.run(&connect);
    assert!(code == 1 && err.contains("DATA_CHECK_FAILED"), "{err}");
    assert!(
        out.contains("drivers d2") && out.contains("users u/1"),
        "{out}"
    );
    assert_eq!(
        parsed(&agent.expect(0, &["cloud", "status", "--json"]))["connected"],
        false
    );

    write(
        &data.join("drivers/d2.json"),
        &json!({"ibutton": "B2", "name": "Bob"}),
    );
    write(
        &data.join("users/u%2F1.json"),
        &json!({"nickname": "jack", "web_user": true}),
    );
    // The vendor's own checks (E7): a dispenser not set up for vehicle identification
    // blocks the connection, and so does a check that breaks.
    let vendor = dir.path().join("vendor");
    script(
        &vendor.join("dispensers.sh"),
        "if [ -e \"$1/../dispenser-off\" ]; then echo '[{\"collection\": \"dispensers\", \
         \"id\": \"disp-1\", \"problem\": \"vehicle_identification_off\", \"message\": \
         \"dispenser disp-1 is not set up for vehicle identification\"}]'; fi",
    );
    script(
        &vendor.join("service.sh"),
        "echo 'sync service not running' >&2; exit 3",
    );
    let mut toml = std::fs::read_to_string(&agent.config).unwrap();
    toml.push_str("checks = [\"vendor/dispensers.sh\", \"vendor/service.sh\"]\n");
    std::fs::write(&agent.config, toml).unwrap();
    std::fs::write(dir.path().join("state/dispenser-off"), "").unwrap();
    let (code, out, _) = agent.run(&["cloud", "check", "--json"]);
    assert_eq!(code, 1, "{out}");
    let report = parsed(&out);
    let vendors: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "vendor")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_owned();
            (s("id"), s("problem"), s("message"))
        })
        .collect();
    assert_eq!(vendors.len(), 2, "{vendors:?}");
    assert_eq!(
        (vendors[0].0.as_str(), vendors[0].1.as_str()),
        ("disp-1", "vehicle_identification_off")
    );
    assert_eq!(vendors[1].1, "check_failed");
    assert!(
        vendors[1].2.contains("service.sh") && vendors[1].2.contains("sync service not running"),
        "{vendors:?}"
    );
    let (code, _, err) = agent.run(&connect);
    assert!(code == 1 && err.contains("DATA_CHECK_FAILED"), "{err}");
    // The dispenser set up, the service running: the checks pass.
    std::fs::remove_file(dir.path().join("state/dispenser-off")).unwrap();
    script(&vendor.join("service.sh"), "exit 0");
    assert!(
        agent
            .expect(0, &["cloud", "check"])
            .contains("data check: ok")
    );
    // The cloud needs the program at 1.2.11 or later (seed 000), and this site runs 1.2.9:
    // the program runs on, its status says so, and the connection is refused until the
    // update.
    server
        .block_on(
            server
                .api()
                .set_cloud_minimum_version("ssm2", Some("1.2.11")),
        )
        .unwrap();
    let toml = std::fs::read_to_string(&agent.config).unwrap();
    std::fs::write(
        &agent.config,
        format!("{toml}product_version = \"1.2.9\"\n"),
    )
    .unwrap();
    agent.expect(0, &["validate"]);
    let s = agent.status_json(0);
    assert_eq!(
        (
            &s["may_run"],
            &s["update_required"],
            &s["cloud_minimum_version"],
            &s["cloud_update_required"]
        ),
        (
            &json!(true),
            &Value::Null,
            &json!("1.2.11"),
            &json!("1.2.11")
        )
    );
    let human = agent.expect(0, &["status"]);
    assert!(
        human.contains("cloud:          UPDATE_REQUIRED: version 1.2.11 or later is needed"),
        "{human}"
    );
    let (code, _, err) = agent.run(&connect);
    assert!(
        code == 1 && err.contains("UPDATE_REQUIRED") && err.contains("1.2.11"),
        "{err}"
    );
    std::fs::write(
        &agent.config,
        format!("{toml}product_version = \"1.2.11\"\n"),
    )
    .unwrap();
    assert_eq!(agent.status_json(0)["cloud_update_required"], Value::Null);
    let connected = agent.expect(0, &connect);
    assert!(connected.starts_with("connected: site "), "{connected}");
    let status = parsed(&agent.expect(0, &["cloud", "status", "--json"]));
    assert_eq!(
        (status["connected"].clone(), status["state"].clone()),
        (json!(true), json!("trialing"))
    );

    // The first push is the site's first sync.
    let first = parsed(&agent.expect(0, &["sync", "push", "--json"]));
    assert_eq!(first["pushed"]["applied"], 4, "{first}");
    let again = parsed(&agent.expect(0, &["sync", "push", "--json"]));
    assert_eq!(again["batches"], 0, "nothing changed: {again}");

    // The product changes a driver and deletes a transaction.
    write(
        &data.join("drivers/d1.json"),
        &json!({"ibutton": "A1", "name": "Anna Maria"}),
    );
    std::fs::remove_file(data.join("transactions/t1.json")).unwrap();
    let pushed = agent.expect(0, &["sync", "push"]);
    assert!(pushed.contains("pushed 1 batch(es): 2 applied"), "{pushed}");
    let pulled = parsed(&agent.expect(0, &["sync", "pull", "--json"]));
    assert_eq!(pulled["cursor"], 6, "{pulled}");
    let sync = parsed(&agent.expect(0, &["sync", "status", "--json"]));
    assert_eq!(sync["state"], "idle", "{sync}");
    assert_eq!(sync["outbox_pending"], 0);
    assert!(
        agent
            .expect(0, &["sync", "status"])
            .contains("sync:      idle")
    );

    // The data directory is lost: a restore brings it back from the cloud.
    std::fs::remove_dir_all(&data).unwrap();
    let restored = agent.expect(0, &["sync", "restore"]);
    assert!(restored.starts_with("restored 4 record(s)"), "{restored}");
    let read = |p: &str| parsed(&std::fs::read_to_string(data.join(p)).unwrap());
    assert_eq!(read("drivers/d1.json")["name"], "Anna Maria");
    assert_eq!(read("drivers/d2.json")["ibutton"], "B2");
    assert_eq!(read("users/u%2F1.json")["nickname"], "jack");
    assert!(
        !data.join("transactions/t1.json").exists(),
        "deleted in the cloud"
    );
    let again = parsed(&agent.expect(0, &["sync", "push", "--json"]));
    assert_eq!(
        again["batches"], 0,
        "the restored files are what the cloud holds"
    );

    // Two drivers with 40 KiB notes: their batch is over the server's limit, push after
    // push.
    for id in ["d3", "d4"] {
        let notes = "n".repeat(40 * 1024);
        write(
            &data.join(format!("drivers/{id}.json")),
            &json!({"ibutton": format!("IB-{id}"), "name": id, "notes": notes}),
        );
    }
    for _ in 0..2 {
        let (code, _, err) = agent.run(&["sync", "push"]);
        assert_eq!(code, 1);
        assert!(err.contains("BODY_TOO_LARGE"), "{err}");
    }
    // The status says why nothing leaves.
    let (code, out, _) = agent.run(&["sync", "status"]);
    assert_eq!(code, 1, "the error state: {out}");
    assert!(out.contains("reason:    BODY_TOO_LARGE"), "{out}");
    let outbox = parsed(&agent.expect(0, &["sync", "outbox", "--json"]));
    assert_eq!(outbox["pending"], 2, "{outbox}");
    let batch_id = outbox["batch"]["batch_id"].as_str().unwrap().to_owned();
    assert_eq!(outbox["batch"]["changes"][0]["id"], "d3");
    assert!(
        agent
            .expect(0, &["sync", "outbox"])
            .contains("  drivers/d4 (upsert, based on version 0)")
    );
    // Taken back: the next push records the records again as their files then are.
    let (code, _, err) = agent.run(&["sync", "take-back", "b-not-this-one"]);
    assert_eq!(code, 1);
    assert!(err.contains("BATCH_NOT_OPEN"), "{err}");
    let taken = agent.expect(0, &["sync", "take-back", &batch_id]);
    assert!(
        taken.starts_with(&format!("taken back: batch {batch_id}, 2 change(s)")),
        "{taken}"
    );
    let outbox = parsed(&agent.expect(0, &["sync", "outbox", "--json"]));
    assert_eq!(
        (outbox["pending"].clone(), outbox["batch"].clone()),
        (json!(0), Value::Null)
    );
    // d3 left as it is (alone it fits), d4's file removed: d3 is recorded again, and d4,
    // which the cloud never held, is nothing to send.
    std::fs::remove_file(data.join("drivers/d4.json")).unwrap();
    let pushed = parsed(&agent.expect(0, &["sync", "push", "--json"]));
    assert_eq!(
        (
            pushed["batches"].clone(),
            pushed["applied"].clone(),
            pushed["unchanged"].clone()
        ),
        (json!(1), json!(1), json!(0)),
        "d3 only: {pushed}"
    );
    assert_eq!(pushed["pending"], 0);
    let again = parsed(&agent.expect(0, &["sync", "push", "--json"]));
    assert_eq!(again["batches"], 0, "nothing left to send: {again}");
}
