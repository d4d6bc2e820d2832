//! Webhooks in the console (X7, at parity with `tessera webhooks`): refusals at their field
//! with what was typed kept; an endpoint registered with its secret shown on that answer
//! only; an event's delivery listed with its failed attempt, sent again, and the endpoint
//! deleted. Without an operator's session nothing is read or deleted.

use jiff::SignedDuration;
use reqwest::StatusCode;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::visitor::Visitor;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_registers_an_endpoint_reads_its_deliveries_and_deletes_it() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |c| c.webhooks.allow_http_loopback = true).await else {
            continue;
        };
        let mut v = operator(&app).await;
        let page = v.get("/operator/webhooks").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(
            page.text.contains("href=\"/operator/webhooks\""),
            "in the nav"
        );
        assert!(!page.text.contains("data-webhook="), "none yet");
        let csrf = page.hidden("csrf").unwrap();
        let form = |url: &str, events: &[&str]| {
            let mut f = vec![("csrf", csrf.clone()), ("url", url.to_owned())];
            f.extend(events.iter().map(|e| ("events", (*e).to_owned())));
            f
        };

        // A plain-http address elsewhere than loopback: refused at the field, typed kept.
        let refused = v
            .post_form(
                "/operator/webhooks",
                &form("http://erp.vendor.example/hook", &["order.paid"]),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.error_at("url").is_some(), "{}", refused.text);
        assert!(
            refused
                .text
                .contains("value=\"http://erp.vendor.example/hook\"")
        );
        assert!(
            refused
                .text
                .contains("name=\"events\" value=\"order.paid\" checked"),
            "the ticked event kept"
        );
        // No event ticked.
        let refused = v
            .post_form("/operator/webhooks", &form("http://127.0.0.1:1/hook", &[]))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.error_at("events").is_some(), "{}", refused.text);
        assert!(app.api().webhooks().await.unwrap().webhooks.is_empty());

        // Registered (to a port nothing listens on): the secret on this answer only.
        let created = v
            .post_form(
                "/operator/webhooks",
                &form("http://127.0.0.1:1/hook", &["*"]),
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.text);
        assert_eq!(
            created.headers.get("cache-control").unwrap(),
            "no-store",
            "the secret is not kept on the way"
        );
        let secret = created
            .text
            .split("data-secret>")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap()
            .to_owned();
        assert!(
            secret.starts_with("whsec_") && secret.len() > 60,
            "{secret}"
        );
        let listed = app.api().webhooks().await.unwrap().webhooks;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].events, ["*"]);
        let id = listed[0].id;
        let page = v.get("/operator/webhooks").await;
        assert!(page.text.contains(&format!("data-webhook=\"{id}\"")));
        assert!(page.text.contains("every event (*)"));
        assert!(!page.text.contains("whsec_"), "never shown again");

        // An event: its delivery is tried, fails, and is listed with the error.
        let release = tessera_api::NewRelease {
            version: "1.2.11".into(),
            channel: None,
            notes: String::new(),
            url: "https://downloads.vendor.example/crm-1.2.11.exe".into(),
            sha256: None,
            editions: Vec::new(),
        };
        tessera_testkit::scenarios::account_with_sites(&app, 1).await;
        app.api().publish_release("crm", &release).await.unwrap();
        app.clock.advance(SignedDuration::from_secs(5));
        app.run_jobs().await;
        let endpoint = format!("/operator/webhooks/{id}");
        let page = v.get(&endpoint).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let delivery = app.api().webhook_deliveries(id).await.unwrap().deliveries;
        let published = delivery
            .iter()
            .find(|d| d.event == "release.published")
            .expect("the release's delivery");
        assert_eq!(published.attempts, 1);
        assert!(
            page.text.contains(&format!(
                "data-delivery=\"{}\" data-state=\"pending\"",
                published.id
            )),
            "{}",
            page.text
        );
        assert!(page.text.contains("release.published"));
        assert!(page.text.contains("next attempt"), "the retry's time");
        let error = published.last_error.clone().expect("why it failed");
        assert!(!error.is_empty());

        // Sent again by hand: due now, back to the endpoint's page.
        let replayed = v
            .post(
                &format!("/operator/webhook-deliveries/{}/replay", published.id),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(replayed.location(), format!("{endpoint}?done=replayed"));
        let page = v.get(&format!("{endpoint}?done=replayed")).await;
        assert!(page.text.contains("sent again now"), "{}", page.text);

        // Without an operator's session: nothing read, nothing deleted.
        let mut stranger = Visitor::new(&app);
        let other = stranger.get("/operator/webhooks").await;
        assert_ne!(other.status, StatusCode::OK);
        assert!(!other.text.contains("data-webhook="));
        let other = stranger
            .post(&format!("{endpoint}/delete"), &[("csrf", &csrf)])
            .await;
        assert!(other.status.is_client_error() || other.status.is_redirection());
        assert_eq!(app.api().webhooks().await.unwrap().webhooks.len(), 1);

        // Deleted.
        let deleted = v
            .post(&format!("{endpoint}/delete"), &[("csrf", &csrf)])
            .await;
        assert_eq!(deleted.location(), "/operator/webhooks?done=deleted");
        assert!(app.api().webhooks().await.unwrap().webhooks.is_empty());
        let gone = v.get(&endpoint).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        app.stop().await;
    }
}
