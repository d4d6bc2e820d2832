//! A site is enabled for the cloud only while its own license is in force: the same rule that
//! refuses its cloud access (an operator's expiry in the past, a suspension).

use tessera_api::SetExpiry;

use super::*;

both_backends!(a_site_whose_license_is_not_in_force_is_not_enabled with cloud_config);

async fn a_site_whose_license_is_not_in_force_is_not_enabled(app: TestApp) {
    let keys = catalog(&app, 3).await;
    let (token, sites) = customer(&app, "lapsed", IT_VATS[2], &keys[..3]).await;
    start_trial(&app, &token).await.unwrap();
    let operator = app.api();

    // The license of site 0 ran out yesterday (an operator's expiry): not enabled.
    let yesterday = app.clock.now() - SignedDuration::from_hours(24);
    let expiry = SetExpiry {
        expires_at: Some(yesterday.to_string()),
    };
    operator.set_site_expiry(&sites[0], &expiry).await.unwrap();
    let body = refused(
        enable(&app, &token, &[&sites[0]]).await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    );
    assert!(body.message.contains("expired"), "{}", body.message);

    // A suspended site neither; the refusal enables nothing of the selection.
    operator.suspend_site(&sites[1]).await.unwrap();
    let body = refused(
        enable(&app, &token, &[&sites[2], &sites[1]]).await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    );
    assert!(body.message.contains("suspended"), "{}", body.message);
    assert_eq!(overview(&app, &token).await.active, 0);

    // With its license in force again the site is enabled.
    let never = SetExpiry { expires_at: None };
    operator.set_site_expiry(&sites[0], &never).await.unwrap();
    enable(&app, &token, &[&sites[0], &sites[2]]).await.unwrap();
    assert_eq!(
        cloud_of(&overview(&app, &token).await, &sites[0]),
        "enabled"
    );
}
