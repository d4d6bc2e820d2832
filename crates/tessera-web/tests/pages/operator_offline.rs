//! A product's activation by file set in the console (X1): the form shows the policy in
//! force, a renewal without its days refused at the field, then set and shown.

use reqwest::StatusCode;
use tessera_testkit::scenarios::product_with_keys;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_sets_activation_by_file() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        product_with_keys(&app, "crm", 1, 0).await;
        let mut v = operator(&app).await;
        let page = v.get("/operator/catalog/crm").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(
            page.text.contains("<option value=\"none\" selected>"),
            "{}",
            page.text
        );
        let csrf = page.hidden("csrf").unwrap();
        let post = |policy: &str, days: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("offline_policy", policy.to_owned()),
                ("offline_check_days", days.to_owned()),
            ]
        };
        let refused = v
            .post_form(
                "/operator/catalog/crm/offline-policy",
                &post("periodic", ""),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        assert!(
            refused
                .text
                .contains("<option value=\"periodic\" selected>"),
            "typed kept"
        );
        assert!(
            refused.error_at("offline_policy").is_some(),
            "{}",
            refused.text
        );
        let done = v
            .post_form(
                "/operator/catalog/crm/offline-policy",
                &post("periodic", "90"),
            )
            .await;
        assert_eq!(
            done.location(),
            "/operator/catalog/crm?done=offline#add-offline"
        );
        let page = v.get("/operator/catalog/crm?done=offline").await;
        assert!(page.text.contains("Activation by file is set."));
        assert!(page.text.contains("<option value=\"periodic\" selected>"));
        assert!(page.text.contains("value=\"90\""));
        let product = app.api().product("crm").await.unwrap();
        assert_eq!(
            (product.offline_policy.as_str(), product.offline_check_days),
            ("periodic", Some(90))
        );
    }
}
