//! Customers in the console: found by the start of their username or VAT number; one
//! account's page with its installations (their technicians and charging points), users and
//! operations; an installation suspended,
//! resumed, given an expiry and released from its machine, each on record.

use reqwest::StatusCode;
use tessera_api::{NewUser, SiteTechnicalData, Technician};
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::scenarios::account_login;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::visitor::account_with_sites;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_finds_a_customer_and_looks_after_its_installations() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let sites = account_with_sites(&app, 2).await;
        let admin = account_login(&app, "ib50").await;
        let portal = app.api_as(Some(&admin));
        let tom = NewUser {
            username: "tom.tech".into(),
            password: PASSWORD.into(),
            groups: Vec::new(),
        };
        let tom = portal.create_user(&tom).await.unwrap();
        portal.disable_user(tom.id).await.unwrap();
        let account = portal.own_account().await.unwrap();
        let vat = account.company.vat_number.clone();

        let mut v = operator(&app).await;
        for q in ["ib5", &vat[..6], &account.email[..8]] {
            let found = v.get(&format!("/operator/customers?q={q}")).await;
            assert_eq!(found.status, StatusCode::OK, "{}", found.text);
            assert!(
                found
                    .text
                    .contains(&format!("href=\"/operator/customers/{}\"", account.id)),
                "{q}: {}",
                found.text
            );
        }
        let none = v.get("/operator/customers?q=nobody").await;
        assert!(none.text.contains("No customer matches."));

        // The second site names its technician and a charging point; the first none.
        let technical = SiteTechnicalData {
            technician: Some(Technician {
                name: "Luca Bianchi".into(),
                phone: "0039 348 1234567".into(),
                email: "luca@service.example".into(),
            }),
            evse_ids: vec!["DE*ABC*E123456*1".into()],
        };
        portal
            .set_own_technical(&sites[1], &technical)
            .await
            .unwrap();

        let page_path = format!("/operator/customers/{}", account.id);
        let page = v.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        for site in &sites {
            assert!(page.text.contains(&format!("data-site=\"{site}\"")));
        }
        let rows: Vec<&str> = page.text.split("<tr data-site=").skip(1).collect();
        let row_of = |site: &str| {
            rows.iter()
                .find(|r| r.starts_with(&format!("\"{site}\"")))
                .unwrap()
                .to_string()
        };
        let second = row_of(&sites[1]);
        assert!(
            second.contains("<p data-technician>Luca Bianchi · 0039 348 1234567 · "),
            "{second}"
        );
        assert!(second.contains("<li>DE*ABC*E123456*1</li>"), "{second}");
        let first = row_of(&sites[0]);
        assert!(first.contains("No technician is named yet."), "{first}");
        assert!(
            first.contains("No charging point is listed yet."),
            "{first}"
        );
        assert!(
            page.text
                .contains("tom.tech · <span class=\"muted\">disabled</span>")
        );
        let csrf = page.hidden("csrf").unwrap();
        let active = &sites[0];
        let act = async |v: &mut crate::visitor::Visitor, action: &str, form: &[(&str, &str)]| {
            let mut fields = vec![("csrf", csrf.as_str())];
            fields.extend_from_slice(form);
            v.post(&format!("{page_path}/sites/{active}/{action}"), &fields)
                .await
        };

        let done = act(&mut v, "suspend", &[]).await;
        assert_eq!(done.location(), format!("{page_path}?done=suspended#sites"));
        assert_eq!(app.api().site(active).await.unwrap().status, "suspended");
        act(&mut v, "resume", &[]).await;
        assert_eq!(app.api().site(active).await.unwrap().status, "active");

        // A date that is none comes back at the installation's form: the reason beside it,
        // what was typed kept, the field marked, the expiry unchanged.
        let bad = act(&mut v, "expiry", &[("expires", "31.01.2027")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
        let rows: Vec<&str> = bad.text.split("<tr data-site=").skip(1).collect();
        let refused_row = rows
            .iter()
            .find(|r| r.starts_with(&format!("\"{active}\"")))
            .unwrap();
        assert!(
            refused_row.contains(&format!(
                "value=\"31.01.2027\" aria-invalid=\"true\" aria-describedby=\"site-error-{active}\""
            )),
            "{refused_row}"
        );
        assert!(
            refused_row.contains(&format!(
                "<p class=\"alert\" role=\"alert\" id=\"site-error-{active}\" data-site-error>"
            )),
            "{refused_row}"
        );
        assert_eq!(
            bad.text.matches("data-site-error").count(),
            1,
            "only the refused installation shows a reason"
        );
        assert_eq!(app.api().site(active).await.unwrap().expires_at, None);
        act(&mut v, "expiry", &[("expires", "2027-01-31")]).await;
        let expires = app.api().site(active).await.unwrap().expires_at.unwrap();
        let page = v.get(&page_path).await;
        assert!(
            page.text.contains("value=\"2027-01-31\""),
            "{expires}: {}",
            page.text
        );
        act(&mut v, "expiry", &[("expires", "")]).await;
        assert_eq!(app.api().site(active).await.unwrap().expires_at, None);

        let released = act(&mut v, "release", &[]).await;
        assert_eq!(
            released.location(),
            format!("{page_path}?done=released#sites")
        );
        assert_eq!(app.api().site(active).await.unwrap().status, "deactivated");
        // Released already: refused, and said so.
        let again = act(&mut v, "release", &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
        assert!(
            again
                .text
                .contains(&format!(
                    "id=\"site-error-{active}\" data-site-error tabindex=\"-1\" autofocus>The site&#39;s program is not activated on a machine (not yet, or no longer)"
                )),
            "the reason is at the installation: {}",
            again.text
        );

        let page = v.get(&format!("{page_path}?done=released")).await;
        assert!(
            page.text
                .contains("The installation was released from its machine.")
        );
        assert!(
            page.text.contains("operator:admin"),
            "the operator's actions are in the account's operations: {}",
            page.text
        );
        assert_eq!(
            v.get("/operator/customers/999999").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

/// I2 from the console: the account's page says how long its operations log is kept, the
/// operator gives it its own number of days or hands it back to the server's setting, a
/// number out of range is refused with its code, and the change is on record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_sets_how_long_an_accounts_log_is_kept() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |c| c.operations_log_days = 45).await else {
            continue;
        };
        account_with_sites(&app, 1).await;
        let admin = account_login(&app, "ib50").await;
        let id = app.api_as(Some(&admin)).own_account().await.unwrap().id;
        let page_path = format!("/operator/customers/{id}");
        let mut v = operator(&app).await;

        let page = v.get(&page_path).await;
        assert!(
            page.text
                .contains("<dd data-retention>45 days (the server&#39;s setting)</dd>"),
            "{}",
            page.text
        );
        let csrf = page.hidden("csrf").unwrap();
        let retention_path = format!("{page_path}/log-retention");
        let set = async |v: &mut crate::visitor::Visitor, days: &str| {
            v.post(&retention_path, &[("csrf", csrf.as_str()), ("days", days)])
                .await
        };

        let done = set(&mut v, " 30 ").await;
        assert_eq!(
            done.location(),
            format!("{page_path}?done=retention#account")
        );
        assert_eq!(
            app.api().account(id).await.unwrap().log_retention_days,
            Some(30)
        );
        let page = v.get(&format!("{page_path}?done=retention")).await;
        assert!(
            page.text
                .contains("The operations log&#39;s retention was saved.")
        );
        assert!(
            page.text
                .contains("<dd data-retention>30 days (its own setting)</dd>"),
            "{}",
            page.text
        );
        assert!(page.text.contains("name=\"days\" type=\"number\" min=\"1\" max=\"3650\" inputmode=\"numeric\" value=\"30\""));

        // Refused: the account's page again, the reason at the form, what was typed kept.
        let alert = "<p class=\"alert\" role=\"alert\" id=\"retention-error\">Keep the log for";
        for bad in ["0", "3651", "thirty", "-5"] {
            let refused = set(&mut v, bad).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(refused.text.contains(alert), "{bad}: {}", refused.text);
            let kept = format!(
                "value=\"{bad}\" aria-describedby=\"retention-hint retention-error\" aria-invalid=\"true\""
            );
            assert!(refused.text.contains(&kept), "{bad}: {}", refused.text);
            assert!(
                refused
                    .text
                    .contains("<dd data-retention>30 days (its own setting)</dd>")
            );
        }
        assert_eq!(
            app.api().account(id).await.unwrap().log_retention_days,
            Some(30),
            "a refused number changes nothing"
        );

        set(&mut v, "").await;
        assert_eq!(
            app.api().account(id).await.unwrap().log_retention_days,
            None
        );
        assert!(
            v.get(&page_path)
                .await
                .text
                .contains("<dd data-retention>45 days (the server&#39;s setting)</dd>")
        );
        let missing = v
            .post(
                "/operator/customers/999999/log-retention",
                &[("csrf", csrf.as_str()), ("days", "30")],
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let log = app
            .api()
            .operations(&format!("?account={id}"))
            .await
            .unwrap()
            .operations;
        assert!(
            log.iter()
                .any(|o| o.actor == "operator:admin" && o.operation.contains("log-retention")),
            "{log:?}"
        );
    }
}
