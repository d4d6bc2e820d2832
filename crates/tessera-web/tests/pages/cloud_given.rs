//! What the cloud pages' tests start from: the testkit's cloud set-up
//! (`tessera_testkit::cloud`), a visitor signed in, placing orders, reading pages.

use reqwest::StatusCode;
pub use tessera_testkit::cloud::{billing, customer, trial};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, TestApp, spawn_app};

use crate::visitor::{Page, Visitor};

/// A visitor signed in as `login`.
pub async fn signed_in(app: &TestApp, login: &str) -> Visitor {
    let mut v = Visitor::new(app);
    let signed = v.sign_in(login, PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
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

/// The purchase form as prefilled, with `changes` made and the terms accepted.
pub async fn order_form(v: &mut Visitor, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let form = v.get("/cloud/buy").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let mut fields: Vec<(String, String)> = [
        "csrf",
        "company",
        "street",
        "postal_code",
        "place",
        "region",
        "country",
        "phone",
        "vat_number",
        "invoice_email",
    ]
    .iter()
    .map(|name| (name.to_string(), value(&form, name)))
    .collect();
    fields.extend([
        ("plan".into(), "cloud-s10".into()),
        ("b2b".into(), "yes".into()),
        ("e_invoice_consent".into(), "yes".into()),
        ("terms".into(), "yes".into()),
    ]);
    for (name, to) in changes {
        fields.retain(|(n, _)| n != name);
        if !to.is_empty() {
            fields.push((name.to_string(), to.to_string()));
        }
    }
    fields
}

/// The value of the input `name` on `page` (hidden or not).
pub fn value(page: &Page, name: &str) -> String {
    let at = page
        .text
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    between(&page.text[at..], "value=\"", "\"").to_owned()
}

/// Places the order of the prefilled form with `changes` and the fields `extra`; the
/// answer.
pub async fn place(v: &mut Visitor, changes: &[(&str, &str)], extra: &[(String, String)]) -> Page {
    let mut form = order_form(v, changes).await;
    form.extend(extra.iter().cloned());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    v.post("/cloud/buy", &form).await
}

/// Places the order and opens its page; its id and the page.
pub async fn placed(
    v: &mut Visitor,
    changes: &[(&str, &str)],
    extra: &[(String, String)],
) -> (String, Page) {
    let answer = place(v, changes, extra).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    let to = answer.location().to_owned();
    let id = to.trim_start_matches("/cloud/orders/").to_owned();
    (id, v.get(&to).await)
}

pub fn summary(page: &Page) -> (String, String, String) {
    let cell = |id: &str| {
        let raw = between(&page.text, &format!("id=\"{id}\">"), "</td>");
        raw.replace("<strong>", "").replace("</strong>", "")
    };
    (
        cell("summary-net"),
        cell("summary-vat"),
        cell("summary-total"),
    )
}

pub async fn app_with_customer(
    configure: impl FnOnce(&mut tessera_server::Config),
) -> (TestApp, String, Vec<String>) {
    let app = spawn_app(Backend::Sqlite, configure).await.unwrap();
    let (token, sites) = customer(&app, 3).await;
    (app, token, sites)
}
