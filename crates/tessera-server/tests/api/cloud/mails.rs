//! The cloud's own mails (I3): the trial's start and, before it ends, its own reminder (not
//! the renewal reminder of a paid term); a site's activation data sent again on request,
//! with a new activation code, for the account's own enabled sites only.

use super::*;

both_backends!(
    the_trial_is_mailed_at_its_start_and_before_its_end with cloud_config,
    activation_data_is_sent_again_for_own_sites with cloud_config,
);

/// The text of the mail to `to` whose subject contains `subject`, once the mail job sent it.
async fn mail_titled(app: &TestApp, to: &str, subject: &str) -> String {
    app.clock.advance(SignedDuration::from_secs(11));
    app.run_jobs().await;
    until(&format!("{subject:?} to {to}"), async || {
        app.smtp
            .received()
            .into_iter()
            .find(|m| {
                m.to.iter().any(|t| t == to)
                    && m.header("Subject").is_some_and(|s| s.contains(subject))
            })
            .map(|m| m.text())
    })
    .await
}

async fn the_trial_is_mailed_at_its_start_and_before_its_end(mut app: TestApp) {
    let keys = catalog(&app, 1).await;
    let (token, _) = customer(&app, "tb50", IT_VATS[1], &keys[..1]).await;
    let trial = start_trial(&app, &token).await.unwrap();
    let ends: Timestamp = trial.expires_at.parse().unwrap();
    let ends_day = ends.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();

    // What, until when, how many sites.
    let text = mail_titled(
        &app,
        "tb50@example.com",
        "Your free SSM 2.0 Cloud trial has started",
    )
    .await;
    assert!(text.contains("Hello tb50,"), "{text}");
    assert!(
        text.contains(&format!("For 6 months, until {ends_day}")),
        "{text}"
    );
    assert!(text.contains("up to 3 sites"), "{text}");

    // Seven days before the end: the trial's own reminder, never the renewal reminder.
    move_to(
        &mut app,
        ends - SignedDuration::from_hours(7 * 24) + SignedDuration::from_mins(5),
    )
    .await;
    until("the trial's reminder", async || {
        (queued(&app, "tb50@example.com", "trial.ending").await == 1).then_some(())
    })
    .await;
    assert_eq!(
        queued(&app, "tb50@example.com", "subscription.reminder").await,
        0
    );
    let text = mail_titled(
        &app,
        "tb50@example.com",
        "Your free SSM 2.0 Cloud trial ends in 7 days",
    )
    .await;
    assert!(text.contains(&format!("ends on {ends_day}")), "{text}");
    assert!(text.contains("buy the subscription"), "{text}");
    app.stop().await;
}

async fn activation_data_is_sent_again_for_own_sites(app: TestApp) {
    let keys = catalog(&app, 3).await;
    let (token, sites) = customer(&app, "tb51", IT_VATS[1], &keys[..2]).await;
    let (other, _) = customer(&app, "tb52", IT_VATS[2], &keys[2..3]).await;
    start_trial(&app, &token).await.unwrap();
    enable(&app, &token, &[&sites[0]]).await.unwrap();
    let rep = "rep0@tb51.example";
    let first = mail_for(&app, rep).await;
    let (old_activation, site_code) = (
        code_after(&first, "Activation code:"),
        code_after(&first, "Site code:"),
    );

    let api = app.api_as(Some(&token));
    api.resend_site_codes(&sites[0]).await.unwrap();
    let again = mail_titled(&app, rep, ", sent again").await;
    assert!(again.contains("the account tb51 asked"), "{again}");
    let activation = code_after(&again, "Activation code:");
    assert_eq!(code_after(&again, "Site code:"), site_code);
    assert_ne!(activation, old_activation, "a new activation code");
    assert_eq!(queued(&app, rep, "cloud.site_codes_again").await, 1);
    refused(
        exchange(&app, &site_code, &old_activation).await,
        StatusCode::UNAUTHORIZED,
        "CLOUD_CODES_INVALID",
    );
    exchange(&app, &site_code, &activation).await.unwrap();

    // Another account's site, and one of its own not enabled: not found, nothing sent.
    refused(
        app.api_as(Some(&other)).resend_site_codes(&sites[0]).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    refused(
        api.resend_site_codes(&sites[1]).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    assert_eq!(queued(&app, rep, "cloud.site_codes_again").await, 1);
    // Each request is on the operations log, with its outcome.
    let route = "POST /api/v1/account/cloud/sites/{site_id}/codes";
    until("the requests on the log", async || {
        let page = app.api().operations("").await.unwrap();
        let outcomes: Vec<_> = page
            .operations
            .iter()
            .filter(|o| o.operation == route)
            .map(|o| o.outcome.clone())
            .collect();
        (outcomes.len() == 3).then_some(outcomes)
    })
    .await;
    app.stop().await;
}
