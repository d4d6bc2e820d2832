//! The customer's side: registered and activated over the API, then the operator handles the
//! account, the installation and the signing keys with the command line.

use tessera_api::ActivationRequest;
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

    let suspended = success(run(server, Some(token), &["sites", "suspend", site]));
    assert!(
        suspended.contains("\"status\": \"suspended\""),
        "{suspended}"
    );
    let resumed = success(run(server, Some(token), &["sites", "resume", site]));
    assert!(resumed.contains("\"status\": \"active\""), "{resumed}");
    let expiring = success(run(
        server,
        Some(token),
        &["sites", "expiry", site, "--at", "2030-01-01T00:00:00Z"],
    ));
    assert!(expiring.contains("2030-01-01T00:00:00Z"), "{expiring}");
    let released = success(run(server, Some(token), &["sites", "deactivate", site]));
    assert!(
        released.contains("\"status\": \"deactivated\""),
        "{released}"
    );
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
    let rotated = success(run(server, Some(token), &["signing-keys", "rotate"]));
    assert!(rotated.contains("\"active\": true"), "{rotated}");
    let retired = success(run(
        server,
        Some(token),
        &["signing-keys", "retire", &first],
    ));
    assert!(
        retired.contains("retired_at") && !retired.contains("\"retired_at\": null"),
        "{retired}"
    );
}
