//! The list of all sites: counted, filtered, paged; htmx gets the table alone; German and
//! Italian readers get their language.

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::{Visitor, account_with_sites};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_sorts_and_pages() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let sites = account_with_sites(&app, 60).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;

    let first = v.get("/sites").await;
    assert!(first.text.contains("60 sites"), "{}", first.text);
    assert_eq!(first.text.matches("data-site=").count(), 50, "50 a page");
    assert!(first.text.contains("1 / 2"));
    let second = v.get("/sites?page=2").await;
    assert_eq!(second.text.matches("data-site=").count(), 10);
    let beyond = v.get("/sites?page=99").await;
    assert!(
        beyond.text.contains("2 / 2"),
        "a page past the end shows the last"
    );

    let active = v.get("/sites?state=active").await;
    assert!(active.text.contains("One site"), "{}", active.text);
    assert_eq!(active.text.matches("data-site=").count(), 1);
    let by_id = v.get(&format!("/sites?q={}", sites[7])).await;
    assert_eq!(by_id.text.matches("data-site=").count(), 1);
    assert!(by_id.text.contains(&format!("data-site=\"{}\"", sites[7])));
    let none = v.get("/sites?q=nothing-like-this").await;
    assert!(none.text.contains("No site matches."));
    let by_state = v.get("/sites?sort=state").await;
    let first_row = by_state.text.split("data-site=\"").nth(1).unwrap();
    assert!(first_row.contains("state-active"), "active sorts first");

    // htmx asks for the table only.
    v.headers
        .insert("hx-request", HeaderValue::from_static("true"));
    let partial = v.get("/sites?state=active").await;
    assert_eq!(partial.status, StatusCode::OK);
    assert!(partial.text.trim_start().starts_with("<div id=\"sites\">"));
    assert!(!partial.text.contains("<html"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn german_and_italian_readers_get_their_language() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_sites(&app, 1).await;
    let mut v = Visitor::new(&app);
    v.headers.insert(
        "accept-language",
        HeaderValue::from_static("de-DE,de;q=0.9,en;q=0.8"),
    );
    let german = v.get("/sign-in").await;
    assert!(german.text.contains("<html lang=\"de\">"));
    assert!(german.text.contains("Anmelden"));
    // Chosen on the sign-in page, remembered over the browser's.
    let chose = v.get("/language?set=it&next=/sign-in").await;
    assert_eq!(chose.status, StatusCode::SEE_OTHER);
    assert_eq!(chose.location(), "/sign-in");
    let italian = v.get("/sign-in").await;
    assert!(italian.text.contains("<html lang=\"it\">"));
    assert!(italian.text.contains("Accedi"));
    v.sign_in("ib50", PASSWORD).await;
    let list = v.get("/sites").await;
    assert!(list.text.contains("Tutti gli impianti"), "{}", list.text);
    assert!(list.text.contains("Un impianto"));
    let wrong = v.sign_in("ib50", "wrong").await;
    assert!(wrong.text.contains("I dati di accesso non sono corretti"));
}
