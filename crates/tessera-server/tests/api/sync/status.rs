//! Each reason a site's sync stops for (G5), produced for real and read on the status
//! route as the site's program reads it: the site's license out of the plan, the
//! subscription in maintenance, blocked, expired and deleted (the clock and another site's
//! first sync are in the seed's steps). While refused, pushes are refused with the same code.

use jiff::SignedDuration;
use tessera_api::{ChangeEdition, SetSubscriptionState};

use super::*;

both_backends!(each_reason_the_sync_stops_for_is_on_the_status);

async fn each_reason_the_sync_stops_for_is_on_the_status(mut app: TestApp) {
    let keys = crate::cloud::catalog(&app, 3).await;
    for c in fuel_collections() {
        app.api().declare_collection("ssm2", &c).await.unwrap();
    }
    let w = account(&app, "ib50", IT_VATS[0], &keys[..3]).await;
    let a = Client::new(&app, &w.cloud[0]);
    let c = Client::new(&app, &w.cloud[2]);
    first_synced(&a).await;
    let reason = async |site: &Client<'_>| {
        let s = site.api().sync_status(Some(&site.now())).await.unwrap();
        (s.state, s.reason.unwrap_or_default(), s.message)
    };
    assert_eq!(reason(&a).await.0, "idle");

    // The key of site C upgraded to an edition outside the plan: C stops, A goes on.
    let pro = ChangeEdition {
        edition: "pro".into(),
    };
    app.api().change_edition(&keys[2], &pro).await.unwrap();
    let (state, code, message) = reason(&c).await;
    assert_eq!(
        (state.as_str(), code.as_str()),
        ("error", "CLOUD_LICENSE_MISMATCH")
    );
    assert!(message.is_some_and(|m| !m.is_empty()));
    assert_eq!(reason(&a).await.0, "idle");

    // The operators' states of the subscription stop every site, each with its code, and
    // a push is refused for the same reason.
    let sub = app.api().subscriptions().await.unwrap().subscriptions[0].id;
    for (state, code) in [
        ("maintenance", "SUBSCRIPTION_MAINTENANCE"),
        ("blocked", "SUBSCRIPTION_BLOCKED"),
    ] {
        set(&app, sub, state).await;
        assert_eq!(reason(&a).await.1, code, "{state}");
        let change = upsert("drivers", "d1", 0, json!({"name": "A", "ibutton": "A1"}));
        let mut again = Client::new(&app, &w.cloud[0]);
        refused_with(
            again.push(&format!("p-{state}"), vec![change]).await,
            StatusCode::FORBIDDEN,
            code,
        );
    }
    set(&app, sub, "active").await;
    assert_eq!(reason(&a).await.0, "idle");

    // The trial runs out (six months): expired.
    app.clock.advance(SignedDuration::from_hours(24 * 200));
    app.sign_in().await;
    let (a, c) = (
        Client::new(&app, &w.cloud[0]),
        Client::new(&app, &w.cloud[2]),
    );
    let (state, code, _) = reason(&a).await;
    assert_eq!(
        (state.as_str(), code.as_str()),
        ("error", "SUBSCRIPTION_EXPIRED")
    );

    set(&app, sub, "deleted").await;
    assert_eq!(reason(&a).await.1, "SUBSCRIPTION_DELETED");
    assert_eq!(
        reason(&c).await.1,
        "SUBSCRIPTION_DELETED",
        "the subscription first"
    );
    app.stop().await;
}

async fn set(app: &TestApp, subscription: i64, state: &str) {
    let state = SetSubscriptionState {
        state: state.into(),
        note: None,
    };
    app.api()
        .set_subscription_state(subscription, &state)
        .await
        .unwrap();
}
