//! A further product key through the pages (B2): the way there is shown only to who may
//! manage the account's sites, the key joins the sites, refusals stay on the form; anyone
//! else is refused even when calling the page directly.

use reqwest::StatusCode;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::{account_login, batch_keys};
use tessera_testkit::{Backend, TestApp, spawn_app};

use crate::visitor::{Visitor, account_with_sites};

fn key_form(key: &str, csrf: &str) -> Vec<(&'static str, String)> {
    [
        ("csrf", csrf),
        ("product_key", key),
        ("reseller.company_name", "Company s.p.a."),
        ("reseller.country", "IT"),
        ("reseller.region", "Milano"),
        ("reseller.city", "Milan"),
        ("reseller.street", "Via Verdi"),
        ("reseller.postcode", "20100"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

/// A user `name` of account ib50, in a group holding `rights`.
async fn user_with(app: &TestApp, name: &str, rights: &[&str]) {
    let admin = account_login(app, "ib50").await;
    tessera_testkit::scenarios::user_with(app, &admin, name, rights).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_superadmin_adds_a_key_from_the_sites_page() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let more = batch_keys(&app, "crm", "std", "s10", 1).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;

    let sites = v.get("/sites").await;
    assert!(
        sites.text.contains("href=\"/account/keys/new\""),
        "{}",
        sites.text
    );
    assert!(sites.text.contains("Add a product key"));
    let form = v.get("/account/keys/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    assert!(form.text.contains("check symbol"), "the key explained");
    assert!(form.text.contains("<label for=\"reseller-company_name\">"));
    let csrf = form.hidden("csrf").unwrap();

    // A refusal keeps what was typed, the reason beside its field.
    let mut typed = key_form(&more[0], &csrf);
    typed.retain(|(k, _)| *k != "reseller.city");
    let refused = v.post_form("/account/keys", &typed).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .error_at("reseller-city")
            .unwrap()
            .contains("Please fill in this field")
    );
    assert!(refused.text.contains(&format!("value=\"{}\"", more[0])));
    assert!(refused.text.contains("value=\"Company s.p.a.\""));

    let added = v
        .post_form("/account/keys", &key_form(&more[0], &csrf))
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert_eq!(added.location(), "/sites");
    assert!(v.get("/sites").await.text.contains("2 sites"));

    // Registered now: the same key again is refused, on the form.
    let twice = v
        .post_form("/account/keys", &key_form(&more[0], &csrf))
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .error_at("product_key")
            .unwrap()
            .contains("cannot be registered")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_who_may_manage_sites_sees_and_adds_keys() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let more = batch_keys(&app, "crm", "std", "s10", 1).await;
    user_with(&app, "tom.tech", &["sites.technical.edit"]).await;
    user_with(&app, "sara.sites", &["sites.manage"]).await;

    let mut tom = Visitor::new(&app);
    tom.sign_in("tom.tech", PASSWORD).await;
    let sites = tom.get("/sites").await;
    assert_eq!(sites.status, StatusCode::OK);
    assert!(!sites.text.contains("/account/keys/new"), "{}", sites.text);
    let form = tom.get("/account/keys/new").await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    assert!(
        form.text.contains("does not have the right"),
        "{}",
        form.text
    );
    let csrf = sites.hidden("csrf").unwrap();
    let refused = tom
        .post_form("/account/keys", &key_form(&more[0], &csrf))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(tom.get("/sites").await.text.contains("One site"));

    let mut sara = Visitor::new(&app);
    sara.sign_in("sara.sites", PASSWORD).await;
    let sites = sara.get("/sites").await;
    assert!(sites.text.contains("href=\"/account/keys/new\""));
    let added = sara
        .post_form(
            "/account/keys",
            &key_form(&more[0], &sites.hidden("csrf").unwrap()),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);

    // Not signed in: off to sign in first, and back here after.
    let anonymous = Visitor::new(&app).get("/account/keys/new").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/sign-in?next=/account/keys/new");
}
