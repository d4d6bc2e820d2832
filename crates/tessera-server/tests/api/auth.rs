//! Operator bootstrap, sign-in, throttling, session expiry.

use std::net::IpAddr;

use jiff::SignedDuration;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use tessera_server::Config;

use crate::fixtures::{IT_VATS, PASSWORD, product_with_keys, register};
use crate::harness::*;

both_backends!(
    configured_admin_password_signs_in,
    wrong_passwords_are_throttled,
    parallel_guesses_are_counted_too,
    a_failing_client_does_not_lock_out_others,
    a_customer_is_not_locked_out_either,
    sessions_expire_and_logout_ends_them,
    generated_admin_password_is_shown_once with no_admin_password,
);

async fn configured_admin_password_signs_in(app: TestApp) {
    let me: Value = ok(app.get("/api/v1/auth/me").await, StatusCode::OK).await;
    assert_eq!(me["username"], "admin");
    assert!(
        app.generated_admin_password.is_none(),
        "a configured password is not echoed"
    );
    error(
        app.login("admin", "not the password at all").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        app.login("nobody", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    let resp = app.anonymous_get("/api/v1/auth/me").await;
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    error(resp, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
}

async fn wrong_passwords_are_throttled(app: TestApp) {
    for _ in 0..5 {
        error(
            app.login("admin", "wrong password here").await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    // The sixth attempt from the same client is refused even with the right password, with
    // Retry-After.
    let resp = app.login("admin", ADMIN_PASSWORD).await;
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "retry-after {retry}");
    error(resp, StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS").await;
    // The wait passes: the right password works again.
    app.clock.advance(SignedDuration::from_mins(16));
    assert_eq!(
        app.login("admin", ADMIN_PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn sessions_expire_and_logout_ends_them(mut app: TestApp) {
    assert_eq!(app.get("/api/v1/auth/me").await.status(), StatusCode::OK);
    app.clock.advance(SignedDuration::from_hours(13));
    error(
        app.get("/api/v1/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    app.sign_in().await;
    let resp = app.post("/api/v1/auth/logout", &Value::Null).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    error(
        app.get("/api/v1/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
}

fn no_admin_password(config: &mut Config) {
    config.admin_password = None;
}

/// A fresh database started without a configured password generates one.
async fn generated_admin_password_is_shown_once(first: TestApp) {
    let password = first
        .generated_admin_password
        .clone()
        .expect("generated on first start");
    assert!(password.len() >= 20);
    assert_eq!(
        first.login("admin", &password).await.status(),
        StatusCode::OK
    );
    let place = first.place().clone();
    first.stop().await;
    // Restarted on the same data: nothing new is generated and the password still works.
    let again = start(&place, no_admin_password).await;
    assert!(again.generated_admin_password.is_none());
    assert_eq!(
        again.login("admin", &password).await.status(),
        StatusCode::OK
    );
    again.stop().await;
}

/// Guesses sent all at once are counted before any of them is verified: at most five reach
/// the password check, the rest are refused with 429.
async fn parallel_guesses_are_counted_too(app: TestApp) {
    let mut tasks = Vec::new();
    for i in 0..12 {
        let anonymous = app.api_as(None);
        tasks.push(tokio::spawn(async move {
            let guess = tessera_api::LoginRequest {
                username: "admin".into(),
                password: format!("wrong guess {i:02}"),
                language: None,
            };
            match anonymous.login(&guess).await {
                Ok(_) => StatusCode::OK,
                Err(e) => e.status().expect("an answer"),
            }
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((refused, throttled), (5, 7), "{statuses:?}");
}

/// A client that sends from 127.0.0.2: another network than the tests' own 127.0.0.1.
fn attacker() -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap()
}

async fn sign_in_from(
    http: &reqwest::Client,
    app: &TestApp,
    route: &str,
    login: &str,
    password: &str,
) -> Response {
    let body = json!({"username": login, "password": password});
    let url = format!("{}{route}", app.base);
    http.post(url).json(&body).send().await.unwrap()
}

/// The `Retry-After` of a 429 `TOO_MANY_REQUESTS`.
async fn throttled_for(resp: Response) -> i64 {
    let retry = resp.headers()["retry-after"].to_str().unwrap().parse();
    error(resp, StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS").await;
    retry.unwrap()
}

/// Failing on purpose from one network does not keep the operator out: the attacker waits
/// longer and longer (1 min, 2, 4 …) while `admin` signs in from elsewhere; once the wait is
/// over, the right password works for the attacker's network too.
async fn a_failing_client_does_not_lock_out_others(app: TestApp) {
    let (route, attacker) = ("/api/v1/auth/login", attacker());
    let fail = || sign_in_from(&attacker, &app, route, "admin", "wrong password here");
    for _ in 0..5 {
        error(fail().await, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    }
    let right = || sign_in_from(&attacker, &app, route, "admin", ADMIN_PASSWORD);
    assert_eq!(throttled_for(right().await).await, 60);
    for _ in 0..3 {
        assert_eq!(
            app.login("admin", ADMIN_PASSWORD).await.status(),
            StatusCode::OK
        );
    }
    // Each further failure doubles the wait.
    let mut waits = Vec::new();
    for _ in 0..3 {
        let wait = throttled_for(fail().await).await;
        waits.push(wait);
        app.clock.advance(SignedDuration::from_secs(wait - 1));
        throttled_for(fail().await).await;
        app.clock.advance(SignedDuration::from_secs(1));
        error(fail().await, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    }
    assert_eq!(waits, [60, 120, 240]);
    assert_eq!(throttled_for(right().await).await, 480);
    assert_eq!(
        app.login("admin", ADMIN_PASSWORD).await.status(),
        StatusCode::OK
    );
    app.clock.advance(SignedDuration::from_mins(8));
    assert_eq!(right().await.status(), StatusCode::OK);
}

/// The same holds for the portal's sign-in: an account's name typed with wrong passwords
/// elsewhere does not keep its owner out.
async fn a_customer_is_not_locked_out_either(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let (route, attacker) = ("/api/v1/account/login", attacker());
    for login in ["jack", "jack@example.com"].iter().cycle().take(5) {
        let resp = sign_in_from(&attacker, &app, route, login, "wrong password here").await;
        error(resp, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    }
    let resp = sign_in_from(&attacker, &app, route, "jack", PASSWORD).await;
    assert_eq!(throttled_for(resp).await, 60);
    let resp = sign_in_from(&app.http, &app, route, "jack", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::OK);
}
