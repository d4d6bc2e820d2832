//! The whole operations log in the console (I1): every account's entries and the
//! operators' own, narrowed by account and outcome, the table alone for htmx, a refused
//! filter shown on the page, and the CSV export of the filtered rows. Only an operator's
//! session opens it.

use reqwest::StatusCode;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::site::account_with_data;
use crate::visitor::{Page, Visitor};

/// The `data-…` attribute `name` of every entry of the table.
fn column(page: &Page, name: &str) -> Vec<String> {
    let attr = format!("data-{name}=\"");
    page.text
        .split("<tr data-operation ")
        .skip(1)
        .map(|row| {
            let (_, value) = row.split_once(&attr).expect("the attribute");
            value.split('"').next().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_reads_and_exports_the_whole_operations_log() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    account_with_data(&app, 1).await;
    let account = app.api().accounts(None, 0, 10).await.unwrap().accounts[0]
        .id
        .to_string();
    // A refusal on record: a wrong password at the customers' sign-in.
    let mut customer = Visitor::new(&app);
    customer.sign_in("ib50", "not the password").await;
    customer.sign_in("ib50", PASSWORD).await;

    let mut v = operator(&app).await;
    let all = v.get("/operator/operations").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    assert!(
        all.text.contains("href=\"/operator/operations\""),
        "in the nav"
    );
    let accounts = column(&all, "account");
    assert!(accounts.contains(&account), "{accounts:?}");
    assert!(
        accounts.contains(&String::new()),
        "operators' own entries too"
    );
    assert!(
        all.text
            .contains(&format!("href=\"/operator/customers/{account}\"")),
        "each entry linked to its customer"
    );

    let one = v
        .get(&format!("/operator/operations?account={account}"))
        .await;
    let only = column(&one, "account");
    assert!(
        !only.is_empty() && only.iter().all(|a| *a == account),
        "{only:?}"
    );
    let refused = v.get("/operator/operations?outcome=refused").await;
    let outcomes = column(&refused, "outcome");
    assert!(!outcomes.is_empty(), "{}", refused.text);
    assert!(outcomes.iter().all(|o| o == "refused"), "{outcomes:?}");

    // htmx asks for the table alone.
    let r = reqwest::Client::new()
        .get(format!("{}/operator/operations?outcome=refused", app.base))
        .header("hx-request", "true")
        .header("cookie", v.cookie_header())
        .send()
        .await
        .unwrap();
    let table = r.text().await.unwrap();
    assert!(
        table.starts_with("<div id=\"operations-table\">"),
        "{table}"
    );

    // A day that is none: refused on the page, not an error page.
    let bad = v.get("/operator/operations?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("role=\"alert\""));
    // An account that is no number is refused, not read as every account.
    let bad = v.get("/operator/operations?account=rossi").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(column(&bad, "account").is_empty());
    let bad = v.get("/operator/operations/export?account=rossi").await;
    assert!(bad.status.is_client_error());

    let csv = v
        .get(&format!("/operator/operations/export?account={account}"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let rows: Vec<&str> = csv.text.lines().collect();
    assert!(rows.len() > 1, "{}", csv.text);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.split(',').nth(2) == Some(account.as_str())),
        "the account's rows only: {}",
        csv.text
    );

    // A customer's session does not open it: the console's sign-in instead.
    let theirs = customer.get("/operator/operations").await;
    assert!(theirs.status.is_redirection(), "{}", theirs.status);
    assert!(
        theirs.location().starts_with("/operator/sign-in"),
        "{}",
        theirs.location()
    );
    app.stop().await;
}
