//! Signing in and out on the account tab, refusals shown on the form, the throttle's wait
//! said in words.

use reqwest::StatusCode;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::{Visitor, account_with_sites};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_signs_in_sees_its_sites_and_signs_out() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let sites = account_with_sites(&app, 2).await;
        let mut v = Visitor::new(&app);

        let first = v.get("/sites").await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        assert_eq!(first.location(), "/sign-in?next=/sites");
        let form = v.get("/sign-in?next=/sites").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text.contains("name=\"password\""), "{}", form.text);

        let wrong = v.sign_in("ib50", "not the password").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(
            wrong.text.contains("The sign-in data is not right"),
            "{}",
            wrong.text
        );
        assert!(
            wrong.text.contains("value=\"ib50\""),
            "the login stays typed"
        );
        assert!(!v.cookies.contains_key("tessera_session"));

        let signed = v.sign_in("office@ib50.example", PASSWORD).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
        assert_eq!(signed.location(), "/sites");
        let cookie = signed.headers["set-cookie"].to_str().unwrap().to_owned();
        for part in ["tessera_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(part), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http here: {cookie}");

        let list = v.get("/sites").await;
        assert_eq!(list.status, StatusCode::OK);
        for site in &sites {
            assert!(list.text.contains(site.as_str()), "{site} missing");
        }
        assert!(list.text.contains("2 sites"), "{}", list.text);
        assert!(
            list.text.contains(">ib50<"),
            "the header names who is signed in"
        );

        let csrf = list
            .hidden("csrf")
            .expect("the sign-out form carries the token");
        let out = v.post("/sign-out", &[("csrf", &csrf)]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(out.location(), "/sign-in");
        assert!(!v.cookies.contains_key("tessera_session"));
        assert_eq!(v.get("/sites").await.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_old_session_is_gone_after_signing_out() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let kept = v.cookies.clone();
    let csrf = v.get("/sites").await.hidden("csrf").unwrap();
    v.post("/sign-out", &[("csrf", &csrf)]).await;
    // Someone who copied the cookie before cannot use it.
    v.cookies = kept;
    let again = v.get("/sites").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_are_throttled_and_the_page_says_how_long_to_wait() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let mut v = Visitor::new(&app);
    let mut throttled = None;
    for _ in 0..20 {
        let page = v.sign_in("ib50", "wrong password").await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(page);
            break;
        }
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    let page = throttled.expect("throttled within 20 attempts");
    let secs: u64 = page.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(secs > 0);
    assert!(
        page.text.contains(&format!("Wait {secs} seconds")),
        "{}",
        page.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_next_page_outside_the_site_is_not_followed() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let mut v = Visitor::new(&app);
    let page = v
        .post(
            "/sign-in",
            &[
                ("login", "ib50"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/sites");
}

/// The language picked on the sign-in page is the account's mail language once its
/// superadmin signs in (I3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_picked_at_sign_in_is_the_language_of_the_mail() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        account_with_sites(&app, 1).await;
        let language = async || {
            let account = app.store.account_by_login("ib50").await.unwrap().unwrap();
            account.language
        };
        assert_eq!(language().await, "en");

        let mut v = Visitor::new(&app);
        assert_eq!(
            v.get("/language?set=de").await.status,
            StatusCode::SEE_OTHER
        );
        let form = v.get("/sign-in").await;
        assert!(form.text.contains("Anmelden"), "{}", form.text);
        let signed = v.sign_in("ib50", PASSWORD).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
        assert_eq!(language().await, "de");

        // Another choice next time is remembered the same way.
        let mut v = Visitor::new(&app);
        v.get("/language?set=it").await;
        v.sign_in("ib50", PASSWORD).await;
        assert_eq!(language().await, "it");
    }
}
