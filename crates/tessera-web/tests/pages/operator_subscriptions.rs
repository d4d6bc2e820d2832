//! Subscriptions in the console (E4): the operator blocks a customer's subscription with a
//! note, the customer reads the state and the note on its cloud page; a note too long is
//! refused and changes nothing; resumed, the note goes with it.

use reqwest::StatusCode;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;
use crate::site::account_with_data;
use crate::visitor::Visitor;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_subscription_shows_the_operators_note_to_the_customer() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let (sites, admin) = account_with_data(&app, 1).await;
        crate::site_users::enabled(&app, &admin, &sites[0]).await;
        let mut op = operator(&app).await;
        let list = op.get("/operator/subscriptions").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text);
        let id = list.text.split("data-subscription=\"").nth(1).unwrap();
        let id = id.split('"').next().unwrap().to_owned();
        assert!(list.text.contains("data-state=\"trialing\""));
        let csrf = list.hidden("csrf").unwrap();
        let action = format!("/operator/subscriptions/{id}/state");

        // Refused from a list filtered to trialing: the list comes back as filtered, the
        // reason at the row, the state chosen and the note typed kept, the note marked.
        let long = "x".repeat(501);
        let refused = op
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("state", "maintenance"),
                    ("note", &long),
                    ("shown", "trialing"),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        let row = refused
            .text
            .split(&format!("data-subscription=\"{id}\""))
            .nth(1)
            .unwrap();
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains("<option value=\"maintenance\" selected>"),
            "{row}"
        );
        assert!(
            row.contains(&format!(
                "value=\"{long}\" aria-describedby=\"sub-error-{id}\" aria-invalid=\"true\""
            )),
            "{row}"
        );
        assert!(
            row.contains(&format!(
                "<p class=\"alert\" role=\"alert\" id=\"sub-error-{id}\""
            )),
            "{row}"
        );
        assert!(
            refused
                .text
                .contains("<option value=\"trialing\" selected>"),
            "the filter is kept"
        );
        assert!(
            refused
                .text
                .contains("<input type=\"hidden\" name=\"shown\" value=\"trialing\">")
        );
        let unknown = op
            .post(
                &action,
                &[("csrf", &csrf), ("state", "paused"), ("note", "")],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.text.contains(&format!(
                "aria-describedby=\"sub-error-{id}\" aria-invalid=\"true\" autofocus>"
            )),
            "the state is marked: {}",
            unknown.text
        );
        assert!(
            unknown.text.contains(&format!(
                "name=\"note\" maxlength=\"500\" value=\"\" aria-describedby=\"sub-error-{id}\">"
            )),
            "the note, which was fine, points at the reason and is not marked: {}",
            unknown.text
        );
        let note = "Unpaid invoice <2026-000042>";
        let set = op
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("state", "blocked"),
                    ("note", note),
                    ("shown", "trialing"),
                ],
            )
            .await;
        assert_eq!(
            set.location(),
            format!("/operator/subscriptions?state=trialing&done=state#subscription-{id}")
        );
        let blocked = op.get("/operator/subscriptions?state=blocked").await;
        assert!(
            blocked
                .text
                .contains(&format!("data-subscription=\"{id}\""))
        );
        assert!(
            blocked
                .text
                .contains("Unpaid invoice &#60;2026-000042&#62;"),
            "{}",
            blocked.text
        );
        let trialing = op.get("/operator/subscriptions?state=trialing").await;
        assert!(trialing.text.contains("No subscription is in this state."));

        let mut customer = Visitor::new(&app);
        customer.sign_in("ib50", PASSWORD).await;
        let cloud = customer.get("/cloud").await;
        assert!(
            cloud.text.contains("id=\"subscription-state\">blocked<"),
            "{}",
            cloud.text
        );
        assert!(
            cloud
                .text
                .contains("The vendor&#39;s note: Unpaid invoice &#60;2026-000042&#62;"),
            "{}",
            cloud.text
        );

        op.post(
            &action,
            &[("csrf", &csrf), ("state", "active"), ("note", "")],
        )
        .await;
        let cloud = customer.get("/cloud").await;
        assert!(
            !cloud.text.contains("subscription-note"),
            "the note is gone"
        );
        assert!(
            cloud.text.contains("id=\"subscription-state\">free trial<"),
            "{}",
            cloud.text
        );
    }
}
