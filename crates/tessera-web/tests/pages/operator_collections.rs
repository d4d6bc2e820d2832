//! A product's sync collections in the console (G1): none at first; a declaration refused
//! with what was typed kept; collections declared with their scope, unique and required
//! fields and web-user field, as the JSON API then lists them; a declaration filled into the
//! form to be changed; an unknown product is not found.

use reqwest::StatusCode;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::site::account_with_data;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_declares_and_changes_a_products_sync_collections() {
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
                .contains("href=\"/operator/catalog/crm/collections\"")
        );
        let path = "/operator/catalog/crm/collections";
        let page = v.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(!page.text.contains("data-collection="), "none yet");
        let csrf = page.hidden("csrf").unwrap();
        let form = |name: &str, scope: &str, unique: &str, required: &str, web: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("name", name.to_owned()),
                ("scope", scope.to_owned()),
                ("unique", unique.to_owned()),
                ("required", required.to_owned()),
                ("web_user_field", web.to_owned()),
                (
                    "web_user_email_field",
                    if web.is_empty() { "" } else { "email" }.to_owned(),
                ),
            ]
        };

        // A name the rules refuse: the form again, typed kept, nothing declared.
        let refused = v
            .post_form(path, &form("Bad Name", "account", "ibutton", "", ""))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text.contains("role=\"alert\""), "{}", refused.text);
        assert!(refused.text.contains("value=\"Bad Name\""), "typed kept");
        // A web-user field without a unique field (its login name).
        let refused = v
            .post_form(path, &form("users", "account", "", "nickname", "web_user"))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let listed = app.api().sync_collections("crm").await.unwrap();
        assert!(listed.collections.is_empty());

        let done = v
            .post_form(
                path,
                &form("drivers", "account", "ibutton", "ibutton, name", ""),
            )
            .await;
        assert_eq!(done.location(), format!("{path}?done=declared"));
        let done = v
            .post_form(
                path,
                &form("users", "account", "nickname", "nickname", "web_user"),
            )
            .await;
        assert_eq!(done.location(), format!("{path}?done=declared"));
        let page = v.get(&format!("{path}?done=declared")).await;
        assert!(page.text.contains("The collection was declared"));
        assert!(page.text.contains("data-collection=\"drivers\""));
        assert!(page.text.contains("web_user (email)"), "{}", page.text);
        let listed = app.api().sync_collections("crm").await.unwrap();
        let drivers = listed
            .collections
            .iter()
            .find(|c| c.name == "drivers")
            .unwrap();
        assert_eq!(
            (
                drivers.scope.as_str(),
                &drivers.unique,
                &drivers.required,
                &drivers.web_user_field
            ),
            (
                "account",
                &vec!["ibutton".to_owned()],
                &vec!["ibutton".to_owned(), "name".to_owned()],
                &None
            )
        );

        // Changed: the form filled with its declaration, a required field added.
        let edit = v.get(&format!("{path}?edit=drivers")).await;
        assert!(
            edit.text.contains("value=\"ibutton, name\""),
            "{}",
            edit.text
        );
        v.post_form(
            path,
            &form("drivers", "account", "ibutton", "ibutton, name, phone", ""),
        )
        .await;
        let listed = app.api().sync_collections("crm").await.unwrap();
        let drivers = listed
            .collections
            .iter()
            .find(|c| c.name == "drivers")
            .unwrap();
        assert_eq!(drivers.required, ["ibutton", "name", "phone"]);

        let nowhere = v.get("/operator/catalog/nosuch/collections").await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        app.stop().await;
    }
}
