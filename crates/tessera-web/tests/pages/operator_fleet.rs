//! The fleet dashboard on both backends: a known fleet — two accounts, sites checked on
//! several days, overdue, locked and fresh, a trial bought and one still running out, an
//! invoice — and every figure exactly, from `GET /api/v1/fleet`, on `/operator/fleet` and
//! in its charts' JSON.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera_api::{Fleet, ValidationRequest};
use tessera_core::Clock;
use tessera_testkit::fixtures::IT_VATS;
use tessera_testkit::scenarios::{account_login, activate, batch_keys, fp, register};
use tessera_testkit::{Backend, TestApp, spawn_app, until};

use crate::cloud_given::{between, billing, customer, placed, signed_in, trial};
use crate::operator::operator;

fn day(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC).date().to_string()
}

fn month(t: Timestamp) -> String {
    day(t)[..7].to_owned()
}

async fn fleet(app: &mut TestApp, query: &str) -> Fleet {
    app.sign_in().await;
    app.api().fleet(query).await.unwrap()
}

/// Validates `site` (activated on machine `machine`) `times` times, then waits until the
/// fleet has counted `total` validations in all (the times are written in batches, to the
/// day they are written on: the clock must not move before).
async fn check(app: &mut TestApp, site: &str, machine: char, times: u32, total: i64) {
    for _ in 0..times {
        let nonce: u128 = rand_nonce();
        let request = ValidationRequest {
            site_id: site.to_owned(),
            fingerprint: fp(machine),
            nonce: format!("{nonce:064x}"),
        };
        app.api_as(None).validate(&request).await.unwrap();
    }
    app.sign_in().await;
    let api = app.api();
    until("the validations counted", async || {
        let f = api.fleet("?days=366").await.unwrap();
        (f.validations.iter().map(|d| d.validations).sum::<i64>() == total).then_some(())
    })
    .await;
}

fn rand_nonce() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    u128::from(N.fetch_add(1, Ordering::Relaxed)) << 64 | 0xfeed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_a_known_fleet_exactly() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(mut app) = spawn_app(backend, billing).await else {
            continue;
        };
        let t0 = app.clock.now();
        // ib50: four Standard sites activated now, a trial bought for them (an invoice).
        let (token, sites) = customer(&app, 4).await;
        trial(&app, &token).await;
        let mut v = signed_in(&app, "ib50").await;
        let (order, page) = placed(&mut v, &[("sites", "4")], &[]).await;
        let csrf = page.hidden("csrf").unwrap();
        let paid = v
            .post(&format!("/test-payments/{order}/pay"), &[("csrf", &csrf)])
            .await;
        assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text);
        // rossi: a Professional key, a trial that is never bought.
        let pro = batch_keys(&app, "ssm2", "pro", "s10", 1).await;
        let rossi = register(&app, "rossi", "office@rossi.example", IT_VATS[1], &pro[0]).await;
        let rossi_token = account_login(&app, "rossi").await;
        trial(&app, &rossi_token).await;
        assert_eq!(app.api().product("ssm2").await.unwrap().grace_days, 10);

        // 150 days on: A twice and B once today, A tomorrow, D three days later, A again
        // eight days after that (today: 12 days on). C never checks.
        let (a, b, d) = (&sites[0], &sites[1], &sites[3]);
        app.clock.advance(SignedDuration::from_hours(24 * 150));
        let s = app.clock.now();
        check(&mut app, a, '1', 2, 2).await;
        check(&mut app, b, '2', 1, 3).await;
        app.clock.advance(SignedDuration::from_hours(24));
        check(&mut app, a, '1', 1, 4).await;
        app.clock.advance(SignedDuration::from_hours(24 * 3));
        check(&mut app, d, '4', 1, 5).await;
        app.clock.advance(SignedDuration::from_hours(24 * 8));
        check(&mut app, a, '1', 1, 6).await;
        // rossi's site comes up today.
        let up = activate(&app, "office@rossi.example", &pro[0], &fp('e')).await;
        assert_eq!(up.status(), StatusCode::CREATED);
        app.run_jobs().await;
        let now = app.clock.now();

        let f = fleet(&mut app, "").await;
        let active: Vec<_> = f
            .active_sites
            .iter()
            .map(|a| (a.product.as_str(), a.edition.as_str(), a.sites))
            .collect();
        assert_eq!(active, [("ssm2", "std", 4), ("ssm2", "pro", 1)]);
        assert_eq!(f.active_total, 5);
        assert_eq!(
            (f.overdue_days, f.overdue, f.locked),
            (7, 3, 2),
            "B, C, D; B, C"
        );
        assert_eq!(f.validations.len(), 30);
        assert_eq!(f.validations.last().unwrap().day, day(now));
        let on = |t: Timestamp| {
            f.validations
                .iter()
                .find(|v| v.day == day(t))
                .map_or(0, |v| v.validations)
        };
        let one_day = SignedDuration::from_hours(24);
        assert_eq!(
            [on(s), on(s + one_day), on(s + one_day * 4), on(now)],
            [3, 1, 1, 1]
        );
        assert_eq!(f.validations.iter().map(|v| v.validations).sum::<i64>(), 6);
        assert_eq!(f.trials.len(), 12);
        let trials: Vec<_> = f
            .trials
            .iter()
            .filter(|t| t.started > 0)
            .map(|t| (t.month.as_str(), t.started, t.converted))
            .collect();
        assert_eq!(trials, [(month(t0).as_str(), 2, 1)]);
        let revenue: Vec<_> = f
            .revenue
            .iter()
            .map(|r| (r.month.as_str(), r.currency.as_str(), r.invoices, r.total))
            .collect();
        assert_eq!(revenue, [(month(t0).as_str(), "EUR", 1, 146_400)]);
        assert_eq!(f.expiring_count, 1, "rossi's trial ends within 30 days");
        assert_eq!(f.expiring[0].account_id, rossi.id);
        assert_eq!(f.expiring[0].state, "trialing");
        let outbox: Value = app.get("/api/v1/outbox").await.json().await.unwrap();
        assert_eq!(
            f.outbox.queued,
            outbox["counts"]["queued"].as_i64().unwrap()
        );
        assert_eq!(
            f.outbox.failed,
            outbox["counts"]["failed"].as_i64().unwrap()
        );
        let jobs: Vec<_> = f.jobs.iter().map(|j| j.job.as_str()).collect();
        assert_eq!(
            jobs,
            ["mail", "purge", "billing", "expiry", "stats", "webhooks"]
        );
        for job in &f.jobs {
            assert_eq!(job.last_outcome.as_deref(), Some("done"), "{job:?}");
            assert_eq!(job.failures, 0);
            assert!(job.next_run_at.parse::<Timestamp>().unwrap() > now);
        }
        let nine = fleet(&mut app, "?overdue_days=9").await;
        assert_eq!(
            (nine.overdue, nine.locked),
            (2, 2),
            "D was checked 8 days ago"
        );
        let refused = app.get("/api/v1/fleet?overdue_days=0").await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // The page shows the same.
        let mut op = operator(&app).await;
        let page = op.get("/operator/fleet").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let text = &page.text;
        let cell = |id: &str| between(text, &format!("id=\"{id}\">"), "<").to_owned();
        assert_eq!(cell("fleet-active-total"), "5");
        assert_eq!(cell("fleet-validations-today"), "1");
        assert_eq!(cell("fleet-validations-30"), "6");
        assert_eq!(cell("fleet-overdue"), "3");
        assert_eq!(cell("fleet-locked"), "2");
        assert_eq!(cell("fleet-expiring-count"), "1");
        assert_eq!(cell("fleet-outbox-queued"), f.outbox.queued.to_string());
        assert_eq!(cell("fleet-outbox-failed"), "0");
        let row = |attr: &str| {
            let at = text
                .find(attr)
                .unwrap_or_else(|| panic!("no {attr} in {text}"));
            text[at..].split("</tr>").next().unwrap().to_owned()
        };
        assert!(row("data-edition=\"ssm2/std\"").contains(">4<"));
        assert!(row("data-edition=\"ssm2/pro\"").contains(">1<"));
        let trial_row = row(&format!("data-trials=\"{}\"", month(t0)));
        assert!(trial_row.contains("class=\"started\">2<"), "{trial_row}");
        assert!(trial_row.contains("class=\"converted\">1<"), "{trial_row}");
        let revenue_row = row(&format!("data-revenue=\"{}/EUR\"", month(t0)));
        assert!(revenue_row.contains(">1464.00 EUR<"), "{revenue_row}");
        assert!(text.contains(&format!("href=\"/operator/customers/{}\"", rossi.id)));
        assert!(row("data-job=\"stats\"").contains("class=\"failures\">0<"));
        assert!(text.contains("data-src=\"/operator/fleet/charts.json?days=90\""));
        let nine = op.get("/operator/fleet?overdue_days=9").await;
        assert_eq!(
            between(&nine.text, "id=\"fleet-overdue\">", "<"),
            "2",
            "{}",
            nine.text
        );

        let charts = op.get("/operator/fleet/charts.json?days=365").await;
        assert_eq!(charts.status, StatusCode::OK, "{}", charts.text);
        let charts: Value = serde_json::from_str(&charts.text).unwrap();
        assert_eq!(charts["days"].as_array().unwrap().len(), 365);
        let validations: i64 = charts["validations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .sum();
        assert_eq!(validations, 6);
        assert_eq!(
            charts["states"]["active"].as_array().unwrap().last(),
            Some(&json!(5))
        );
    }
}
