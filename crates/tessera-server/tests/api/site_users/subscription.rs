//! The subscription decides: while the vendor blocks it, site users are refused with the
//! reason, at sign-in (only once all three are right) and on every request; resumed, they
//! are back; deleted, sessions and sign-in end together with `SUBSCRIPTION_DELETED`.

use tessera_api::SetSubscriptionState;

use super::*;

pub(super) async fn the_subscription_decides(app: &TestApp, signed_in: &SignedIn) {
    let code0 = signed_in.code0.as_str();
    // While the vendor blocks the subscription, site users are refused with the reason, at
    // sign-in (only once all three are right) and on every request; resumed, they are back.
    let again = app.api_as(Some(&site_token(app, "admin", PASSWORD, code0).await));
    let set_state = async |state: &str| {
        let state = SetSubscriptionState {
            state: state.into(),
            note: None,
        };
        app.api()
            .set_subscription_state(signed_in.trial_id, &state)
            .await
            .unwrap();
    };
    set_state("blocked").await;
    refused(
        again.portal_ui().await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_BLOCKED",
    );
    refused(
        site_login(app, "admin", PASSWORD, code0).await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_BLOCKED",
    );
    refused(
        site_login(app, "admin", OTHER_PASSWORD, code0).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    set_state("active").await;
    again.portal_ui().await.unwrap();

    // Deleted, sessions and sign-in end together, with the reason.
    set_state("deleted").await;
    refused(
        again.portal_ui().await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_DELETED",
    );
    refused(
        site_login(app, "admin", PASSWORD, code0).await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_DELETED",
    );
    refused(
        site_login(app, "admin", OTHER_PASSWORD, code0).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
