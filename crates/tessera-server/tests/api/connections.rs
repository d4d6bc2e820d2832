//! Slow and greedy clients (`[connections]`): half-sent heads are closed, trickled bodies get
//! 408, connections beyond the per-client cap are closed at once, and none of it keeps
//! another client from being answered. Connection handling does not touch storage, so these
//! run on SQLite only.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::fixtures::{IT_VATS, activate, fp, nonce, product_with_keys, register};
use crate::harness::*;

const PER_CLIENT: usize = 32;

fn tight(config: &mut Config) {
    config.connections.header_timeout_secs = 2;
    config.connections.request_timeout_secs = 2;
    config.connections.max_connections_per_client = PER_CLIENT;
}

async fn tight_app() -> TestApp {
    spawn_app(Backend::Sqlite, tight).await.unwrap()
}

fn address(app: &TestApp) -> SocketAddr {
    app.base.trim_start_matches("http://").parse().unwrap()
}

/// A connection from `source` (any 127.x.y.z is this machine).
async fn connect_from(source: Ipv4Addr, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((source, 0))).unwrap();
    socket.connect(to).await.unwrap()
}

/// Reads until the server closes the connection; what it sent, or None if it did not close
/// within `within`.
async fn closed_within(tcp: &mut TcpStream, within: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let read = tokio::time::timeout(within, tcp.read_to_end(&mut seen)).await;
    match read {
        Ok(_) => Some(String::from_utf8_lossy(&seen).into_owned()),
        Err(_) => None,
    }
}

/// A client of another address, for what the slow one must not block.
fn other_client() -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)))
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slowloris_client_does_not_stop_others() {
    let app = tight_app().await;
    let keys = product_with_keys(&app, "crm", 1, 0).await;
    let account = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let site = account.installations[0].site_id.clone();
    let activated = activate(&app, "jack@example.com", &keys[0], &fp('a')).await;
    assert_eq!(activated.status(), StatusCode::CREATED);

    // Three times the cap of half-sent request heads from one address.
    let to = address(&app);
    let mut slow = Vec::new();
    for _ in 0..PER_CLIENT * 3 {
        let mut tcp = connect_from(Ipv4Addr::LOCALHOST, to).await;
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(tcp);
    }
    // Those beyond the cap were closed as they came, without an answer.
    let mut refused = 0;
    for tcp in &mut slow[PER_CLIENT..] {
        if closed_within(tcp, Duration::from_millis(500)).await == Some(String::new()) {
            refused += 1;
        }
    }
    assert_eq!(
        refused,
        PER_CLIENT * 2,
        "connections over the cap are closed"
    );

    // Meanwhile another client is answered at once: health and a validation.
    let other = other_client();
    let started = Instant::now();
    let health = other.get(format!("{}/healthz", app.base)).send().await;
    assert_eq!(health.unwrap().status(), StatusCode::OK);
    let body = tessera_api::ValidationRequest {
        site_id: site,
        fingerprint: fp('a'),
        nonce: nonce(),
    };
    let validation = other
        .post(format!("{}/api/v1/validations", app.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(validation.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(1));

    // The half-sent heads within the cap are closed once the header timeout passes.
    for tcp in &mut slow[..PER_CLIENT] {
        let seen = closed_within(tcp, Duration::from_secs(5)).await;
        assert!(
            seen.is_some(),
            "a half-sent head is closed after the timeout"
        );
    }
    // And the slow address may connect again.
    let mut again = connect_from(Ipv4Addr::LOCALHOST, to).await;
    again
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = closed_within(&mut again, Duration::from_secs(1))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_body_gets_408_and_the_connection_is_closed() {
    let app = tight_app().await;
    let mut tcp = connect_from(Ipv4Addr::LOCALHOST, address(&app)).await;
    tcp.write_all(
        b"POST /api/v1/validations HTTP/1.1\r\nHost: x\r\n\
          Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = tcp.into_split();
    let trickle = async {
        loop {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if writer.write_all(b" ").await.is_err() {
                break;
            }
        }
    };
    let mut answer = Vec::new();
    tokio::select! {
        () = trickle => {}
        _ = reader.read_to_end(&mut answer) => {}
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"REQUEST_TIMEOUT\""), "{answer}");
    assert!(
        answer.to_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_body_closes_the_connection_and_says_so() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let client = reqwest::Client::new();
    // Refused before the body is read: no token.
    let refused = client
        .post(format!("{}/api/v1/products", app.base))
        .header("content-type", "application/json")
        .body(vec![b' '; 200_000])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.headers()["connection"], "close");
    // The next request of the same client goes through.
    let next = client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), StatusCode::OK);

    // A body read to its end keeps the connection open.
    let read = client
        .post(format!("{}/api/v1/validations", app.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(read.status().is_client_error());
    assert!(read.headers().get("connection").is_none());
}
