//! One site's sheet: the list links to it; it shows the identification data and licence;
//! the account changes the data (a refusal keeps what was typed, the reason at its field);
//! another account's site is not found; every section shows only with its right, and every
//! action is refused without it when called anyway.

use reqwest::StatusCode;
use tessera_api::{NewService, SiteData};
use tessera_testkit::TestApp;
use tessera_testkit::fixtures::{IT_VATS, PASSWORD};
use tessera_testkit::scenarios::{account_login, batch_keys, register, user_with};
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::{Page, Visitor, account_with_sites};

/// Rossi's identification data, `rep@ib50.example` its representative.
pub fn rossi() -> SiteData {
    SiteData {
        company: "Rossi Trasporti".into(),
        branch: Some("Depot Nord".into()),
        address: "Via Emilia 4".into(),
        zip: "20121".into(),
        locality: "Milano".into(),
        province: "MI".into(),
        nation: "IT".into(),
        representative_name: "Anna".into(),
        representative_surname: "Bianchi".into(),
        representative_email: "rep@ib50.example".into(),
    }
}

/// `account_with_sites` with Rossi's data on the first site; the site ids and the account's
/// API token.
pub async fn account_with_data(app: &TestApp, n: u32) -> (Vec<String>, String) {
    let sites = account_with_sites(app, n).await;
    let token = account_login(app, "ib50").await;
    app.api_as(Some(&token))
        .change_site_data(&sites[0], &rossi())
        .await
        .unwrap();
    (sites, token)
}

/// The operator adds the monthly service `support`, "24/7 Support" at 49.00 EUR.
pub async fn support_service(app: &TestApp) {
    app.api()
        .create_service(&NewService {
            code: "support".into(),
            name: "24/7 Support".into(),
            monthly_price: 4900,
            currency: "EUR".into(),
        })
        .await
        .unwrap();
}

/// Whether the page has the section `id`.
pub fn has_section(page: &Page, id: &str) -> bool {
    page.text
        .contains(&format!("id=\"{id}\" aria-labelledby=\"{id}-title\""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sheet_shows_the_data_and_the_licence_and_the_list_links_to_it() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, _) = account_with_data(&app, 2).await;
    let site = &sites[0];
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;

    let list = v.get("/sites").await;
    for id in &sites {
        assert!(list.text.contains(&format!("href=\"/sites/{id}\"")), "{id}");
    }
    let page = v.get(&format!("/sites/{site}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Rossi Trasporti",
        "Depot Nord",
        "Via Emilia 4",
        "20121",
        "Milano",
        "Anna Bianchi",
        "rep@ib50.example",
        "crm · std · s10",
        "Product key",
        "Activated",
        "never",
    ] {
        assert!(page.text.contains(shown), "{shown}: {}", page.text);
    }
    assert!(page.text.contains("badge state-active"));
    // The superadmin holds every right: every section, every action.
    for id in [
        "data",
        "licence",
        "technical",
        "services",
        "users",
        "operations",
    ] {
        assert!(has_section(&page, id), "{id}");
    }
    for link in [
        format!("href=\"/sites/{site}/data/edit\""),
        format!("href=\"/sites/{site}/technical/edit\""),
        format!("href=\"/operations?site={site}\""),
    ] {
        assert!(page.text.contains(&link), "{link}");
    }
    // The data change through the API is among the site's recent operations.
    assert!(
        page.text
            .contains("PUT /api/v1/account/sites/{site_id}/data"),
        "{}",
        page.text
    );
    assert!(
        !page.text.contains("id=\"cloud\""),
        "not enabled for the cloud: nothing to send again"
    );
    // A site whose program has sent nothing yet.
    let bare = v.get(&format!("/sites/{}", sites[1])).await;
    assert_eq!(bare.status, StatusCode::OK);
    assert!(bare.text.contains("has not sent its data yet"));
    app.stop().await;
}

/// The data form's fields as typed, with `email` as the representative's address.
fn typed<'a>(csrf: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("company", "Bianchi Energia"),
        ("branch", "Hub Sud"),
        ("address", "Via Roma 1"),
        ("zip", "40121"),
        ("locality", "Bologna"),
        ("province", "BO"),
        ("nation", "it"),
        ("representative_name", "Carla"),
        ("representative_surname", "Verdi"),
        ("representative_email", email),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_changes_the_data_and_a_refusal_keeps_what_was_typed() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, token) = account_with_data(&app, 1).await;
    let site = &sites[0];
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;

    let form = v.get(&format!("/sites/{site}/data/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("value=\"Rossi Trasporti\""));
    assert!(form.text.contains("value=\"rep@ib50.example\""));
    let csrf = form.hidden("csrf").unwrap();

    let refused = v
        .post(
            &format!("/sites/{site}/data"),
            &typed(&csrf, "not an address"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for kept in ["Bianchi Energia", "Hub Sud", "Bologna", "not an address"] {
        assert!(
            refused.text.contains(&format!("value=\"{kept}\"")),
            "{kept} stays typed"
        );
    }
    let field = refused
        .text
        .split("<div class=\"field has-error\">")
        .nth(1)
        .expect("one field has the error")
        .split("</div>")
        .next()
        .unwrap();
    assert!(field.contains("name=\"representative_email\""), "{field}");
    assert!(field.contains("This is not an email address."), "{field}");
    assert!(field.contains("aria-invalid=\"true\""), "{field}");
    let unchanged = app.api_as(Some(&token)).own_sites().await.unwrap();
    assert_eq!(
        unchanged.sites[0].data.as_ref().unwrap().company,
        "Rossi Trasporti"
    );

    let saved = v
        .post(
            &format!("/sites/{site}/data"),
            &typed(&csrf, "carla@bianchi.example"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    assert_eq!(saved.location(), format!("/sites/{site}?done=data#data"));
    let page = v.get(saved.location()).await;
    assert!(page.text.contains("The identification data is saved."));
    assert!(page.text.contains("Bianchi Energia"));
    assert!(page.text.contains("carla@bianchi.example"));
    let changed = app.api_as(Some(&token)).own_sites().await.unwrap();
    let data = changed.sites[0].data.clone().unwrap();
    assert_eq!(
        (data.company.as_str(), data.nation.as_str()),
        ("Bianchi Energia", "IT")
    );
    assert!(changed.sites[0].label.contains("Bianchi Energia"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_accounts_site_is_not_found() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, _) = account_with_data(&app, 1).await;
    support_service(&app).await;
    let keys = batch_keys(&app, "crm", "std", "s10", 1).await;
    register(&app, "rx70", "office@rx70.example", IT_VATS[1], &keys[0]).await;
    let theirs = account_login(&app, "rx70").await;
    let other = app.api_as(Some(&theirs)).own_sites().await.unwrap().sites[0]
        .site_id
        .clone();
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let csrf = v
        .get(&format!("/sites/{}", sites[0]))
        .await
        .hidden("csrf")
        .unwrap();

    for path in [
        format!("/sites/{other}"),
        format!("/sites/{other}/data/edit"),
        format!("/sites/{other}/technical/edit"),
        "/sites/S-NO-SUCH-SITE".to_owned(),
    ] {
        let page = v.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.text.contains("There is no such site in your account."),
            "{path}: {}",
            page.text
        );
    }
    let data = typed(&csrf, "carla@bianchi.example");
    let on = [("csrf", csrf.as_str()), ("on", "yes"), ("confirm", "yes")];
    let user = [
        ("csrf", csrf.as_str()),
        ("username", "mallory"),
        ("password", PASSWORD),
    ];
    let technical = [("csrf", csrf.as_str()), ("evse_ids", "DE*ABC*E1")];
    let csrf_only = [("csrf", csrf.as_str())];
    for (path, form) in [
        ("data", data.as_slice()),
        ("technical", technical.as_slice()),
        ("services/support", on.as_slice()),
        ("users", user.as_slice()),
        ("codes", csrf_only.as_slice()),
        (
            "release",
            [("csrf", csrf.as_str()), ("confirm", "yes")].as_slice(),
        ),
    ] {
        let page = v.post(&format!("/sites/{other}/{path}"), form).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}: {}", page.text);
    }
    let untouched = app.api_as(Some(&theirs)).own_sites().await.unwrap();
    assert!(untouched.sites[0].data.is_none());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sections_show_only_with_their_rights_and_actions_are_refused_without() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 1).await;
    let site = &sites[0];
    support_service(&app).await;
    user_with(&app, &admin, "nina.none", &[]).await;
    user_with(&app, &admin, "olga.log", &["operations.view"]).await;

    // No right at all: the site's data, licence and technician, nothing to change.
    let mut nina = Visitor::new(&app);
    nina.sign_in("nina.none", PASSWORD).await;
    let page = nina.get(&format!("/sites/{site}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Rossi Trasporti"));
    for id in ["data", "licence", "technical"] {
        assert!(has_section(&page, id), "{id}");
    }
    for hidden in [
        "id=\"services\"",
        "id=\"users\"",
        "id=\"operations\"",
        "id=\"cloud\"",
        "/data/edit",
        "/technical/edit",
        "/release",
    ] {
        assert!(
            !page.text.contains(hidden),
            "{hidden} shown without its right"
        );
    }
    let csrf = page.hidden("csrf").unwrap();
    for path in ["data/edit", "technical/edit"] {
        let refused = nina.get(&format!("/sites/{site}/{path}")).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(refused.text.contains("does not have the right"), "{path}");
    }
    let data = typed(&csrf, "carla@bianchi.example");
    let on = [("csrf", csrf.as_str()), ("on", "yes")];
    let user = [
        ("csrf", csrf.as_str()),
        ("username", "mallory"),
        ("password", PASSWORD),
    ];
    let csrf_only = [("csrf", csrf.as_str())];
    for (path, form) in [
        ("data", data.as_slice()),
        ("technical", csrf_only.as_slice()),
        ("services/support", on.as_slice()),
        ("users", user.as_slice()),
        ("users/1/delete", csrf_only.as_slice()),
        ("codes", csrf_only.as_slice()),
        (
            "release",
            [("csrf", csrf.as_str()), ("confirm", "yes")].as_slice(),
        ),
    ] {
        let refused = nina.post(&format!("/sites/{site}/{path}"), form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
    }
    let unchanged = app.api_as(Some(&admin)).own_sites().await.unwrap();
    assert_eq!(unchanged.sites[0].data, Some(rossi()));
    assert_eq!(unchanged.sites[0].status, "active", "not released");

    // The log's right opens the recent operations, and only them; the refusals are there.
    let mut olga = Visitor::new(&app);
    olga.sign_in("olga.log", PASSWORD).await;
    let page = olga.get(&format!("/sites/{site}")).await;
    assert!(has_section(&page, "operations"));
    assert!(!page.text.contains("id=\"services\""));
    assert!(!page.text.contains("id=\"users\""));
    assert!(page.text.contains("user:nina.none"), "{}", page.text);
    assert!(page.text.contains("POST /sites/{site_id}/data"));
    assert!(page.text.contains("RIGHT_REQUIRED"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_technician_and_charging_points_are_kept_with_their_right() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 1).await;
    let site = &sites[0];
    user_with(&app, &admin, "tom.tech", &["sites.technical.edit"]).await;
    let mut tom = Visitor::new(&app);
    tom.sign_in("tom.tech", PASSWORD).await;
    let page = tom.get(&format!("/sites/{site}")).await;
    assert!(page.text.contains("No technician is named yet."));
    assert!(
        page.text
            .contains(&format!("href=\"/sites/{site}/technical/edit\""))
    );
    assert!(
        !page.text.contains("/data/edit"),
        "the data is the account's"
    );

    let form = tom.get(&format!("/sites/{site}/technical/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.hidden("csrf").unwrap();
    let typed = |points: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("technician_name", "Luca Neri".to_owned()),
            ("technician_phone", "+39 348 1234567".to_owned()),
            ("technician_email", "luca@service.example".to_owned()),
            ("evse_ids", points.to_owned()),
        ]
    };
    let bad = typed("DE*ABC*E123456*1\n\nIT*XY\n");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = tom.post(&format!("/sites/{site}/technical"), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("value=\"Luca Neri\""));
    let field = refused
        .text
        .split("<div class=\"field has-error\">")
        .nth(1)
        .expect("the charging points have the error");
    assert!(field.contains("name=\"evse_ids\""), "{field}");
    assert!(field.contains("IT*XY: This is not an EVSE ID"), "{field}");
    assert!(
        field.contains("DE*ABC*E123456*1\n\nIT*XY"),
        "the lines stay typed"
    );

    let good = typed("de*abc*e123456*1\nDE*ABC*E123456*2");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = tom.post(&format!("/sites/{site}/technical"), &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let page = tom.get(saved.location()).await;
    for shown in [
        "The technician and charging points are saved.",
        "Luca Neri",
        "+39 348 1234567",
        "DE*ABC*E123456*1",
        "DE*ABC*E123456*2",
    ] {
        assert!(page.text.contains(shown), "{shown}");
    }
    let stored = app.api_as(Some(&admin)).own_technical(site).await.unwrap();
    assert_eq!(stored.evse_ids, ["DE*ABC*E123456*1", "DE*ABC*E123456*2"]);
    app.stop().await;
}
