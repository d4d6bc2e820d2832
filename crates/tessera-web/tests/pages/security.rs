//! What every page carries: the security headers, same-origin and CSRF checks on every
//! state-changing request, a session cookie the JSON API does not take.

use reqwest::StatusCode;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::{Visitor, account_with_sites};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_strict_content_security_policy() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let mut v = Visitor::new(&app);
    for path in ["/sign-in", "/sites", "/no-such-page-at-all"] {
        let page = v.get(path).await;
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("style-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(page.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(page.headers["referrer-policy"], "same-origin", "{path}");
    }
    let page = v.get("/sign-in").await;
    assert!(!page.text.contains("<script>"), "no inline script");
    assert!(!page.text.contains("style="), "no inline style");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_served_by_hashed_name_and_kept_a_year() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let mut v = Visitor::new(&app);
    let page = v.get("/sign-in").await;
    let css = page
        .text
        .split("href=\"")
        .find_map(|p| {
            p.split('"')
                .next()
                .filter(|u| u.starts_with("/assets/app."))
        })
        .expect("the stylesheet link")
        .to_owned();
    let asset = v.get(&css).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.headers["content-type"], "text/css");
    assert!(
        asset.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(asset.text.contains("--accent"));
    assert_eq!(
        v.get("/assets/app.00000000.css").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_other_sites_or_without_the_token_change_nothing() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let mut v = Visitor::new(&app);

    // A forged sign-in (login CSRF) from another site.
    let forged = v
        .post_with(
            "/sign-in",
            &[("login", "ib50"), ("password", PASSWORD)],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        forged.text.contains("did not come from this page"),
        "{}",
        forged.text
    );
    assert!(!v.cookies.contains_key("tessera_session"));

    v.sign_in("ib50", PASSWORD).await;
    let csrf = v.get("/sites").await.hidden("csrf").unwrap();
    // Signed in: without the token, with a wrong one, from another origin.
    for (form, headers) in [
        (vec![], vec![]),
        (vec![("csrf", "x".repeat(32))], vec![]),
        (
            vec![("csrf", csrf.clone())],
            vec![("sec-fetch-site", "cross-site")],
        ),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = v.post_with("/sign-out", &form, &headers).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(
            v.get("/sites").await.status,
            StatusCode::OK,
            "still signed in"
        );
    }
    // An old browser that sends Origin only.
    let mut old = Visitor::new(&app);
    old.cookies = v.cookies.clone();
    let origin_only = reqwest::Client::new()
        .post(format!("{}/sign-out", app.base))
        .header(
            "cookie",
            format!("tessera_session={}", v.cookies["tessera_session"]),
        )
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(origin_only.status(), StatusCode::FORBIDDEN);
    // htmx sends the token as a header.
    let by_header = v
        .post_with("/sign-out", &[], &[("x-csrf-token", &csrf)])
        .await;
    assert_eq!(by_header.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_json_api_does_not_take_the_session_cookie() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let api = reqwest::Client::new()
        .get(format!("{}/api/v1/account/sites", app.base))
        .header(
            "cookie",
            format!("tessera_session={}", v.cookies["tessera_session"]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
}
