//! Reminders 30, 7 and 1 day before, then expiry, each once, by the hourly job; expired, the
//! cloud and the enabling of sites are refused.

use super::*;

pub(super) async fn reminders_then_expiry(app: &mut TestApp, story: &mut Story) {
    // Reminders 30, 7 and 1 day before, then expiry, each once, by the hourly job.
    let expiry: Timestamp = "2028-11-23T09:00:33Z".parse().unwrap();
    let account_mail = "ib50@example.com";
    for (days, kind, count) in [
        (30, "subscription.reminder", 1),
        (7, "subscription.reminder", 2),
        (1, "subscription.reminder", 3),
        (0, "subscription.expired", 1),
    ] {
        move_to(
            app,
            expiry - SignedDuration::from_hours(days * 24) + SignedDuration::from_mins(5),
        )
        .await;
        until(&format!("{kind} {days}"), async || {
            (queued(app, account_mail, kind).await == count).then_some(())
        })
        .await;
        // An hour later the job runs again and queues nothing new.
        let first = last_expiry_run(app, None).await;
        move_to(
            app,
            expiry - SignedDuration::from_hours(days * 24) + SignedDuration::from_mins(65),
        )
        .await;
        last_expiry_run(app, Some(&first)).await;
        assert_eq!(
            queued(app, account_mail, kind).await,
            count,
            "{kind} {days} once"
        );
    }
    let reminder = mail_for(app, account_mail).await;
    assert!(reminder.contains("ib50"), "{reminder}");
    let subs = app.api().subscriptions().await.unwrap();
    assert_eq!(subs.subscriptions[0].state, "expired");
    let stored = app
        .store
        .subscription(subs.subscriptions[0].account_id, "cloud")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.state.as_str(),
        "expired",
        "the job wrote the expiry down"
    );
    refused(
        cloud_status(app, &story.cloud_tokens[0]).await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_EXPIRED",
    );
    story.token = account_login(app, "ib50").await;
    refused(
        enable(app, &story.token, &[&story.sites[3]]).await,
        StatusCode::CONFLICT,
        "SUBSCRIPTION_EXPIRED",
    );
}
