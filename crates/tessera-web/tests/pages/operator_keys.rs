//! Product keys in the console (A2, A3): a batch ordered fills a chunk per request as htmx
//! asks, its CSV holds every key once; a key found as typed shows its state and history, is
//! moved to another edition and revoked with a reason, refusals at their field.

use reqwest::StatusCode;
use tessera_api::NewEntry;
use tessera_testkit::fixtures::IT_VATS;
use tessera_testkit::scenarios::{product_with_keys, register};
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_orders_a_batch_watches_it_fill_and_downloads_it() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        product_with_keys(&app, "crm", 1, 0).await;
        let mut v = operator(&app).await;
        let page = v.get("/operator/keys").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("value=\"crm/std/s10\""), "{}", page.text);
        let csrf = page.hidden("csrf").unwrap();

        let order = |count: &'static str| {
            [
                ("csrf", csrf.clone()),
                ("kind", "crm/std/s10".to_owned()),
                ("count", count.to_owned()),
                ("note", "reseller ACME".to_owned()),
            ]
        };
        let refused = v.post_form("/operator/keys/batches", &order("0")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.error_at("count").is_some(), "{}", refused.text);
        let ordered = v.post_form("/operator/keys/batches", &order("2500")).await;
        let batch_page = ordered.location().to_owned();
        assert!(
            batch_page.starts_with("/operator/keys/batches/"),
            "{batch_page}"
        );
        let id = batch_page.rsplit('/').next().unwrap().to_owned();

        // The page asks htmx for the next chunk while keys are missing; each answer is the
        // progress again, until it stops asking.
        let page = v.get(&batch_page).await;
        assert!(page.text.contains("0 of 2500 keys made"), "{}", page.text);
        let fill = format!("/operator/keys/batches/{id}/fill");
        assert!(page.text.contains(&format!("hx-post=\"{fill}\"")));
        let mut seen = Vec::new();
        loop {
            let part = v
                .post_with(
                    &fill,
                    &[],
                    &[("hx-request", "true"), ("x-csrf-token", &csrf)],
                )
                .await;
            assert_eq!(part.status, StatusCode::OK, "{}", part.text);
            let made = part.text.split("data-generated=\"").nth(1).unwrap();
            seen.push(made.split('"').next().unwrap().parse::<u32>().unwrap());
            if !part.text.contains("hx-post") {
                assert!(part.text.contains("keys.csv"), "{}", part.text);
                break;
            }
            assert!(seen.len() < 10, "it stops asking once full: {seen:?}");
        }
        assert_eq!(seen, [1000, 2000, 2500]);
        // Asked once more (a second tab), it stays full.
        let again = v
            .post_with(
                &fill,
                &[],
                &[("hx-request", "true"), ("x-csrf-token", &csrf)],
            )
            .await;
        assert!(again.text.contains("2500 of 2500 keys made"));

        let csv = v
            .get(&format!("/operator/keys/batches/{id}/keys.csv"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let rows: Vec<&str> = csv.text.lines().collect();
        assert_eq!(rows.len(), 2501, "a header and every key");
        let unique: std::collections::HashSet<&str> = rows[1..]
            .iter()
            .map(|r| r.split(',').next().unwrap())
            .collect();
        assert_eq!(unique.len(), 2500);
        let list = v.get("/operator/keys").await;
        assert!(list.text.contains("2500 of 2500 keys made"));
        assert!(list.text.contains("reseller ACME"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_is_found_moved_to_another_edition_and_revoked() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let keys = product_with_keys(&app, "crm", 2, 0).await;
    app.api()
        .add_edition(
            "crm",
            &NewEntry {
                code: "pro".into(),
                name: "Professional".into(),
            },
        )
        .await
        .unwrap();
    register(&app, "rossi", "rossi@example.com", IT_VATS[0], &keys[0]).await;
    let mut v = operator(&app).await;

    let typed = keys[0].to_lowercase().replace('-', "");
    let found = v.get(&format!("/operator/keys/find?key={typed}")).await;
    assert_eq!(found.location(), format!("/operator/keys/{}", keys[0]));
    let nowhere = v.get("/operator/keys/find?key=ABC").await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nowhere.error_at("find-key").is_some(), "{}", nowhere.text);
    // Two neighbouring characters swapped: the first pair that differs, or the key would
    // stay the same (a random key starts with a doubled character now and then).
    let mut never: Vec<char> = keys[1].chars().collect();
    let at = (0..never.len() - 1)
        .find(|&i| never[i] != never[i + 1] && never[i] != '-' && never[i + 1] != '-')
        .expect("a key has two different neighbouring characters");
    never.swap(at, at + 1);
    let never: String = never.into_iter().collect();
    let missing = v.get(&format!("/operator/keys/find?key={never}")).await;
    assert!(missing.status.is_client_error());

    let key_page = format!("/operator/keys/{}", keys[0]);
    let page = v.get(&key_page).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("registered to an account"));
    assert!(page.text.contains("data-action=\"batch.created\""));
    let csrf = page.hidden("csrf").unwrap();

    let moved = v
        .post(
            &format!("{key_page}/edition"),
            &[("csrf", &csrf), ("edition", "pro")],
        )
        .await;
    assert_eq!(moved.location(), format!("{key_page}?done=edition"));
    assert_eq!(app.api().key(&keys[0]).await.unwrap().edition, "pro");

    let blank = v
        .post(
            &format!("{key_page}/revoke"),
            &[("csrf", &csrf), ("reason", " ")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.error_at("reason").is_some(), "{}", blank.text);
    let revoked = v
        .post(
            &format!("{key_page}/revoke"),
            &[("csrf", &csrf), ("reason", "refunded")],
        )
        .await;
    assert_eq!(revoked.location(), format!("{key_page}?done=revoked"));
    let page = v.get(&format!("{key_page}?done=revoked")).await;
    assert!(page.text.contains("The key was revoked."));
    assert!(page.text.contains("data-status=\"revoked\""));
    assert!(page.text.contains("data-action=\"key.revoked\""));
    assert!(page.text.contains("refunded"));
    assert!(!page.text.contains("/revoke\""), "no revoking twice");
}
