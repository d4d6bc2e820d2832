//! A product's releases in the console (X6): refusals at their field with what was typed
//! kept, a release published and listed, the minimum version and the cloud's set, the
//! program's cleared, a release withdrawn; the customer's download centre shows what the console published and drops
//! what it withdrew.

use reqwest::StatusCode;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::site::account_with_data;
use crate::visitor::Visitor;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_publishes_a_release_and_sets_the_minimum_version() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        account_with_data(&app, 1).await;
        let mut v = operator(&app).await;
        let product = v.get("/operator/catalog/crm").await;
        assert!(
            product
                .text
                .contains("href=\"/operator/catalog/crm/releases\"")
        );
        let page = v.get("/operator/catalog/crm/releases").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("No minimum version"));
        let csrf = page.hidden("csrf").unwrap();
        let release = |version: &str, url: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("version", version.to_owned()),
                ("channel", String::new()),
                ("url", url.to_owned()),
                ("sha256", "ab".repeat(32)),
                ("editions", String::new()),
                ("notes", "Cloud sync".to_owned()),
            ]
        };
        let url = "https://downloads.vendor.example/crm-1.2.11.exe";
        let refused = v
            .post_form("/operator/catalog/crm/releases", &release("1.2", url))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.error_at("release-version").is_some(),
            "{}",
            refused.text
        );
        assert!(refused.text.contains("value=\"1.2\""), "typed kept");
        let refused = v
            .post_form(
                "/operator/catalog/crm/releases",
                &release("1.2.11", "http://downloads.vendor.example/x"),
            )
            .await;
        assert!(
            refused.error_at("release-url").is_some(),
            "{}",
            refused.text
        );
        let done = v
            .post_form("/operator/catalog/crm/releases", &release("1.2.11", url))
            .await;
        assert_eq!(
            done.location(),
            "/operator/catalog/crm/releases?done=published"
        );
        let again = v
            .post_form("/operator/catalog/crm/releases", &release("1.2.11", url))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
        let page = v.get("/operator/catalog/crm/releases?done=published").await;
        assert!(page.text.contains("The release was published"));
        assert!(
            page.text
                .contains("<tr data-version=\"1.2.11\" data-withdrawn=\"false\">")
        );

        let minimum = |value: &str| vec![("csrf", csrf.clone()), ("minimum_version", value.into())];
        let refused = v
            .post_form("/operator/catalog/crm/minimum-version", &minimum("one"))
            .await;
        assert!(
            refused.error_at("minimum_version").is_some(),
            "{}",
            refused.text
        );
        let set = v
            .post_form("/operator/catalog/crm/minimum-version", &minimum("1.2.11"))
            .await;
        assert_eq!(
            set.location(),
            "/operator/catalog/crm/releases?done=minimum"
        );
        let page = v.get("/operator/catalog/crm/releases").await;
        assert!(
            page.text.contains("data-minimum=\"1.2.11\""),
            "{}",
            page.text
        );

        // The minimum for the cloud, a form of its own: refused at its field with what was
        // typed kept, then set beside the program's, which it leaves as it was.
        assert!(page.text.contains("data-cloud-minimum=\"\""));
        let cloud = |value: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("cloud_minimum_version", value.into()),
            ]
        };
        let refused = v
            .post_form("/operator/catalog/crm/cloud-minimum-version", &cloud("1.3"))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.error_at("cloud_minimum_version").is_some()
                && refused.error_at("minimum_version").is_none(),
            "{}",
            refused.text
        );
        assert!(refused.text.contains("value=\"1.3\""), "kept");
        let set = v
            .post_form(
                "/operator/catalog/crm/cloud-minimum-version",
                &cloud("1.3.0"),
            )
            .await;
        assert_eq!(
            set.location(),
            "/operator/catalog/crm/releases?done=cloud-minimum"
        );
        let page = v
            .get("/operator/catalog/crm/releases?done=cloud-minimum")
            .await;
        assert!(
            page.text.contains("data-cloud-minimum=\"1.3.0\"")
                && page.text.contains("data-minimum=\"1.2.11\"")
                && page
                    .text
                    .contains("The minimum version for the cloud was set"),
            "{}",
            page.text
        );

        // The customer's download centre says both.
        let mut customer = Visitor::new(&app);
        customer.sign_in("ib50", PASSWORD).await;
        let downloads = customer.get("/downloads").await;
        assert!(downloads.text.contains("<tr data-version=\"1.2.11\">"));
        assert!(
            downloads
                .text
                .contains("Version 1.2.11 or later is required")
                && downloads
                    .text
                    .contains("Connecting to the cloud needs version 1.3.0 or later"),
            "{}",
            downloads.text
        );

        // Cleared: no minimum.
        v.post_form("/operator/catalog/crm/minimum-version", &minimum(""))
            .await;
        let page = v.get("/operator/catalog/crm/releases").await;
        assert!(page.text.contains("data-minimum=\"\""));

        // Withdrawn: a reason too long is refused at its release, then it goes.
        let withdraw = "/operator/catalog/crm/releases/1.2.11/withdraw";
        let reason = |text: &str| vec![("csrf", csrf.clone()), ("reason", text.to_owned())];
        assert!(
            page.text.contains(&format!("action=\"{withdraw}\"")),
            "its form"
        );
        let long = "x".repeat(1_001);
        let refused = v.post_form(withdraw, &reason(&long)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text
                .contains("role=\"alert\" id=\"withdraw-1.2.11-error\""),
            "at its row: {}",
            refused.text
        );
        assert!(
            refused.text.contains(&format!("value=\"{long}\"")),
            "typed kept"
        );
        // An address typed by hand with no such version: the refusal above the list.
        let nowhere = v
            .post_form("/operator/catalog/crm/releases/x/withdraw", &reason(""))
            .await;
        assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            nowhere.text.contains("<p class=\"alert\" role=\"alert\">"),
            "{}",
            nowhere.text
        );
        assert!(
            refused
                .text
                .contains("<tr data-version=\"1.2.11\" data-withdrawn=\"false\">"),
            "nothing withdrawn"
        );
        let done = v.post_form(withdraw, &reason("Installer <broken>")).await;
        assert_eq!(
            done.location(),
            "/operator/catalog/crm/releases?done=withdrawn"
        );
        let page = v.get("/operator/catalog/crm/releases?done=withdrawn").await;
        assert!(page.text.contains("The release was withdrawn"));
        assert!(
            page.text
                .contains("<tr data-version=\"1.2.11\" data-withdrawn=\"true\">")
        );
        assert!(
            page.text.contains(": Installer &#60;broken&#62;"),
            "the reason, as text: {}",
            page.text
        );
        assert!(!page.text.contains("<broken>"));
        assert!(!page.text.contains(withdraw), "no second withdraw form");
        let downloads = customer.get("/downloads").await;
        assert!(!downloads.text.contains("data-version=\"1.2.11\""));

        // Offered again: back in the download centre.
        let restore = "/operator/catalog/crm/releases/1.2.11/restore";
        assert!(page.text.contains(&format!("action=\"{restore}\"")));
        let done = v.post(restore, &[("csrf", &csrf)]).await;
        assert_eq!(
            done.location(),
            "/operator/catalog/crm/releases?done=restored"
        );
        let page = v.get("/operator/catalog/crm/releases").await;
        assert!(
            page.text
                .contains("<tr data-version=\"1.2.11\" data-withdrawn=\"false\">")
        );
        let downloads = customer.get("/downloads").await;
        assert!(downloads.text.contains("data-version=\"1.2.11\""));
        app.stop().await;
    }
}
