//! Renewal before expiry, dropping site 3: it extends from the old expiry, and the new year
//! (its seats, its sites) starts only then.

use super::*;

pub(super) async fn an_early_renewal_drops_a_site(app: &mut TestApp, story: &mut Story) {
    let sites = story.sites.clone();
    // Renewal before expiry, dropping site 3: extends from the old expiry.
    move_to(app, "2027-10-01T10:00:00Z".parse().unwrap()).await;
    story.token = account_login(app, "ib50").await;
    let token = story.token.as_str();
    let mut renewal = new_order(2);
    renewal.keep = Some(vec![sites[0].clone(), sites[1].clone(), sites[2].clone()]);
    refused(
        order(app, token, &renewal).await,
        StatusCode::CONFLICT,
        "KEEP_EXCEEDS_QUANTITY",
    );
    renewal.keep = Some(vec![sites[0].clone(), sites[3].clone()]);
    refused(
        order(app, token, &renewal).await,
        StatusCode::CONFLICT,
        "KEEP_UNKNOWN_SITE",
    );
    renewal.keep = Some(vec![sites[0].clone(), sites[1].clone()]);
    let renewed = order(app, token, &renewal).await.unwrap();
    assert_eq!(
        (renewed.kind.as_str(), renewed.summary.total),
        ("renewal", 73_200)
    );
    let receipt = pay(app, &renewed, "Q20001").await;
    assert_eq!(receipt.invoice, "2027-000001", "numbers restart each year");
    // Paid early, the new year starts at the old expiry: until then the paid term runs as
    // bought (three seats, site 2 still in), and no second renewal can be ordered.
    let view = overview(app, token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.seats, sub.expires_at.as_str()),
        (3, "2028-11-23T09:00:33Z"),
        "the expiry moves at once, the seats when the new year starts"
    );
    assert_eq!(cloud_of(&view, &sites[2]), "license_mismatch");
    refused(
        order(app, token, &new_order(2)).await,
        StatusCode::CONFLICT,
        "RENEWAL_PENDING",
    );
    let before = last_expiry_run(app, None).await;
    move_to(app, "2027-11-23T09:05:00Z".parse().unwrap()).await;
    last_expiry_run(app, Some(&before)).await;
    story.token = account_login(app, "ib50").await;
    let view = overview(app, &story.token).await;
    let sub = view.subscription.as_ref().unwrap();
    assert_eq!(
        (sub.seats, sub.state.as_str(), sub.expires_at.as_str()),
        (2, "active", "2028-11-23T09:00:33Z"),
        "the new year has started"
    );
    assert_eq!(cloud_of(&view, &sites[2]), "not_enabled");
    assert_eq!(cloud_of(&view, &sites[0]), "enabled");
    refused(
        cloud_status(app, &story.cloud_tokens[2]).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
