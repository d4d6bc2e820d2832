//! Seed 001's rights: the station sheet's operations tab (`sites.operations.view`) shows a
//! site's services; switching one needs that right and approving costs
//! (`actions.costly.approve`) both; the operations log has its own right (`operations.view`).

use reqwest::StatusCode;
use serde_json::Value;
use tessera_api::PortalView;

use super::{members, new_group, new_user, user_login};
use crate::fixtures::*;
use crate::harness::*;

both_backends!(the_tab_the_switch_and_the_log_have_their_rights);

/// Asserts a 403 naming `right`.
#[track_caller]
fn needs<T: std::fmt::Debug>(answer: ApiResult<T>, right: &str) {
    let e = refused(answer, StatusCode::FORBIDDEN, "RIGHT_REQUIRED");
    assert_eq!(e.field.as_deref(), Some(right));
}

fn shown(view: &PortalView) -> (Vec<&str>, Vec<&str>) {
    (
        view.tabs.iter().map(String::as_str).collect(),
        view.actions.iter().map(String::as_str).collect(),
    )
}

/// Creates a user `name` in a new group of the same name holding `rights`; its token.
async fn user_with(app: &TestApp, admin: &str, name: &str, rights: &[&str]) -> String {
    let api = app.api_as(Some(admin));
    let user = api.create_user(&new_user(name)).await.unwrap();
    let group = api.create_group(&new_group(name, rights)).await.unwrap();
    api.set_group_members(group.id, &members(vec![user.id]))
        .await
        .unwrap();
    user_login(app, name).await
}

async fn the_tab_the_switch_and_the_log_have_their_rights(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let activated: Value = ok(
        activate(&app, "anna@example.com", &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let site = activated["site_id"].as_str().unwrap().to_owned();
    support_service(&app).await;
    let admin = account_login(&app, "anna").await;
    let tab = user_with(&app, &admin, "tab.only", &["sites.operations.view"]).await;
    let costs = user_with(&app, &admin, "costs.only", &["actions.costly.approve"]).await;
    let both = ["sites.operations.view", "actions.costly.approve"];
    let both = user_with(&app, &admin, "both.rights", &both).await;
    let log = user_with(&app, &admin, "log.only", &["operations.view"]).await;

    // The tab alone: the services are shown, the switch is refused, the log is not open.
    let as_tab = app.api_as(Some(&tab));
    let listed = as_tab.site_services(&site).await.unwrap();
    assert!(listed.services.iter().any(|s| s.code == "support" && !s.on));
    needs(
        as_tab.switch_service_on(&site, "support").await,
        "actions.costly.approve",
    );
    needs(as_tab.own_operations("").await, "operations.view");
    let view = as_tab.portal_ui().await.unwrap();
    assert_eq!(shown(&view), (vec!["sites", "services"], vec![]));

    // Approving costs alone: neither the tab nor the switch on it.
    let as_costs = app.api_as(Some(&costs));
    needs(as_costs.site_services(&site).await, "sites.operations.view");
    needs(
        as_costs.switch_service_on(&site, "support").await,
        "sites.operations.view",
    );
    needs(
        as_costs.switch_service_off(&site, "support").await,
        "sites.operations.view",
    );
    let view = as_costs.portal_ui().await.unwrap();
    assert_eq!(shown(&view), (vec!["sites"], vec![]));

    // Both: the switch, on and off; still no log.
    let as_both = app.api_as(Some(&both));
    let on = as_both.switch_service_on(&site, "support").await.unwrap();
    assert!(on.services.iter().any(|s| s.code == "support" && s.on));
    let off = as_both.switch_service_off(&site, "support").await.unwrap();
    assert!(off.services.iter().all(|s| !s.on));
    needs(as_both.own_operations("").await, "operations.view");
    let view = as_both.portal_ui().await.unwrap();
    assert_eq!(
        shown(&view),
        (vec!["sites", "services"], vec!["services.switch"])
    );

    // The log alone: it shows the switches (and the refused tries), not the services.
    let as_log = app.api_as(Some(&log));
    let entries = as_log.own_operations("").await.unwrap().operations;
    for (actor, outcome) in [("user:both.rights", "ok"), ("user:costs.only", "refused")] {
        assert!(
            entries.iter().any(|o| o.actor == actor
                && o.operation.ends_with("/activate")
                && o.outcome == outcome),
            "{actor}: {entries:?}"
        );
    }
    as_log
        .get_text("/api/v1/account/operations/export")
        .await
        .unwrap();
    needs(as_log.site_services(&site).await, "sites.operations.view");
    let view = as_log.portal_ui().await.unwrap();
    assert_eq!(shown(&view), (vec!["sites", "operations"], vec![]));
    app.stop().await;
}
