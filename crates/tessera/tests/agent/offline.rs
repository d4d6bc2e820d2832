//! An air-gapped site (X1): the agent knows no server that answers; it writes a request
//! file, the vendor's operator answers it with `tessera offline answer`, the agent imports
//! the response and runs on it; later it renews by file, answered by the account's
//! superadmin through the portal API. A tampered response is refused.

use std::process::Command;

use tessera_api::LoginRequest;
use tessera_testkit::{Backend, DataPlace};

use crate::server::{dead_server, serve};
use crate::site::Agent;
use crate::vendor::vendor_setup;
use crate::{BIN, EMAIL};

/// `tessera` as the vendor's operator runs it against `url`, with its token.
fn operator(url: &str, token: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("TESSERA_SERVER", url)
        .env("TESSERA_TOKEN", token)
        .output()
        .expect("tessera runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

pub(crate) fn air_gapped_story(backend: Backend) {
    let Some(place) = DataPlace::new(backend) else {
        return; // PgCluster::shared() printed why.
    };
    let server = serve(place.data_dir(), place.database_url.as_deref());
    let (vendor, keys) = vendor_setup(&server.url);
    let token = vendor.api.token().unwrap().to_owned();
    let site_dir = tempfile::tempdir().unwrap();
    // The site's only server never answers: it has no way out.
    let agent = Agent::new(site_dir.path(), &[&dead_server()]);
    // The vendor's public keys come with the product (fetched here once, as a vendor
    // would put them in its installer).
    agent.expect(0, &["trust", "--from", &server.url]);
    let file = |name: &str| site_dir.path().join(name).to_str().unwrap().to_owned();

    // Before the vendor allows it, a request file is refused with a clear code.
    agent.expect(
        0,
        &[
            "offline",
            "request",
            "--email",
            EMAIL,
            "--key",
            &keys[0],
            "--out",
            &file("early.json"),
        ],
    );
    let (code, _, err) = operator(
        &server.url,
        &token,
        &[
            "offline",
            "answer",
            &file("early.json"),
            "--out",
            &file("none.json"),
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("OFFLINE_NOT_ALLOWED"), "{err}");
    let (code, out, err) = operator(
        &server.url,
        &token,
        &[
            "offline",
            "policy",
            "crm",
            "--policy",
            "periodic",
            "--check-days",
            "90",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("periodic") && out.contains("90"), "{out}");

    let written = agent.expect(
        0,
        &[
            "offline",
            "request",
            "--email",
            EMAIL,
            "--key",
            &keys[0],
            "--out",
            &file("request.json"),
        ],
    );
    assert!(written.contains("request written to"), "{written}");
    let request = std::fs::read_to_string(file("request.json")).unwrap();
    assert!(request.contains("tessera-offline-request/v1") && request.contains(EMAIL));
    let (code, _, err) = operator(
        &server.url,
        &token,
        &[
            "offline",
            "answer",
            &file("request.json"),
            "--out",
            &file("response.json"),
        ],
    );
    assert_eq!(code, 0, "{err}");

    // A response edited on the way is refused and changes nothing.
    let response = std::fs::read_to_string(file("response.json")).unwrap();
    let tampered = response.replacen("\"payload\": \"ey", "\"payload\": \"ex", 1);
    assert_ne!(tampered, response);
    std::fs::write(file("tampered.json"), tampered).unwrap();
    let (code, _, err) = agent.run(&["offline", "import", &file("tampered.json")]);
    assert_eq!(code, 1);
    assert!(err.contains("OFFLINE_RESPONSE_INVALID"), "{err}");
    assert_eq!(agent.status_json(3)["state"], "not_activated");

    let imported = agent.expect(0, &["offline", "import", &file("response.json")]);
    assert!(
        imported.starts_with("imported: activation by file, site "),
        "{imported}"
    );
    let s = agent.status_json(0);
    assert_eq!(s["state"], "valid");
    assert_eq!(s["may_run"], true);
    assert_eq!(s["product"], "crm");
    assert_eq!(s["offline"], "periodic");
    let due = s["offline_revalidate_by"].as_str().unwrap().to_owned();
    let days = s["days_left"].as_u64().unwrap();
    assert!((99..=100).contains(&days), "90 days and 10 of grace: {s}");
    let human = agent.expect(0, &["status"]);
    assert!(
        human.contains("offline:        licence by file: revalidate"),
        "{human}"
    );
    // Validating online fails (no server answers) and the licence still stands.
    let (code, _, _) = agent.run(&["validate"]);
    assert_eq!(code, 1);
    assert_eq!(agent.status_json(0)["state"], "valid");

    // Renewal by file, answered by the account's superadmin on the portal API.
    agent.expect(
        0,
        &[
            "offline",
            "request",
            "--revalidate",
            "--out",
            &file("renew.json"),
        ],
    );
    let renew = std::fs::read(file("renew.json")).unwrap();
    let login = LoginRequest {
        username: "jack".into(),
        password: tessera_testkit::fixtures::PASSWORD.into(),
        language: None,
    };
    let jack = vendor.run("login", vendor.api.anonymous().account_login(&login));
    let jack = vendor.api.with_token(jack.token);
    let (new, answer) = vendor.run("answer", jack.answer_own_offline_request(&renew));
    assert!(new);
    assert!(answer.contains(s["site_id"].as_str().unwrap()));
    std::fs::write(file("renewed.json"), answer).unwrap();
    let imported = agent.expect(0, &["offline", "import", &file("renewed.json")]);
    assert!(
        imported.starts_with("imported: revalidation by file"),
        "{imported}"
    );
    let renewed = agent.status_json(0);
    assert_eq!(renewed["state"], "valid");
    assert_eq!(renewed["site_id"], s["site_id"]);
    assert!(renewed["offline_revalidate_by"].as_str().unwrap() >= due.as_str());
    // The same response cannot be imported twice.
    let (code, _, err) = agent.run(&["offline", "import", &file("renewed.json")]);
    assert_eq!(code, 1);
    assert!(err.contains("OFFLINE_NO_PENDING_REQUEST"), "{err}");

    // The machine gives its licence up so the key can move: deleted here at once, and the
    // operator's answer to the file releases the installation.
    let given_up = agent.expect(
        0,
        &[
            "offline",
            "request",
            "--deactivate",
            "--out",
            &file("release.json"),
        ],
    );
    assert!(
        given_up.contains("the licence on this machine is deleted"),
        "{given_up}"
    );
    assert_eq!(agent.status_json(3)["state"], "not_activated");
    let (code, _, err) = operator(
        &server.url,
        &token,
        &[
            "offline",
            "answer",
            &file("release.json"),
            "--out",
            &file("receipt.json"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let site_id = s["site_id"].as_str().unwrap();
    assert!(
        err.contains(&format!("site {site_id} released from its machine")),
        "{err}"
    );
    let receipt = std::fs::read_to_string(file("receipt.json")).unwrap();
    assert!(receipt.contains("tessera-offline-release/v1"), "{receipt}");
}
