//! Webhooks (X7), on both backends, with a receiver written apart from Tessera (Python, its
//! own hmac): an endpoint registered (bad addresses and events refused), business events
//! made while the receiver is down are attempted and kept, and once it is back every event
//! arrives once, each subject's in order, every signature valid; a delivery sent again by
//! hand arrives again under the same event id.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::Value;
use tessera_api::NewWebhook;

use crate::fixtures::*;
use crate::harness::*;

both_backends!(every_event_reaches_a_receiver_that_was_down_once_and_in_order with loopback);
both_backends!(a_licence_running_out_by_its_date_is_an_event_once);

fn loopback(config: &mut tessera_server::Config) {
    config.webhooks.allow_http_loopback = true;
}

/// The Python receiver, killed when dropped.
struct Receiver {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Receiver {
    /// Started down (answering 503).
    fn start() -> Receiver {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("down"), "").unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/webhooks/receiver.py");
        let child = Command::new("python3")
            .arg(script)
            .arg(dir.path())
            .spawn()
            .expect("python3 runs the receiver");
        let port_file = dir.path().join("port");
        for _ in 0..200 {
            if port_file.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let port = std::fs::read_to_string(port_file)
            .expect("the receiver started")
            .parse()
            .unwrap();
        Receiver { child, dir, port }
    }

    fn knows(&self, secret: &str) {
        std::fs::write(self.dir.path().join("secret"), secret).unwrap();
    }

    fn up(&self) {
        std::fs::remove_file(self.dir.path().join("down")).unwrap();
    }

    /// What it got, in the order it got it.
    fn got(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("log"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

fn hook(url: &str, events: &[&str]) -> NewWebhook {
    NewWebhook {
        url: url.into(),
        events: events.iter().map(|e| e.to_string()).collect(),
    }
}

async fn every_event_reaches_a_receiver_that_was_down_once_and_in_order(mut app: TestApp) {
    let api = app.api();
    for (h, code) in [
        (
            hook("http://erp.vendor.example/hooks", &["*"]),
            "WEBHOOK_URL_INVALID",
        ),
        (
            hook("https://erp.vendor.example/hooks", &["site.exploded"]),
            "WEBHOOK_EVENTS_INVALID",
        ),
        (
            hook("https://erp.vendor.example/hooks", &[]),
            "WEBHOOK_EVENTS_INVALID",
        ),
    ] {
        refused(
            api.create_webhook(&h).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        );
    }
    refused(
        app.api_as(None).webhooks().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );

    // The receiver, down; the endpoint's secret is in the registration's answer only.
    let receiver = Receiver::start();
    let url = format!("http://127.0.0.1:{}/tessera", receiver.port);
    let endpoint = api.create_webhook(&hook(&url, &["*"])).await.unwrap();
    let secret = endpoint.secret.clone().expect("the secret, once");
    assert!(
        secret.starts_with("whsec_") && secret.len() > 60,
        "{secret}"
    );
    receiver.knows(&secret);
    let listed = api.webhooks().await.unwrap();
    assert_eq!(listed.webhooks.len(), 1);
    assert_eq!(listed.webhooks[0].secret, None, "never shown again");
    // Another endpoint, for one event only, deleted: it gets nothing.
    let other = api
        .create_webhook(&hook("https://erp.vendor.example/hooks", &["order.paid"]))
        .await
        .unwrap();
    api.delete_webhook(other.id).await.unwrap();
    refused(
        api.delete_webhook(other.id).await,
        StatusCode::NOT_FOUND,
        "WEBHOOK_NOT_FOUND",
    );

    // Business events while it is down: an account registered with two sites, one
    // activated, suspended and resumed.
    let sites = account_with_sites(&app, 2).await;
    api.suspend_site(&sites[0]).await.unwrap();
    api.resume_site(&sites[0]).await.unwrap();
    // (The job runs once per 5-second period of the test's clock.)
    app.clock.advance(SignedDuration::from_secs(5));
    app.run_jobs().await;
    let pending = api
        .webhook_deliveries(endpoint.id)
        .await
        .unwrap()
        .deliveries;
    assert!(pending.len() >= 4, "{pending:?}");
    let tried: Vec<_> = pending.iter().filter(|d| d.attempts > 0).collect();
    assert!(!tried.is_empty());
    for d in &tried {
        assert_eq!(
            (d.state.as_str(), d.last_status),
            ("pending", Some(503)),
            "{d:?}"
        );
    }
    assert!(receiver.got().is_empty());

    // Back up; the retries come due.
    receiver.up();
    app.clock.advance(SignedDuration::from_mins(2));
    app.run_jobs().await;
    app.sign_in().await;
    let api = app.api();
    let deliveries = api
        .webhook_deliveries(endpoint.id)
        .await
        .unwrap()
        .deliveries;
    assert!(
        deliveries.iter().all(|d| d.state == "delivered"),
        "{deliveries:?}"
    );
    let got = receiver.got();
    assert_eq!(got.len(), deliveries.len(), "each once: {got:?}");
    assert!(
        got.iter().all(|g| g["valid"] == true),
        "signatures: {got:?}"
    );
    assert!(
        got.iter()
            .all(|g| g["header_id"].as_str() == Some(g["id"].to_string().as_str())),
        "the header names the body's event"
    );
    let mut ids: Vec<i64> = got.iter().map(|g| g["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), got.len(), "no event twice");
    let kinds: Vec<&str> = got.iter().map(|g| g["event"].as_str().unwrap()).collect();
    for kind in [
        "account.registered",
        "site.activated",
        "site.suspended",
        "site.resumed",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    // Each subject's events in the order they happened.
    let mut by_subject: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for g in &got {
        by_subject
            .entry(g["subject"].as_str().unwrap().to_owned())
            .or_default()
            .push(g["id"].as_i64().unwrap());
    }
    for (subject, ids) in &by_subject {
        assert!(ids.is_sorted(), "{subject}: {ids:?}");
    }
    let site = &by_subject[&format!("site:{}", sites[0])];
    assert!(site.len() >= 3, "activated, suspended, resumed: {site:?}");

    // Sent again by hand: the receiver gets the same event id a second time.
    let first = deliveries.last().unwrap();
    let again = api.replay_webhook_delivery(first.id).await.unwrap();
    assert_eq!(again.state, "pending");
    app.clock.advance(SignedDuration::from_secs(10));
    app.run_jobs().await;
    let got = receiver.got();
    let times = got.iter().filter(|g| g["id"] == first.event_id).count();
    assert_eq!(times, 2, "{got:?}");
    refused(
        api.replay_webhook_delivery(first.id + 1000).await,
        StatusCode::NOT_FOUND,
        "WEBHOOK_DELIVERY_NOT_FOUND",
    );

    // A month on, the daily purge forgets the deliveries made and their events.
    app.clock.advance(SignedDuration::from_hours(24 * 31));
    app.run_jobs().await;
    app.sign_in().await;
    let kept = app.api().webhook_deliveries(endpoint.id).await.unwrap();
    assert!(kept.deliveries.is_empty(), "{kept:?}");
    app.stop().await;
}

/// The `site.expired` event of the expiry job (hourly): once for an expiry date, however
/// often the job runs; again when a later date set afterwards passes too.
async fn a_licence_running_out_by_its_date_is_an_event_once(app: TestApp) {
    let api = app.api();
    let endpoint = api
        .create_webhook(&hook("https://erp.vendor.example/hooks", &["site.expired"]))
        .await
        .unwrap();
    let sites = account_with_sites(&app, 2).await;
    let expiry = |hours: i64| tessera_api::SetExpiry {
        expires_at: Some(
            (tessera_core::Clock::now(&*app.clock) + SignedDuration::from_hours(hours)).to_string(),
        ),
    };
    api.set_site_expiry(&sites[0], &expiry(1)).await.unwrap();
    api.set_site_expiry(&sites[1], &expiry(24 * 30))
        .await
        .unwrap();
    let expired = || async {
        app.api()
            .webhook_deliveries(endpoint.id)
            .await
            .unwrap()
            .deliveries
            .into_iter()
            .map(|d| (d.event, d.subject))
            .collect::<Vec<_>>()
    };
    app.run_jobs().await;
    assert_eq!(expired().await, [], "not yet");
    for _ in 0..3 {
        app.clock.advance(SignedDuration::from_hours(2));
        app.run_jobs().await;
    }
    let once = vec![("site.expired".to_owned(), format!("site:{}", sites[0]))];
    assert_eq!(expired().await, once);
    // Extended, and that date passes too: a second event.
    api.set_site_expiry(&sites[0], &expiry(1)).await.unwrap();
    app.clock.advance(SignedDuration::from_hours(2));
    app.run_jobs().await;
    assert_eq!(expired().await.len(), 2);
    app.stop().await;
}
