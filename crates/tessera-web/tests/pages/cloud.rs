//! The cloud set-up page and the trial's wizard (E1, E5): counts by edition and size (the
//! empty groups too), the wizard to its confirmation, enabling sites (their codes mailed),
//! refusals in words, and what a user without the rights sees and may do.

use reqwest::StatusCode;
use tessera_api::{NewGroup, NewUser};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::cloud_given::{billing, csrf, customer, signed_in, trial};

/// The group `id`'s counts as the page writes them.
fn group(page: &str, id: &str) -> (u32, u32) {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no group {id}"));
    let attr = |name: &str| -> u32 {
        let marker = format!("{name}=\"");
        let from = page[at..].find(&marker).unwrap() + at + marker.len();
        page[from..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("data-available"), attr("data-active"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_set_up_page_counts_sites_by_edition_and_size_with_the_empty_groups() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, billing).await else {
            continue;
        };
        let (token, sites) = customer(&app, 4).await;
        let mut v = signed_in(&app, "ib50").await;

        let page = v.get("/cloud").await;
        assert_eq!(page.status, StatusCode::OK);
        let text = &page.text;
        assert!(text.contains("no cloud subscription yet"), "{text}");
        assert!(text.contains("Available sites: 4") && text.contains("Active sites: 0"));
        // Standard first, then the editions the plan covers that the account has none of.
        assert_eq!(group(text, "group-std-s10"), (4, 0));
        assert_eq!(group(text, "group-pro-s10"), (0, 0));
        assert_eq!(group(text, "group-ent-s10"), (0, 0));
        let std = text.find("group-std-s10").unwrap();
        let pro = text.find("group-pro-s10").unwrap();
        let ent = text.find("group-ent-s10").unwrap();
        assert!(std < pro && pro < ent, "by edition rank");
        assert_eq!(text.matches("no site of this edition and size").count(), 2);
        assert!(text.contains("Standard · 10 vehicles"));
        assert!(
            text.contains("href=\"/cloud/trial\""),
            "the trial is offered"
        );
        assert!(text.contains("aria-current=\"page\">Cloud<"), "the menu");

        trial(&app, &token).await;
        let csrf = csrf(&mut v).await;
        let enabled = v
            .post(
                "/cloud/sites",
                &[("csrf", &csrf), ("sites", &sites[0]), ("sites", &sites[2])],
            )
            .await;
        assert_eq!(enabled.status, StatusCode::SEE_OTHER, "{}", enabled.text);
        let page = v.get(enabled.location()).await;
        assert!(page.text.contains("2 sites are enabled"), "{}", page.text);
        assert!(page.text.contains("Active sites: 2"));
        assert_eq!(group(&page.text, "group-std-s10"), (4, 2));
        assert!(page.text.contains("free trial"), "the subscription's state");
        assert!(page.text.contains("2027-05-23"), "its end");
        assert!(!page.text.contains("href=\"/cloud/trial\""), "tried once");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enabling_two_sites_mails_their_codes_and_refusals_are_said_in_words() {
    let app = spawn_app(Backend::Sqlite, billing).await.unwrap();
    let (token, sites) = customer(&app, 4).await;
    let mut v = signed_in(&app, "ib50").await;
    let csrf = csrf(&mut v).await;

    let none_yet = v
        .post("/cloud/sites", &[("csrf", &csrf), ("sites", &sites[0])])
        .await;
    assert_eq!(none_yet.status, StatusCode::NOT_FOUND);
    assert!(
        none_yet
            .text
            .contains("Start the free trial or buy the service first")
    );

    trial(&app, &token).await;
    let nothing = v.post("/cloud/sites", &[("csrf", &csrf)]).await;
    assert!(
        nothing.text.contains("Select at least one site."),
        "{}",
        nothing.text
    );

    let enabled = v
        .post(
            "/cloud/sites",
            &[("csrf", &csrf), ("sites", &sites[0]), ("sites", &sites[1])],
        )
        .await;
    assert_eq!(enabled.status, StatusCode::SEE_OTHER, "{}", enabled.text);
    assert_eq!(enabled.location(), "/cloud?done=enabled&n=2");
    for rep in ["rep0@ib50.example", "rep1@ib50.example"] {
        let mails = app.mail_to(rep).await;
        assert_eq!(mails.len(), 1, "{rep}");
        assert!(mails[0].body.contains("Site code:"), "{}", mails[0].body);
    }

    // Too many for the seats; a site with no email; kept ticked, refused in words.
    let over = v
        .post(
            "/cloud/sites",
            &[("csrf", &csrf), ("sites", &sites[2]), ("sites", &sites[3])],
        )
        .await;
    assert_eq!(over.status, StatusCode::CONFLICT);
    assert!(over.text.contains("not enough sites left"), "{}", over.text);
    assert!(over.text.contains(&format!(
        "value=\"{}\" data-group=\"group-std-s10\" checked",
        sites[3]
    )));
    let no_email = v
        .post("/cloud/sites", &[("csrf", &csrf), ("sites", &sites[3])])
        .await;
    assert_eq!(no_email.status, StatusCode::CONFLICT);
    let error = no_email.text.split("id=\"cloud-error\">").nth(1).unwrap();
    assert!(
        error.starts_with("Installation …"),
        "names the site: {error}"
    );
    assert!(error.contains("no representative email yet"), "{error}");

    // An enabled site: its data sent again; disabling it waits for the renewal.
    let again = v
        .post(
            &format!("/cloud/sites/{}/codes", sites[0]),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(app.mail_to("rep0@ib50.example").await.len(), 2);
    let disabled = v
        .post(
            &format!("/cloud/sites/{}/disable", sites[0]),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::CONFLICT);
    assert!(
        disabled
            .text
            .contains("stays enabled until the subscription is renewed")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_the_rights_sees_no_such_button_and_is_refused_anyway() {
    let app = spawn_app(Backend::Sqlite, billing).await.unwrap();
    let (token, sites) = customer(&app, 2).await;
    let admin = app.api_as(Some(&token));
    let group = admin
        .create_group(&NewGroup {
            name: "site managers".into(),
            rights: vec!["sites.manage".into()],
        })
        .await
        .unwrap();
    let tom = admin
        .create_user(&NewUser {
            username: "tom.tech".into(),
            password: PASSWORD.into(),
            groups: vec![],
        })
        .await
        .unwrap();
    admin
        .set_group_members(
            group.id,
            &tessera_api::GroupMembers {
                user_ids: vec![tom.id],
                site_user_ids: None,
            },
        )
        .await
        .unwrap();
    trial(&app, &token).await;

    let mut v = signed_in(&app, "tom.tech").await;
    let page = v.get("/cloud").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.text.contains("id=\"order-button\""),
        "no order button"
    );
    assert!(!page.text.contains("href=\"/cloud/trial\""));
    assert!(!page.text.contains("href=\"/invoices\""), "no invoices");
    assert!(
        page.text.contains("id=\"enable-button\""),
        "sites.manage enables"
    );
    let csrf = page.hidden("csrf").unwrap();
    for (path, form) in [
        (
            "/cloud/buy",
            vec![("csrf", csrf.as_str()), ("plan", "cloud-s10")],
        ),
        (
            "/cloud/trial",
            vec![("csrf", csrf.as_str()), ("terms", "yes")],
        ),
    ] {
        let refused = v.post(path, &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(refused.text.contains("does not have the right"), "{path}");
    }
    for path in ["/cloud/buy", "/invoices"] {
        assert_eq!(v.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let enabled = v
        .post("/cloud/sites", &[("csrf", &csrf), ("sites", &sites[0])])
        .await;
    assert_eq!(enabled.status, StatusCode::SEE_OTHER);
}
