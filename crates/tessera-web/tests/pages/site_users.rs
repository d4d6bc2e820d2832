//! A site's users (H1) on its sheet: the account adds (a refusal keeps what was typed) and
//! removes them; a site user signed in with the site code sees its own site's sheet only,
//! without the account's actions; the account mails the site's activation data again.

use reqwest::StatusCode;
use tessera_api::{BundleRef, EnableSites, Group, NewGroup, NewPlan, NewSiteUser, StartTrial};
use tessera_testkit::TestApp;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::site::{account_with_data, has_section, support_service};
use crate::visitor::Visitor;

/// The account's group `station` holding `rights`.
async fn group(app: &TestApp, admin: &str, rights: &[&str]) -> Group {
    app.api_as(Some(admin))
        .create_group(&NewGroup {
            name: "station".into(),
            rights: rights.iter().map(|r| r.to_string()).collect(),
        })
        .await
        .unwrap()
}

/// The cloud's plan for the `crm` sites, its trial started and `site` enabled; the site code
/// mailed to the site's representative.
pub(crate) async fn enabled(app: &TestApp, admin: &str, site: &str) -> String {
    app.api()
        .create_plan(&NewPlan {
            code: "cloud-crm".into(),
            service: "cloud".into(),
            name: "CRM Cloud".into(),
            article_code: "F00772540".into(),
            price: 30000,
            currency: "EUR".into(),
            period_months: 12,
            trial_months: 6,
            trial_sites: 3,
            product: "crm".into(),
            bundles: vec![BundleRef {
                edition: "std".into(),
                size: "s10".into(),
            }],
        })
        .await
        .unwrap();
    let api = app.api_as(Some(admin));
    api.start_trial(&StartTrial {
        plan: "cloud-crm".into(),
        terms_accepted: true,
    })
    .await
    .unwrap();
    api.enable_sites(&EnableSites {
        sites: vec![site.to_owned()],
    })
    .await
    .unwrap();
    site_code(app).await
}

/// The site code in the latest activation data mailed to the representative.
async fn site_code(app: &TestApp) -> String {
    let mails = app.mail_to("rep@ib50.example").await;
    let body = &mails.last().expect("the activation data was mailed").body;
    body.lines()
        .find_map(|l| l.trim().strip_prefix("Site code:"))
        .unwrap_or_else(|| panic!("no site code in {body}"))
        .trim()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_adds_and_removes_the_sites_users() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 1).await;
    let site = &sites[0];
    let station = group(&app, &admin, &["sites.operations.view"]).await;
    let gid = station.id.to_string();
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let page = v.get(&format!("/sites/{site}")).await;
    assert!(has_section(&page, "users"));
    assert!(page.text.contains("This site has no users yet."));
    assert!(
        page.text
            .contains(&format!("name=\"groups\" value=\"{gid}\""))
    );
    let csrf = page.hidden("csrf").unwrap();
    let users = format!("/sites/{site}/users");

    let bad_name = [
        ("csrf", csrf.as_str()),
        ("username", "x"),
        ("password", "a-secret-never-shown-again"),
        ("groups", gid.as_str()),
    ];
    let refused = v.post(&users, &bad_name).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = refused
        .text
        .split("<div class=\"field has-error\">")
        .nth(1)
        .expect("the username has the error");
    assert!(
        field.contains("name=\"username\" type=\"text\" value=\"x\""),
        "{field}"
    );
    assert!(
        field.contains("A username has 3 to 64 characters"),
        "{field}"
    );
    assert!(
        refused.text.contains(&format!("value=\"{gid}\" checked")),
        "the group stays picked"
    );
    assert!(!refused.text.contains("a-secret-never-shown-again"));

    let short = [
        ("csrf", csrf.as_str()),
        ("username", "kiosk"),
        ("password", "short"),
    ];
    let refused = v.post(&users, &short).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = refused
        .text
        .split("<div class=\"field has-error\">")
        .nth(1)
        .unwrap();
    assert!(field.contains("name=\"password\""), "{field}");
    assert!(field.contains("The password is too short"), "{field}");

    let good = [
        ("csrf", csrf.as_str()),
        ("username", "Kiosk"),
        ("password", PASSWORD),
        ("groups", gid.as_str()),
    ];
    let added = v.post(&users, &good).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert_eq!(
        added.location(),
        format!("/sites/{site}?done=user-added#users")
    );
    let page = v.get(added.location()).await;
    assert!(page.text.contains("The user is added."));
    assert!(page.text.contains("<strong>kiosk</strong>"));
    assert!(page.text.contains(">station<"));
    let listed = app.api_as(Some(&admin)).site_users(site).await.unwrap();
    assert_eq!(listed.users.len(), 1);
    assert_eq!(listed.users[0].groups, [station.id]);

    let taken = v.post(&users, &good).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.text.contains("This username is taken."));
    assert!(taken.text.contains("value=\"Kiosk\""));

    let id = listed.users[0].id;
    let removed = v
        .post(
            &format!("/sites/{site}/users/{id}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let page = v.get(removed.location()).await;
    assert!(page.text.contains("The user is removed"));
    assert!(page.text.contains("This site has no users yet."));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_user_sees_its_own_sites_sheet_only_without_the_accounts_actions() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 2).await;
    let (mine, other) = (&sites[0], &sites[1]);
    support_service(&app).await;
    let code = enabled(&app, &admin, mine).await;
    // Every right but the technician's: the account-wide ones open nothing to a site user.
    let rights = [
        "sites.operations.view",
        "actions.costly.approve",
        "operations.view",
        "sites.manage",
        "users.manage",
        "invoices.view",
    ];
    let station = group(&app, &admin, &rights).await;
    let admin_user = NewSiteUser {
        username: "admin".into(),
        password: PASSWORD.into(),
        groups: vec![station.id],
    };
    app.api_as(Some(&admin))
        .create_site_user(mine, &admin_user)
        .await
        .unwrap();

    let mut v = Visitor::new(&app);
    let signed = v.sign_in_site("admin", PASSWORD, &code).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    let list = v.get("/sites").await;
    assert!(list.text.contains(&format!("href=\"/sites/{mine}\"")));
    assert!(!list.text.contains(&format!("href=\"/sites/{other}\"")));

    let page = v.get(&format!("/sites/{mine}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Rossi Trasporti"));
    assert!(page.text.contains("****-****-****-"), "the key is masked");
    for id in ["data", "licence", "technical", "services", "operations"] {
        assert!(has_section(&page, id), "{id}");
    }
    for hidden in [
        "id=\"users\"",
        "id=\"cloud\"",
        "/data/edit",
        "/technical/edit",
    ] {
        assert!(!page.text.contains(hidden), "{hidden} shown to a site user");
    }
    let csrf = page.hidden("csrf").unwrap();
    let refused = v.get(&format!("/sites/{mine}/data/edit")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let user = [
        ("csrf", csrf.as_str()),
        ("username", "mallory"),
        ("password", PASSWORD),
    ];
    let csrf_only = [("csrf", csrf.as_str())];
    let release = [("csrf", csrf.as_str()), ("confirm", "yes")];
    for (path, form) in [
        ("data", csrf_only.as_slice()),
        ("users", user.as_slice()),
        ("codes", csrf_only.as_slice()),
        ("release", release.as_slice()),
    ] {
        let page = v.post(&format!("/sites/{mine}/{path}"), form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }

    // Its own site's services it switches, with the group's rights; the account is mailed.
    let action = format!("/sites/{mine}/services/support");
    let on = [("csrf", csrf.as_str()), ("on", "yes"), ("confirm", "yes")];
    let switched = v.post(&action, &on).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.text);
    assert!(
        app.mail_to("office@ib50.example")
            .await
            .iter()
            .any(|m| m.kind == "service.activated")
    );

    // The other site is not found, on the sheet and for every action.
    let page = v.get(&format!("/sites/{other}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text.contains("There is no such site in your account."));
    let refused = v
        .post(&format!("/sites/{other}/services/support"), &on)
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_mails_an_enabled_sites_activation_data_again() {
    let app = spawn_app(Backend::Sqlite, |c| {
        c.rate_limits.cloud_codes_per_site_code = 2;
    })
    .await
    .unwrap();
    let (sites, admin) = account_with_data(&app, 2).await;
    let site = &sites[0];
    let first = enabled(&app, &admin, site).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;

    let page = v.get(&format!("/sites/{site}")).await;
    assert!(has_section(&page, "cloud"));
    assert!(page.text.contains("This site is enabled for the cloud."));
    assert!(page.text.contains("rep@ib50.example"));
    assert!(
        page.text
            .contains(&format!("action=\"/sites/{site}/codes\""))
    );
    let not_enabled = v.get(&format!("/sites/{}", sites[1])).await;
    assert!(!not_enabled.text.contains("id=\"cloud\""));

    let csrf = page.hidden("csrf").unwrap();
    let sent = v
        .post(&format!("/sites/{site}/codes"), &[("csrf", &csrf)])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text);
    assert_eq!(sent.location(), format!("/sites/{site}?done=codes#cloud"));
    let page = v.get(sent.location()).await;
    assert!(page.text.contains("The activation data is on its way"));
    let kinds: Vec<String> = app
        .mail_to("rep@ib50.example")
        .await
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, ["cloud.site_codes", "cloud.site_codes_again"]);
    assert_eq!(site_code(&app).await, first, "the same site code");

    // Too many in a row: the sheet comes back with the reason in its cloud section, and
    // nothing more is mailed.
    let again = v
        .post(&format!("/sites/{site}/codes"), &[("csrf", &csrf)])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text);
    let throttled = v
        .post(&format!("/sites/{site}/codes"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        throttled.text
    );
    assert!(has_section(&throttled, "cloud"), "{}", throttled.text);
    let cloud = throttled.text.split("id=\"cloud\"").nth(1).unwrap();
    assert!(
        cloud.contains(
            "<p class=\"alert\" role=\"alert\" id=\"cloud-error\" tabindex=\"-1\" autofocus>Too many attempts. Wait "
        ),
        "{cloud}"
    );
    let wait: u64 = throttled.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(cloud.contains(&format!("Wait {wait} seconds")), "{cloud}");
    assert!(cloud.contains("aria-describedby=\"cloud-help cloud-error\""));
    assert_eq!(app.mail_to("rep@ib50.example").await.len(), 3);

    // A site not enabled has nothing to send.
    let refused = v
        .post(&format!("/sites/{}/codes", sites[1]), &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    app.stop().await;
}
