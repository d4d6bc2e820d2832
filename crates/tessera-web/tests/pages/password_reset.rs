//! A forgotten password through the pages (B3): the address, the mailed code, the new
//! password typed twice; the page after the address says the same for an address no
//! account has.

use reqwest::StatusCode;
use tessera_testkit::fixtures::{IT_VATS, PASSWORD};
use tessera_testkit::scenarios::{product_with_keys, register};
use tessera_testkit::{Backend, TestApp, spawn_app};

use crate::visitor::Visitor;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// The codes of the password-reset mails sent to `email`, oldest first.
async fn reset_codes(app: &TestApp, email: &str) -> Vec<String> {
    app.reset_codes(email).await
}

async fn jack(app: &TestApp) {
    let keys = product_with_keys(app, "crm", 1, 0).await;
    register(app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_with_the_mailed_code() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    jack(&app).await;
    let mut v = Visitor::new(&app);

    let sign_in = v.get("/sign-in").await;
    assert!(sign_in.text.contains("href=\"/password-reset\""));
    let ask = v.get("/password-reset").await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.text.contains("<label for=\"email\">"));

    let sent = v
        .post("/password-reset", &[("email", " Jack@Example.com ")])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert!(
        sent.text
            .contains("If Jack@Example.com belongs to an account, we have mailed a code to it"),
        "{}",
        sent.text
    );
    assert!(sent.text.contains("name=\"token\""));
    let code = reset_codes(&app, "jack@example.com").await.remove(0);

    // The two passwords must agree, and meet the policy; neither refusal uses the code up.
    let mismatched = v
        .post(
            "/password-reset/confirm",
            &[
                ("token", &code),
                ("password", NEW_PASSWORD),
                ("password_confirm", "another passphrase"),
            ],
        )
        .await;
    assert_eq!(mismatched.status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = mismatched.error_at("password_confirm").unwrap();
    assert!(shown.contains("The two passwords differ"), "{shown}");
    assert!(!mismatched.text.contains(NEW_PASSWORD));
    assert!(
        mismatched.text.contains(&format!("value=\"{code}\"")),
        "the code stays typed"
    );
    let short = v
        .post(
            "/password-reset/confirm",
            &[
                ("token", &code),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.error_at("password").unwrap().contains("too short"));

    let done = v
        .post(
            "/password-reset/confirm",
            &[
                ("token", &code),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert!(done.text.contains("Your password is changed"));
    assert!(done.text.contains("href=\"/sign-in\""));

    // The code works once.
    let again = v
        .post(
            "/password-reset/confirm",
            &[
                ("token", &code),
                ("password", "yet another passphrase"),
                ("password_confirm", "yet another passphrase"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = again.error_at("token").unwrap();
    assert!(shown.contains("This code does not work"), "{shown}");

    // Signed in with the new password only.
    assert_eq!(
        v.sign_in("jack", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        v.sign_in("jack", NEW_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_says_the_same_whether_or_not_an_account_has_the_address() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    jack(&app).await;
    let mut v = Visitor::new(&app);
    let known = v
        .post("/password-reset", &[("email", "jack@example.com")])
        .await;
    let unknown = v
        .post("/password-reset", &[("email", "nobody@example.com")])
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, known.status);
    assert_eq!(
        known.text.replace("jack@example.com", "ADDRESS"),
        unknown.text.replace("nobody@example.com", "ADDRESS"),
        "one page for both"
    );
    assert_eq!(reset_codes(&app, "jack@example.com").await.len(), 1);
    assert!(app.mail_to("nobody@example.com").await.is_empty());

    // Only what is not an address at all is refused, on the form.
    let wrong = v
        .post("/password-reset", &[("email", "not an address")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .error_at("email")
            .unwrap()
            .contains("not an email address")
    );
    assert!(wrong.text.contains("value=\"not an address\""));
}
