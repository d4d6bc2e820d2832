//! Renewed after expiry, the new year runs from the payment; then the operators block, put in
//! maintenance and delete the subscription, each state refused with its own code (deleted
//! too, for the cloud token and the mailed codes alike).

use tessera_api::SetSubscriptionState;

use super::*;

pub(super) async fn a_late_renewal_and_the_operators_states(app: &mut TestApp, story: &mut Story) {
    // Renewed after expiry: the new year runs from the payment.
    move_to(app, "2028-12-10T12:00:00Z".parse().unwrap()).await;
    story.token = account_login(app, "ib50").await;
    let token = story.token.as_str();
    let late = order(app, token, &new_order(2)).await.unwrap();
    assert_eq!(pay(app, &late, "Q30001").await.invoice, "2028-000001");
    let sub = overview(app, token).await.subscription.unwrap();
    assert_eq!(
        (sub.state.as_str(), sub.expires_at.as_str()),
        ("active", "2029-12-10T12:00:00Z")
    );
    let cloud_token = &story.cloud_tokens[0];
    cloud_status(app, cloud_token).await.unwrap();

    // A note says why, for the customer to read; one too long is refused and sets nothing.
    let with_note = |state: &str, note: &str| SetSubscriptionState {
        state: state.into(),
        note: Some(note.into()),
    };
    let too_long = with_note("blocked", &"x".repeat(501));
    let e = refused(
        app.api().set_subscription_state(sub.id, &too_long).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_NOTE",
    );
    assert_eq!(e.field.as_deref(), Some("note"));
    let noted = with_note("maintenance", "  Database move, back at 14:00  ");
    let set = app
        .api()
        .set_subscription_state(sub.id, &noted)
        .await
        .unwrap();
    assert_eq!(set.note.as_deref(), Some("Database move, back at 14:00"));
    let seen = overview(app, token).await.subscription.unwrap();
    assert_eq!(
        (seen.state.as_str(), seen.note.as_deref()),
        ("maintenance", Some("Database move, back at 14:00"))
    );

    // Operators block and delete; each state refuses with its own code (and a change
    // without a note clears the last one).
    let set_state = async |state: &str| {
        let state = SetSubscriptionState {
            state: state.into(),
            note: None,
        };
        app.api().set_subscription_state(sub.id, &state).await
    };
    for (state, status, code) in [
        ("blocked", StatusCode::FORBIDDEN, "SUBSCRIPTION_BLOCKED"),
        (
            "maintenance",
            StatusCode::FORBIDDEN,
            "SUBSCRIPTION_MAINTENANCE",
        ),
        ("deleted", StatusCode::FORBIDDEN, "SUBSCRIPTION_DELETED"),
    ] {
        assert_eq!(set_state(state).await.unwrap().note, None);
        refused(cloud_status(app, cloud_token).await, status, code);
    }
    // The deleted subscription's codes are refused with the reason too, not as unknown.
    let site_code = &story.site_codes[0];
    refused(
        exchange(app, &site_code.0, &site_code.1).await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_DELETED",
    );
    refused(
        set_state("active").await,
        StatusCode::CONFLICT,
        "SUBSCRIPTION_DELETED",
    );
}
