//! The site's monthly services (F1–F3, seed 001's operations tab): switching asks first,
//! with the price and the billing rule; the confirmed switch is made and mailed to the
//! account; without the right to approve costs the state shows but not the switch, and a
//! forced switch is refused.

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use tessera_testkit::TestApp;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::site::{account_with_data, has_section, support_service};
use crate::visitor::Visitor;
use tessera_testkit::scenarios::user_with;

/// The kinds of mail queued to the account, oldest first.
async fn account_mail(app: &TestApp) -> Vec<String> {
    app.mail_to("office@ib50.example")
        .await
        .into_iter()
        .map(|m| m.kind)
        .collect()
}

async fn is_on(app: &TestApp, token: &str, site: &str) -> bool {
    let listed = app.api_as(Some(token)).site_services(site).await.unwrap();
    listed.services.iter().any(|s| s.code == "support" && s.on)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_asks_first_with_the_price_and_the_rule_then_switches_and_mails() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 1).await;
    let site = &sites[0];
    support_service(&app).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let action = format!("/sites/{site}/services/support");

    let page = v.get(&format!("/sites/{site}")).await;
    assert!(has_section(&page, "services"));
    assert!(
        page.text
            .contains("data-service=\"support\" data-on=\"false\"")
    );
    assert!(page.text.contains("49.00 EUR a month"));
    assert!(page.text.contains(&format!("hx-post=\"{action}\"")));
    assert!(page.text.contains(">Switch on<"));
    let csrf = page.hidden("csrf").unwrap();

    // htmx asks for the row: first the question, with the price and the rule.
    v.headers
        .insert("hx-request", HeaderValue::from_static("true"));
    let asked = v.post(&action, &[("csrf", &csrf), ("on", "yes")]).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.text.trim_start().starts_with("<li class=\"service\""));
    assert!(!asked.text.contains("<html"));
    for said in [
        "Switch 24/7 Support on for this site?",
        "It costs 49.00 EUR a month, billed from today",
        "this month is charged in full, whatever the day",
        "the month in which you switch it off is not charged",
        "Switch on for 49.00 EUR a month",
        "name=\"confirm\" value=\"yes\"",
    ] {
        assert!(asked.text.contains(said), "{said}: {}", asked.text);
    }
    assert!(!is_on(&app, &admin, site).await, "asking switches nothing");
    assert!(
        !account_mail(&app)
            .await
            .contains(&"service.activated".to_owned())
    );

    let confirmed = v
        .post(
            &action,
            &[("csrf", &csrf), ("on", "yes"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text);
    assert!(confirmed.text.contains("data-on=\"true\""));
    assert!(
        confirmed
            .text
            .contains("Switched on. The account is sent a confirmation by mail.")
    );
    assert!(confirmed.text.contains("on since "));
    assert!(confirmed.text.contains(">Switch off<"));
    assert!(is_on(&app, &admin, site).await);
    assert_eq!(
        account_mail(&app)
            .await
            .iter()
            .filter(|k| *k == "service.activated")
            .count(),
        1
    );

    // Off asks too, saying this month is not charged.
    let asked = v.post(&action, &[("csrf", &csrf), ("on", "no")]).await;
    assert!(
        asked
            .text
            .contains("Switch 24/7 Support off for this site?")
    );
    assert!(
        asked
            .text
            .contains("It stops at once, and this month is not charged.")
    );
    assert!(is_on(&app, &admin, site).await);
    let off = v
        .post(
            &action,
            &[("csrf", &csrf), ("on", "no"), ("confirm", "yes")],
        )
        .await;
    assert!(off.text.contains("data-on=\"false\""));
    assert!(!is_on(&app, &admin, site).await);
    assert!(
        account_mail(&app)
            .await
            .contains(&"service.deactivated".to_owned())
    );

    // A stale page's confirmation: the row says why, with the use case's status.
    let again = v
        .post(
            &action,
            &[("csrf", &csrf), ("on", "no"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text.contains("The service is not on at this site."));
    assert!(again.text.trim_start().starts_with("<li class=\"service\""));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_htmx_the_question_is_a_page_and_the_switch_goes_back_to_the_sheet() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 1).await;
    let site = &sites[0];
    support_service(&app).await;
    let mut v = Visitor::new(&app);
    v.sign_in("ib50", PASSWORD).await;
    let action = format!("/sites/{site}/services/support");
    let csrf = v
        .get(&format!("/sites/{site}"))
        .await
        .hidden("csrf")
        .unwrap();

    let asked = v.post(&action, &[("csrf", &csrf), ("on", "yes")]).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.text.contains("<html"));
    assert!(asked.text.contains("Switch 24/7 Support on for this site?"));
    assert!(asked.text.contains("← Back to Rossi Trasporti"));
    let confirmed = v
        .post(
            &action,
            &[("csrf", &csrf), ("on", "yes"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        confirmed.location(),
        format!("/sites/{site}?done=service-on#service-support")
    );
    let sheet = v.get(confirmed.location()).await;
    assert!(sheet.text.contains("Switched on."));
    assert!(sheet.text.contains("data-on=\"true\""));
    assert!(is_on(&app, &admin, site).await);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_approving_costs_the_state_shows_but_no_switch() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 1).await;
    let site = &sites[0];
    support_service(&app).await;
    app.api_as(Some(&admin))
        .switch_service_on(site, "support")
        .await
        .unwrap();
    user_with(&app, &admin, "tab.only", &["sites.operations.view"]).await;
    user_with(&app, &admin, "costs.only", &["actions.costly.approve"]).await;
    let action = format!("/sites/{site}/services/support");

    let mut tab = Visitor::new(&app);
    tab.sign_in("tab.only", PASSWORD).await;
    let page = tab.get(&format!("/sites/{site}")).await;
    assert!(has_section(&page, "services"));
    assert!(
        page.text
            .contains("data-service=\"support\" data-on=\"true\"")
    );
    assert!(page.text.contains("on since "));
    assert!(
        page.text
            .contains("needs the right to approve actions with follow-up costs")
    );
    assert!(
        !page.text.contains(&format!("action=\"{action}\"")),
        "no switch"
    );
    let csrf = page.hidden("csrf").unwrap();
    for form in [
        vec![("csrf", csrf.as_str()), ("on", "no")],
        vec![("csrf", csrf.as_str()), ("on", "no"), ("confirm", "yes")],
    ] {
        let refused = tab.post(&action, &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.text.contains("does not have the right"));
    }
    assert!(is_on(&app, &admin, site).await, "still on");

    // Approving costs without the tab: no services at all, and no switch either.
    let mut costs = Visitor::new(&app);
    costs.sign_in("costs.only", PASSWORD).await;
    let page = costs.get(&format!("/sites/{site}")).await;
    assert!(!page.text.contains("id=\"services\""));
    let csrf = page.hidden("csrf").unwrap();
    let refused = costs
        .post(
            &action,
            &[("csrf", &csrf), ("on", "no"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(is_on(&app, &admin, site).await);
    assert!(
        !app.mail_to("office@ib50.example")
            .await
            .iter()
            .any(|m| m.kind == "service.deactivated")
    );
    app.stop().await;
}
