//! What the cloud pages' tests start from: the testkit's cloud set-up
//! (`tessera_testkit::cloud`), a visitor signed in, and reading pages.

use tessera_testkit::TestApp;
pub use tessera_testkit::cloud::{billing, customer, trial};
use tessera_testkit::fixtures::PASSWORD;

use crate::visitor::Visitor;

/// A visitor signed in as `login`.
pub async fn signed_in(app: &TestApp, login: &str) -> Visitor {
    let mut v = Visitor::new(app);
    let signed = v.sign_in(login, PASSWORD).await;
    assert_eq!(
        signed.status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        signed.text
    );
    v
}

/// The CSRF token of `v`'s session, read off a page.
pub async fn csrf(v: &mut Visitor) -> String {
    v.get("/cloud")
        .await
        .hidden("csrf")
        .expect("the page's token")
}

/// The text between the first `start` in `text` and the next `end`.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"))
        + start.len();
    let len = text[from..].find(end).unwrap_or(text.len() - from);
    &text[from..from + len]
}
