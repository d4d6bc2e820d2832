//! The overview's figures and alarms: validations counted per day as the validation times
//! are written, sites per state written by the `stats` job, a missed check and a licence
//! running out raised as alarms. Both backends: the figures are stored.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::Value;
use tessera_api::{SetExpiry, ValidationRequest};
use tessera_core::Clock;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::fp;
use tessera_testkit::{Backend, TestApp, spawn_app, until};

use crate::visitor::{Visitor, account_with_sites};

/// The active one of the account's sites (the first key's).
async fn active_site(app: &TestApp) -> String {
    let token = tessera_testkit::scenarios::account_login(app, "ib50").await;
    let sites = app.api_as(Some(&token)).own_sites().await.unwrap();
    sites
        .sites
        .into_iter()
        .find(|s| s.status == "active")
        .unwrap()
        .site_id
}

async fn charts(v: &mut Visitor, days: u16) -> Value {
    let page = v.get(&format!("/sites/charts.json?days={days}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    serde_json::from_str(&page.text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validations_and_states_are_counted_per_day_and_alarms_raised() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        account_with_sites(&app, 3).await;
        let active = active_site(&app).await;
        for i in 1..=3u32 {
            let check = ValidationRequest {
                site_id: active.clone(),
                fingerprint: fp('a'),
                nonce: format!("{i:064x}"),
            };
            app.api_as(None).validate(&check).await.unwrap();
        }
        let mut v = Visitor::new(&app);
        v.sign_in("ib50", PASSWORD).await;
        // The validation times are written in batches, a quarter of a second apart.
        let today = until("three validations counted", async || {
            let c = charts(&mut v, 3).await;
            (c["validations"][2] == 3).then_some(c)
        })
        .await;
        assert_eq!(today["days"].as_array().unwrap().len(), 3);
        assert_eq!(today["validations"], serde_json::json!([0, 0, 3]));
        assert_eq!(today["states"]["active"], serde_json::json!([0, 0, 1]));
        assert_eq!(today["states"]["registered"], serde_json::json!([0, 0, 2]));

        // The day's states stay on record once the day is over (the hourly job's run of the
        // next hour writes them; its run at the start saw no sites yet).
        app.clock.advance(SignedDuration::from_hours(1));
        app.run_jobs().await;
        app.clock.advance(SignedDuration::from_hours(23));
        app.run_jobs().await;
        v.sign_in("ib50", PASSWORD).await; // yesterday's session has expired
        let next = charts(&mut v, 3).await;
        assert_eq!(next["validations"], serde_json::json!([0, 3, 0]));
        assert_eq!(next["states"]["active"], serde_json::json!([0, 1, 1]));
        assert_eq!(next["states"]["registered"], serde_json::json!([0, 2, 2]));

        // Two more days without a check: overdue, and the lock counts down.
        app.clock.advance(SignedDuration::from_hours(48));
        v.sign_in("ib50", PASSWORD).await;
        let alarms = v.get("/sites?alarm=any").await;
        assert_eq!(
            alarms.text.matches("data-site=").count(),
            1,
            "{}",
            alarms.text
        );
        assert!(alarms.text.contains(&format!("data-site=\"{active}\"")));
        assert!(
            alarms.text.contains("No check for over two days: locks in"),
            "{}",
            alarms.text
        );

        // A licence ending in ten days (set by an operator, signed in again a few days on).
        app.sign_in().await;
        let ends = app.clock.now() + SignedDuration::from_hours(24 * 10);
        app.api()
            .set_site_expiry(
                &active,
                &SetExpiry {
                    expires_at: Some(ends.to_string()),
                },
            )
            .await
            .unwrap();
        let list = v.get("/sites").await;
        assert!(
            list.text.contains("Licence ends in 10 days"),
            "{}",
            list.text
        );
        assert!(list.text.contains("Sync: not enabled"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_are_the_accounts_and_need_a_sign_in() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let mut v = Visitor::new(&app);
    let anonymous = v.get("/sites/charts.json").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    v.sign_in("ib50", PASSWORD).await;
    let c = charts(&mut v, 90).await;
    assert_eq!(c["days"].as_array().unwrap().len(), 90);
    let page = v.get("/sites").await;
    assert!(page.text.contains("data-chart=\"validations\""));
    assert!(page.text.contains("data-chart=\"states\""));
}
