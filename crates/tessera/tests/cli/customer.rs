//! The customer's side: registered and activated over the API, then the operator handles the
//! account, the installation and the signing keys with the command line.

use tessera_api::{ActivationRequest, PublicKeyInfo, Site};
use tessera_api_client::ApiClient;

use crate::server::{Server, run, success};

/// A customer registers and activates over the API; the operator handles the account, the
/// installation and the signing keys with the command line.
pub(crate) fn customer_commands(server: &Server, token: &str, key: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let api = ApiClient::new(&server.url);
    let registration =
        tessera_testkit::fixtures::registration("rossi", "rossi@example.com", "00743110157", key);
    let account = runtime
        .block_on(api.register(&registration))
        .unwrap_or_else(|e| panic!("registration: {e}"));
    let id = account.id.to_string();
    let activation = ActivationRequest {
        email: Some("rossi@example.com".into()),
        vat_number: None,
        product_key: key.into(),
        fingerprint: "ab".repeat(32),
        installation: None,
    };
    let activated = runtime
        .block_on(api.activate(&activation))
        .unwrap_or_else(|e| panic!("activation: {e}"));
    let site = activated.site_id.as_str();

    let list = success(run(
        server,
        Some(token),
        &["accounts", "list", "--search", "Rossi T"],
    ));
    assert!(
        list.contains("rossi@example.com") && list.contains("IT00743110157"),
        "{list}"
    );
    let shown = success(run(server, Some(token), &["accounts", "show", &id]));
    assert!(shown.contains(site), "{shown}");

    let site_json = |args: &[&str]| -> Site {
        let args = [args, &["--json"]].concat();
        serde_json::from_str(&success(run(server, Some(token), &args))).unwrap()
    };
    let suspended = success(run(server, Some(token), &["sites", "suspend", site]));
    assert!(
        suspended
            .lines()
            .any(|l| l.contains("| status ") && l.contains("suspended")),
        "{suspended}"
    );
    let resumed = site_json(&["sites", "resume", site]);
    assert_eq!(resumed.status, "active");
    let expiring = site_json(&["sites", "expiry", site, "--at", "2030-01-01T00:00:00Z"]);
    assert_eq!(expiring.expires_at.as_deref(), Some("2030-01-01T00:00:00Z"));
    let released = site_json(&["sites", "deactivate", site]);
    assert_eq!(released.status, "deactivated");
    let again = run(server, Some(token), &["sites", "deactivate", site]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("409 SITE_NOT_ACTIVE"));

    let before = success(run(server, Some(token), &["signing-keys", "list"]));
    let first = before
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.len() == 16 && w.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .expect("a key id")
        .to_owned();
    let key = |args: &[&str]| -> PublicKeyInfo {
        let args = [args, &["--json"]].concat();
        serde_json::from_str(&success(run(server, Some(token), &args))).unwrap()
    };
    let rotated = key(&["signing-keys", "rotate"]);
    assert!(rotated.active, "{rotated:?}");
    let retired = key(&["signing-keys", "retire", &first]);
    assert!(retired.retired_at.is_some(), "{retired:?}");
}
