//! Activation by file in the console (X1): a product's policy set (the form shows the policy
//! in force, a renewal without its days refused at the field, then set and shown), and any
//! account's request file answered.

use reqwest::StatusCode;
use tessera_api::{OfflineRequestKind, OfflineResponseFile};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::{
    account_login, fp, offline_policy, offline_request, product_with_keys,
};
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::visitor::{Visitor, account_with_sites};

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

/// `tessera offline answer` in the console (X8): an operator answers any account's request
/// file from the catalog's link, downloads the response, and the answer is on record under
/// the account and site; a customer's session is sent to the console's sign-in for the page
/// and its download.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_answers_a_request_file_for_any_account() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let sites = account_with_sites(&app, 1).await;
        let admin = account_login(&app, "ib50").await;
        let own = app.api_as(Some(&admin)).own_sites().await.unwrap();
        let account = app.api_as(Some(&admin)).own_account().await.unwrap().id;
        let req = offline_request(
            OfflineRequestKind::Activation,
            &own.sites[0].product_key,
            "office@ib50.example",
            &fp('d'),
            jiff::Timestamp::now(),
        );
        let request_text = String::from_utf8(req.to_file()).unwrap();
        offline_policy(&app, "crm", "periodic", Some(30)).await;

        let mut v = operator(&app).await;
        let catalog = v.get("/operator/catalog").await;
        assert!(catalog.text.contains("href=\"/operator/offline\""));
        let page = v.get("/operator/offline").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("action=\"/operator/offline\""));
        assert!(
            page.text
                .contains("href=\"/operator/catalog\" aria-current=\"page\""),
            "{}",
            page.text
        );
        let csrf = page.hidden("csrf").unwrap();
        let post = |text: &str| vec![("csrf", csrf.clone()), ("request", text.to_owned())];

        let refused = v.post_form("/operator/offline", &post("{}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text.contains("action=\"/operator/offline\""));

        // Bound online so far: not marked.
        let before = v.get(&format!("/operator/customers/{account}")).await;
        assert!(
            before
                .text
                .contains(&format!("<tr data-site=\"{}\"", sites[0]))
                && !before.text.contains("data-by-file"),
            "{}",
            before.text
        );
        let done = v.post_form("/operator/offline", &post(&request_text)).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        let link = format!("/operator/offline/responses/{}", req.nonce);
        assert!(
            done.text.contains(&format!("href=\"{link}\"")),
            "{}",
            done.text
        );
        let file = v.get(&link).await;
        assert_eq!(file.status, StatusCode::OK);
        let response: OfflineResponseFile = serde_json::from_str(&file.text).unwrap();
        assert_eq!(response.site_id, sites[0]);
        let site = app.api().site(&sites[0]).await.unwrap();
        assert_eq!(site.fingerprint.as_deref(), Some(fp('d').as_str()));
        assert!(site.by_file);

        // The customer's page marks it as licensed by file, and the operator (the only one
        // who may) releases it there.
        let customer_page = format!("/operator/customers/{account}");
        let page = v.get(&customer_page).await;
        let row = page
            .text
            .split(&format!("<tr data-site=\"{}\"", sites[0]))
            .nth(1)
            .unwrap();
        let row = row.split("</tr>").next().unwrap();
        assert!(row.contains("data-by-file"), "{row}");
        let release = format!("{customer_page}/sites/{}/release", sites[0]);
        let released = v.post_form(&release, &[("csrf", csrf.clone())]).await;
        assert_eq!(released.status, StatusCode::SEE_OTHER, "{}", released.text);
        let site = app.api().site(&sites[0]).await.unwrap();
        assert_eq!((site.status.as_str(), site.by_file), ("deactivated", false));
        assert_eq!(
            v.get("/operator/offline/responses/not-a-nonce")
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let log = app
            .api()
            .operations(&format!("?site={}", sites[0]))
            .await
            .unwrap()
            .operations;
        assert!(
            log.iter().any(|o| o.operation == "POST /operator/offline"
                && o.actor == "operator:admin"
                && o.account_id == Some(account)),
            "{log:?}"
        );

        // A customer's session opens neither the console's page nor its download.
        let mut customer = Visitor::new(&app);
        customer.sign_in("ib50", PASSWORD).await;
        for path in ["/operator/offline", link.as_str()] {
            let page = customer.get(path).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
            assert!(page.location().starts_with("/operator/sign-in"), "{path}");
        }
        app.stop().await;
    }
}
