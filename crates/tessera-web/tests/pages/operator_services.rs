//! The monthly services (F1) in the console: refusals at their field with what was typed
//! kept, a service added with its price typed as an amount and listed, a code taken twice
//! refused.

use reqwest::StatusCode;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_adds_a_monthly_service() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let mut v = operator(&app).await;
        let plans = v.get("/operator/plans").await;
        assert!(plans.text.contains("href=\"/operator/services\""));
        let page = v.get("/operator/services").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(!page.text.contains("data-service="), "none yet");
        let csrf = page.hidden("csrf").unwrap();
        let form = |code: &str, price: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("code", code.to_owned()),
                ("name", "24/7 monitoring <and> support".to_owned()),
                ("monthly_price", price.to_owned()),
                ("currency", "eur".to_owned()),
            ]
        };
        let refused = v
            .post_form("/operator/services", &form("support247", "49,5x"))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.error_at("monthly_price").is_some(),
            "{}",
            refused.text
        );
        assert!(refused.text.contains("value=\"49,5x\""), "typed kept");
        let refused = v
            .post_form("/operator/services", &form("Not A Code!", "49.00"))
            .await;
        assert!(refused.error_at("code").is_some(), "{}", refused.text);

        let done = v
            .post_form("/operator/services", &form("support247", "49.00"))
            .await;
        assert_eq!(done.location(), "/operator/services?done=service");
        let listed = app.api().services().await.unwrap().services;
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (
                listed[0].code.as_str(),
                listed[0].monthly_price,
                listed[0].currency.as_str()
            ),
            ("support247", 4900, "EUR")
        );
        let page = v.get("/operator/services?done=service").await;
        assert!(page.text.contains("The service was added"));
        assert!(page.text.contains("data-service=\"support247\""));
        assert!(
            page.text.contains("monitoring &#60;and&#62; support"),
            "escaped"
        );
        let row = page
            .text
            .split("data-service=\"support247\"")
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap();
        assert!(row.contains("49.00 EUR a month"), "{row}");

        let again = v
            .post_form("/operator/services", &form("support247", "59.00"))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
        assert_eq!(app.api().services().await.unwrap().services.len(), 1);
        app.stop().await;
    }
}
