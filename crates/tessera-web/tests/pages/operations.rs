//! The operations log's page (I1): the account's entries filtered by outcome, site, what was
//! done and days, the table alone for htmx, and its CSV export holding the filtered rows
//! only under a header row; a site user reads its own site's entries whatever it asks for;
//! who lacks `operations.view` is refused the page and the export.

use reqwest::StatusCode;
use tessera_api::{NewGroup, NewSiteUser};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::site::account_with_data;
use crate::site_users::enabled;
use crate::visitor::{Page, Visitor};
use tessera_testkit::scenarios::user_with;

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

/// A refused and a done change of the charging points at `site`, by `v`; `n` makes the
/// point its own.
async fn a_refusal_and_a_change(v: &mut Visitor, csrf: &str, site: &str, n: usize) {
    let path = format!("/sites/{site}/technical");
    let bad = [("csrf", csrf), ("evse_ids", "not an evse id")];
    let refused = v.post(&path, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let point = format!("DE*ABC*E12345{n}*1");
    let good = [("csrf", csrf), ("evse_ids", point.as_str())];
    let done = v.post(&path, &good).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
}

/// The CSV's rows as cells, its header row first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_filters_by_outcome_and_site_and_exports_the_filtered_rows() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 2).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let csrf = v.get("/sites").await.hidden("csrf").unwrap();
    for (n, site) in sites.iter().enumerate() {
        a_refusal_and_a_change(&mut v, &csrf, site, n).await;
    }

    let all = v.get("/operations").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.text.contains("Operations log"));
    let outcomes = column(&all, "outcome");
    assert!(outcomes.contains(&"ok".to_owned()) && outcomes.contains(&"refused".to_owned()));
    assert!(all.text.contains("POST /sites/{site_id}/technical"));
    assert!(all.text.contains("account:ib50"));
    // How long the entries stay (I2): the server's 90 days, then the account's own 7.
    assert!(
        all.text
            .contains("<span data-kept>Entries are kept for 90 days.</span>"),
        "{}",
        all.text
    );
    let account = app.api_as(Some(&admin)).own_account().await.unwrap().id;
    let week = tessera_api::SetLogRetention { days: Some(7) };
    app.api().set_log_retention(account, &week).await.unwrap();
    let all = v.get("/operations").await;
    assert!(
        all.text
            .contains("<span data-kept>Entries are kept for 7 days.</span>")
    );

    let refused = v.get("/operations?outcome=refused").await;
    let outcomes = column(&refused, "outcome");
    assert_eq!(outcomes, ["refused", "refused"], "{}", refused.text);
    assert!(refused.text.contains("EVSE_ID_INVALID"));
    assert!(refused.text.contains("<option value=\"refused\" selected>"));

    // The site's page links here with its site chosen.
    let sheet = v.get(&format!("/sites/{}", sites[1])).await;
    let link = format!("href=\"/operations?site={}\"", sites[1]);
    assert!(sheet.text.contains(&link));
    let on_site = v.get(&format!("/operations?site={}", sites[1])).await;
    let at = column(&on_site, "site");
    assert!(
        !at.is_empty() && at.iter().all(|s| *s == sites[1]),
        "{at:?}"
    );
    assert!(
        on_site
            .text
            .contains(&format!("<option value=\"{}\" selected>", sites[1]))
    );

    // Both filters, and what was done; htmx gets the table alone.
    let query = format!("?outcome=refused&site={}", sites[1]);
    let both = v.get(&format!("/operations{query}")).await;
    assert_eq!(column(&both, "outcome"), ["refused"]);
    let mut htmx = Visitor::new(&app);
    htmx.cookies = v.cookies.clone();
    htmx.headers.insert("hx-request", "true".parse().unwrap());
    let table = htmx.get(&format!("/operations{query}")).await;
    assert!(table.text.starts_with("<div id=\"operations-table\">"));
    assert!(!table.text.contains("<html"));
    assert_eq!(column(&table, "outcome"), ["refused"]);
    let what = v.get("/operations?operation=TECHNICAL").await;
    assert_eq!(column(&what, "outcome").len(), 4);
    let later = v.get("/operations?from=2999-01-01").await;
    assert!(later.text.contains("No operation matches."));
    let until = v.get("/operations?to=1999-12-31").await;
    assert!(until.text.contains("No operation matches."));
    let bad = v.get("/operations?outcome=maybe").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("Choose done, refused or failed."));

    // The export holds the filtered rows only, under a header row.
    let export_link = format!(
        "href=\"/operations/export?site={}&outcome=refused\"",
        sites[1]
    );
    let unescaped = both.text.replace("&#38;", "&").replace("&amp;", "&");
    assert!(unescaped.contains(&export_link), "{}", both.text);
    let export = v
        .get(&format!(
            "/operations/export?site={}&outcome=refused",
            sites[1]
        ))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.headers["content-type"], "text/csv; charset=utf-8");
    let disposition = export.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"operations-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let rows = csv_rows(&export.text);
    assert_eq!(rows[0][..4], ["id", "at", "account_id", "actor"]);
    assert_eq!(rows.len(), 2, "{}", export.text);
    let (site, outcome) = (5, 7);
    assert_eq!(rows[0][site], "site_id");
    assert_eq!(rows[0][outcome], "outcome");
    assert_eq!(
        (rows[1][site].as_str(), rows[1][outcome].as_str()),
        (sites[1].as_str(), "refused")
    );
    let everything = csv_rows(&v.get("/operations/export").await.text);
    assert!(everything.len() > rows.len());

    // Without the log's right: no menu entry, and the page and the export are refused.
    user_with(&app, &admin, "tom", &["sites.technical.edit"]).await;
    let mut tom = Visitor::new(&app);
    tom.sign_in("tom", PASSWORD).await;
    assert!(
        !tom.get("/sites")
            .await
            .text
            .contains("href=\"/operations\"")
    );
    assert_eq!(tom.get("/operations").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        tom.get("/operations/export").await.status,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_user_reads_its_own_sites_operations_only() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 2).await;
    let (mine, other) = (&sites[0], &sites[1]);
    let code = enabled(&app, &admin, mine).await;
    let api = app.api_as(Some(&admin));
    // The log's right and the users' one: the second opens nothing to a site user.
    let station = api
        .create_group(&NewGroup {
            name: "station".into(),
            rights: vec!["operations.view".into(), "users.manage".into()],
        })
        .await
        .unwrap();
    let admin_user = NewSiteUser {
        username: "admin".into(),
        password: PASSWORD.into(),
        groups: vec![station.id],
    };
    api.create_site_user(mine, &admin_user).await.unwrap();
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let csrf = v.get("/sites").await.hidden("csrf").unwrap();
    for (n, site) in sites.iter().enumerate() {
        a_refusal_and_a_change(&mut v, &csrf, site, n).await;
    }

    let mut site_user = Visitor::new(&app);
    let signed = site_user.sign_in_site("admin", PASSWORD, &code).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    let page = site_user.get("/operations").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("href=\"/operations\""), "in the menu");
    assert!(
        !page.text.contains("href=\"/users\""),
        "not the account's users"
    );
    assert!(
        !page.text.contains("id=\"site\""),
        "no other site to choose"
    );
    let at = column(&page, "site");
    assert!(!at.is_empty() && at.iter().all(|s| s == mine), "{at:?}");
    assert!(!page.text.contains(other.as_str()));
    // Asking for the other site still shows its own.
    let asked = site_user.get(&format!("/operations?site={other}")).await;
    let at = column(&asked, "site");
    assert!(at.iter().all(|s| s == mine), "{at:?}");
    let export = site_user
        .get(&format!("/operations/export?site={other}"))
        .await;
    let rows = csv_rows(&export.text);
    assert!(rows.len() > 1);
    assert!(rows[1..].iter().all(|r| r[5] == *mine), "{}", export.text);
    assert_eq!(site_user.get("/users").await.status, StatusCode::FORBIDDEN);
    app.stop().await;
}
