//! The agent's story on one backend: trust, activation with failover past a dead server,
//! status, server selection, connection tests, the service, a suspension, the release.
// serde_json values only as the expected `status --json` output, never as requests.

use serde_json::{Value, json};
use tessera_testkit::{Backend, DataPlace};

use crate::EMAIL;
use crate::server::{dead_server, serve};
use crate::site::{Agent, run_as_a_service};
use crate::vendor::vendor_setup;

pub(crate) fn agent_story(backend: Backend) {
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

    // The vendor needs 1.2.11 or later and has published 1.3.0 (X6); this site runs 1.2.9.
    let release = tessera_api::NewRelease {
        version: "1.3.0".into(),
        channel: None,
        notes: "Faster reports.".into(),
        url: "https://downloads.vendor.example/crm-1.3.0.exe".into(),
        sha256: None,
        editions: Vec::new(),
    };
    vendor.run("release", vendor.api.publish_release("crm", &release));
    vendor.run(
        "minimum",
        vendor.api.set_minimum_version("crm", Some("1.2.11")),
    );
    let mut toml = std::fs::read_to_string(&agent.config).unwrap();
    toml.push_str("product_version = \"1.2.9\"\n");
    std::fs::write(&agent.config, &toml).unwrap();
    agent.expect(0, &["validate"]);
    let s = agent.status_json(0);
    assert_eq!(
        (
            &s["update_required"],
            &s["update_available"],
            &s["latest_version"]
        ),
        (&json!("1.2.11"), &json!("1.3.0"), &json!("1.3.0"))
    );
    let human = agent.expect(0, &["status"]);
    assert!(
        human.contains("update:         UPDATE_REQUIRED: version 1.2.11 or later is needed"),
        "{human}"
    );
    std::fs::write(&agent.config, toml.replace("1.2.9", "1.3.0")).unwrap();
    let s = agent.status_json(0);
    assert_eq!(
        (&s["update_required"], &s["update_available"]),
        (&Value::Null, &Value::Null)
    );

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
