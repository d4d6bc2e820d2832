//! Enabling follows the plan: the set-up page before anything, Try & Buy once, and only what
//! the plan covers, within its seats, all or nothing.

use super::*;

pub(super) async fn only_what_the_plan_covers(app: &TestApp, story: &Story) {
    let (token, sites) = (story.token.as_str(), &story.sites);
    let pro_site = &sites[4];

    // The set-up page before anything: grouped by edition, nothing enabled.
    let view = overview(app, token).await;
    assert!(view.subscription.is_none());
    let groups: Vec<_> = view
        .groups
        .iter()
        .map(|g| (g.edition.as_str(), g.available, g.active))
        .collect();
    assert_eq!(groups, [("std", 4, 0), ("pro", 1, 0)]);
    refused(
        enable(app, token, &[&sites[0]]).await,
        StatusCode::NOT_FOUND,
        "SUBSCRIPTION_NOT_FOUND",
    );

    // Try & Buy: once.
    let trial = start_trial(app, token).await.unwrap();
    assert_eq!((trial.state.as_str(), trial.seats), ("trialing", 3));
    assert_eq!(trial.expires_at, "2027-05-23T09:00:00Z");
    refused(
        start_trial(app, token).await,
        StatusCode::CONFLICT,
        "TRIAL_USED",
    );

    // Enabling: only what the plan covers (std/s10), one edition and size, no more than the
    // seats; all or nothing. A site the plan does not cover never fixes the bundle, first or not.
    for selection in [vec![pro_site], vec![&sites[0], pro_site]] {
        let e = refused(
            enable(app, token, &selection).await,
            StatusCode::CONFLICT,
            "PLAN_MISMATCH",
        );
        assert!(e.message.contains(pro_site.as_str()), "{}", e.message);
    }
    refused(
        enable(app, token, &[&sites[0], &sites[1], &sites[2], &sites[3]]).await,
        StatusCode::CONFLICT,
        "SEATS_EXCEEDED",
    );
    assert_eq!(
        overview(app, token).await.active,
        0,
        "a refused selection enables nothing"
    );
    let view = enable(app, token, &[&sites[0], &sites[1], &sites[2]])
        .await
        .unwrap();
    assert_eq!((view.available, view.active), (5, 3));
    assert_eq!(view.groups[0].active, 3);
    refused(
        enable(app, token, &[pro_site]).await,
        StatusCode::CONFLICT,
        "PLAN_MISMATCH",
    );
    refused(
        enable(app, token, &[&sites[3]]).await,
        StatusCode::CONFLICT,
        "SEATS_EXCEEDED",
    );
}
