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

    // Operators block and delete; each state refuses with its own code.
    let set_state = async |state: &str| {
        let state = SetSubscriptionState {
            state: state.into(),
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
        set_state(state).await.unwrap();
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
