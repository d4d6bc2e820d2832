//! Bad input and faults: a replayed response, tampered state, an unknown signing key, servers
//! that answer garbage, slowly or not at all. Each is a specific error; none panics, none
//! extends the grace period.
// Raw JSON once: the fake server's forged, unsigned validation document is meant to be bad.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::json;
use tessera_client::state_file::StateFile;
use tessera_client::{AccountRef, Client, ClientError, TrustStore};

use crate::support::*;

/// A fake server on 127.0.0.1:0 that answers each request with `answer` (raw HTTP), or holds
/// the connection without a word when it is None. Lives until the test process ends.
fn fake_server(answer: Option<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            read_request(&mut conn);
            match &answer {
                Some(bytes) => {
                    let _ = conn.write_all(bytes);
                }
                None => std::thread::sleep(Duration::from_secs(5)),
            }
        }
    });
    base
}

/// Reads one request (head and Content-Length body) so closing does not reset the client.
fn read_request(conn: &mut std::net::TcpStream) {
    let _ = conn.set_read_timeout(Some(Duration::from_millis(500)));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let Ok(n) = conn.read(&mut buf) else { return };
        if n == 0 {
            return;
        }
        got.extend_from_slice(&buf[..n]);
        let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if got.len() >= end + 4 + length {
            return;
        }
    }
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A server with product and account, and a machine activated on it.
fn activated() -> (DataPlace, TestServer, TrustStore, Machine) {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();
    let machine = Machine::new("machine-1");
    let client = machine.client(&[&server.base], &trust);
    client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    client.validate_now().unwrap();
    (place, server, trust, machine)
}

fn state_file(machine: &Machine) -> StateFile {
    let fp = tessera_client::fingerprint::fingerprint(SALT, &machine.machine_id);
    StateFile::new(machine.state_path(), SALT, &fp)
}

#[test]
fn a_recorded_response_played_back_is_rejected() {
    let (_place, server, trust, machine) = activated();
    // The response the client stored at its last validation, verbatim: a real, signed,
    // valid answer from the vendor's server, for this site and machine.
    let stored = state_file(&machine).load().unwrap().unwrap();
    let recorded = serde_json::to_vec(&stored.validation.unwrap()).unwrap();
    let replayer = fake_server(Some(http("200 OK", "application/json", &recorded)));

    let client = machine.client(&[&replayer], &trust);
    let deadline = client.status().deadline;
    machine.set_both(&server, start_time() + DAY * 3);
    let err = client.validate_now().unwrap_err();
    assert!(matches!(err, ClientError::NonceMismatch), "{err:?}");
    assert_eq!(err.code(), "NONCE_MISMATCH");
    assert_eq!(client.status().deadline, deadline, "grace never extended");

    // With the real server as backup, the replayer is skipped and the real answer counts.
    let client = machine.client(&[&replayer, &server.base], &trust);
    assert_eq!(client.validate_now().unwrap().server, server.base);
    server.stop();
}

#[test]
fn tampered_or_copied_state_files_are_rejected() {
    let (_place, server, trust, machine) = activated();
    let path = machine.state_path();
    let original = read(&path);

    // Any edit without the key.
    let text = String::from_utf8(original.clone()).unwrap();
    std::fs::write(&path, text.replacen(&server.base, "http://127.0.0.1:1", 1)).unwrap();
    let err = Client::open(machine.config(&[&server.base], &trust)).unwrap_err();
    assert!(matches!(err, ClientError::StateTampered), "{err:?}");

    // Someone who extracted the salt re-MACs a license granting another module: the
    // signature still refuses it.
    let file = state_file(&machine);
    let mut state = file.parse(&original).unwrap();
    let payload = String::from_utf8(B64.decode(&state.license.payload).unwrap()).unwrap();
    state.license.payload = B64.encode(payload.replace("\"mail\"", "\"fleet\""));
    std::fs::write(&path, file.render(&state)).unwrap();
    let err = Client::open(machine.config(&[&server.base], &trust)).unwrap_err();
    assert_eq!(err.code(), "LICENSE_INVALID", "{err:?}");

    // ...or splices in the stored response under another nonce.
    let mut state = file.parse(&original).unwrap();
    state.validation_nonce = Some("ab".repeat(32));
    std::fs::write(&path, file.render(&state)).unwrap();
    let err = Client::open(machine.config(&[&server.base], &trust)).unwrap_err();
    assert_eq!(err.code(), "NONCE_MISMATCH", "{err:?}");

    // Copied to another machine: another key, and the license names another fingerprint.
    std::fs::write(&path, &original).unwrap();
    let other = Machine::new("machine-2");
    std::fs::copy(&path, other.state_path()).unwrap();
    let err = Client::open(other.config(&[&server.base], &trust)).unwrap_err();
    assert!(matches!(err, ClientError::StateTampered), "{err:?}");

    // Not a state file at all.
    std::fs::write(&path, b"\x00\x01 not a state").unwrap();
    let err = Client::open(machine.config(&[&server.base], &trust)).unwrap_err();
    assert_eq!(err.code(), "STATE_CORRUPT");

    // The untouched file still opens.
    std::fs::write(&path, &original).unwrap();
    assert!(machine.client(&[&server.base], &trust).status().may_run());
    server.stop();
}

#[test]
fn a_license_or_response_signed_by_an_unknown_key_is_rejected() {
    let place = DataPlace::new(Backend::Sqlite).unwrap();
    let server = TestServer::start(&place);
    let op = server.operator();
    let keys = op.product_and_account(1);
    let trust = op.trust();

    // A client that trusts some other vendor's key only.
    let mut stranger = TrustStore::new();
    stranger.add(ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]).verifying_key());
    let machine = Machine::new("machine-1");
    let client = machine.client(&[&server.base], &stranger);
    let err = client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap_err();
    assert!(matches!(err, ClientError::UnknownSigningKey(_)), "{err:?}");
    assert!(!machine.state_path().exists(), "nothing stored");
    assert!(!client.status().may_run());

    // The real client; then the vendor rotates to a key this build does not ship.
    let client = machine.client(&[&server.base], &trust);
    client
        .activate(AccountRef::Email(EMAIL.into()), &keys[0])
        .unwrap();
    let deadline = client.status().deadline;
    op.rotate_signing_key();
    machine.set_both(&server, start_time() + DAY);
    let err = client.validate_now().unwrap_err();
    assert_eq!(err.code(), "UNKNOWN_SIGNING_KEY", "{err:?}");
    assert_eq!(client.status().deadline, deadline, "grace never extended");
    // With the new key shipped (an update), the same answer verifies.
    let client = machine.client(&[&server.base], &op.trust());
    client.validate_now().unwrap();
    server.stop();
}

#[test]
fn servers_answering_garbage_slowly_or_not_at_all_get_specific_errors() {
    let (_place, server, trust, machine) = activated();
    let deadline = machine.client(&[&server.base], &trust).status().deadline;
    let key_id = trust.key_ids().next().unwrap().to_owned();
    let unsigned = json!({"type": "tessera-validation/v2", "key_id": key_id,
        "payload": "e30=", "signature": "AAAA"});
    let cases: Vec<(&str, Option<Vec<u8>>, &str)> = vec![
        (
            "not JSON",
            Some(http("200 OK", "text/plain", b"hello")),
            "SERVER_BAD_RESPONSE",
        ),
        (
            "an HTML 500",
            Some(http(
                "500 Internal Server Error",
                "text/html",
                b"<h1>oops</h1>",
            )),
            "SERVER_BAD_RESPONSE",
        ),
        (
            "a Tessera 503",
            Some(http(
                "503 Service Unavailable",
                "application/json",
                br#"{"code":"UNAVAILABLE","message":"down"}"#,
            )),
            "SERVER_REFUSED",
        ),
        (
            "a bad signature",
            Some(http(
                "200 OK",
                "application/json",
                unsigned.to_string().as_bytes(),
            )),
            "RESPONSE_INVALID",
        ),
        (
            "a license for a validation",
            Some(http(
                "200 OK",
                "application/json",
                serde_json::to_vec(&state_file(&machine).load().unwrap().unwrap().license)
                    .unwrap()
                    .as_slice(),
            )),
            "RESPONSE_INVALID",
        ),
        (
            "two megabytes",
            Some(http("200 OK", "application/json", &vec![b' '; 2 << 20])),
            "SERVER_BAD_RESPONSE",
        ),
        (
            "not HTTP",
            Some(b"SSH-2.0-OpenSSH_9.2\r\n".to_vec()),
            "SERVER_BAD_RESPONSE",
        ),
        ("silence", None, "SERVER_TIMEOUT"),
    ];
    for (what, answer, code) in cases {
        let fake = fake_server(answer);
        let client = machine.client(&[&fake], &trust);
        let started = Instant::now();
        let err = client.validate_now().unwrap_err();
        assert_eq!(err.code(), code, "{what}: {err:?}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{what} took {:?}",
            started.elapsed()
        );
        assert_eq!(
            client.status().deadline,
            deadline,
            "{what}: grace never extended"
        );
        assert!(client.status().may_run());
    }
    server.stop();
}
