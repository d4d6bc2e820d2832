//! Operator bootstrap, sign-in, throttling, session expiry.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::Value;
use tessera_server::Config;

use crate::harness::*;

both_backends!(
    configured_admin_password_signs_in,
    wrong_passwords_are_throttled,
    parallel_guesses_are_counted_too,
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
    // The sixth attempt is refused even with the right password, with Retry-After.
    let resp = app.login("admin", ADMIN_PASSWORD).await;
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "retry-after {retry}");
    error(resp, StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS").await;
    // The window passes: the right password works again.
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
