//! The sync conflicts page (G3): a first-sync clash of two drivers with one iButton shows
//! both records; an edit that is no record, or lacks a required field, is refused at the
//! conflict and kept as typed; keeping the site's settles it, every site pulls the
//! decision, and the settled conflict shows how and by whom. Without the right, no page.

use reqwest::StatusCode;
use tessera_core::Clock;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::user_with;
use tessera_testkit::sync::identifier_conflict;
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::Visitor;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_conflict_is_settled_on_the_page_and_pulled_by_every_site() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, tessera_testkit::cloud::billing).await else {
            continue;
        };
        let world = identifier_conflict(&app).await;
        let mut v = Visitor::new(&app);
        v.sign_in("ib50", PASSWORD).await;
        // The overview tells each site's sync (G5): the one whose first sync clashed waits
        // for a decision; the site not in the cloud has none.
        let sync_of = |text: &str, site: &str| -> String {
            let row = text.split(&format!("data-site=\"{site}\"")).nth(1).unwrap();
            row.split("data-sync=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        };
        let list = v.get("/sites").await;
        assert_eq!(
            sync_of(&list.text, &world.sites[1]),
            "conflicts_pending",
            "{}",
            list.text
        );
        assert!(list.text.contains("Sync: conflicts to settle"));
        assert!(
            list.text.contains("data-sync=\"\">Sync: not enabled"),
            "the third site"
        );
        let page = v.get("/sync/conflicts").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(
            page.text
                .contains("href=\"/sync/conflicts\" aria-current=\"page\""),
            "in the menu"
        );
        assert!(
            page.text
                .contains("drivers: ibutton IB-7 is in two records"),
            "{}",
            page.text
        );
        assert!(page.text.contains("<dd>Anna</dd>") && page.text.contains("<dd>Anna R.</dd>"));
        let id = page.text.split("data-conflict=\"").nth(1).unwrap();
        let id = id.split('"').next().unwrap().to_owned();
        let csrf = page.hidden("csrf").unwrap();
        let action = format!("/sync/conflicts/{id}/resolve");

        let garbage = v
            .post(
                &action,
                &[("csrf", &csrf), ("keep", "edit"), ("data", "Anna, IB-7")],
            )
            .await;
        assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            garbage.text.contains("This is not a JSON record"),
            "{}",
            garbage.text
        );
        assert!(
            garbage.text.contains(">Anna, IB-7</textarea>"),
            "kept as typed"
        );
        let missing = v
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("keep", "edit"),
                    ("data", "{\"ibutton\": \"IB-7\"}"),
                ],
            )
            .await;
        assert_eq!(
            missing.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            missing.text
        );

        let kept = v.post(&action, &[("csrf", &csrf), ("keep", "site")]).await;
        assert_eq!(kept.location(), "/sync/conflicts?done=resolved");
        let page = v.get("/sync/conflicts?done=resolved").await;
        assert!(page.text.contains("The conflict is settled"));
        assert!(page.text.contains("id=\"no-conflicts\""));
        let all = v.get("/sync/conflicts?all=1").await;
        assert!(
            all.text
                .contains("Settled: kept the site&#39;s, by account:ib50"),
            "{}",
            all.text
        );

        // Every site pulls the decision: one driver with that iButton, the site's name.
        for cloud in &world.cloud {
            let now = app.clock.now().to_string();
            let pulled = app
                .api_as(Some(cloud))
                .pull_changes(0, 100, &now)
                .await
                .unwrap();
            let anna: Vec<_> = pulled
                .records
                .iter()
                .filter(|r| r.collection == "drivers" && !r.deleted)
                .filter_map(|r| r.data.as_ref())
                .collect();
            assert_eq!(anna.len(), 1, "{:?}", pulled.records);
            assert_eq!(anna[0]["name"], "Anna R.");
        }

        // Both pulled what there is: up to date.
        let list = v.get("/sites").await;
        for site in &world.sites {
            assert_eq!(sync_of(&list.text, site), "idle", "{}", list.text);
        }
        // A blocked subscription stops every site's sync, and says why.
        let subs = app.api().subscriptions_of(None).await.unwrap();
        let blocked = tessera_api::SetSubscriptionState {
            state: "blocked".into(),
            note: None,
        };
        app.api()
            .set_subscription_state(subs.subscriptions[0].id, &blocked)
            .await
            .unwrap();
        let list = v.get("/sites").await;
        assert_eq!(sync_of(&list.text, &world.sites[0]), "error");
        assert!(
            list.text
                .contains("Sync: stopped (The subscription is blocked. Contact the vendor.)"),
            "{}",
            list.text
        );
        let maintenance = tessera_api::SetSubscriptionState {
            state: "maintenance".into(),
            note: None,
        };
        app.api()
            .set_subscription_state(subs.subscriptions[0].id, &maintenance)
            .await
            .unwrap();
        let list = v.get("/sites").await;
        assert!(
            list.text
                .contains("Sync: stopped (The subscription is under maintenance."),
            "{}",
            list.text
        );

        // A user without the right sees neither the menu entry nor the page.
        user_with(&app, &world.token, "tom.tech", &["sites.manage"]).await;
        let mut tom = Visitor::new(&app);
        tom.sign_in("tom.tech", PASSWORD).await;
        let sites = tom.get("/sites").await;
        assert!(!sites.text.contains("href=\"/sync/conflicts\""));
        assert_eq!(
            tom.get("/sync/conflicts").await.status,
            StatusCode::FORBIDDEN
        );
    }
}
