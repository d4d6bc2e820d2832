//! Users, groups and rights (F5): the superadmin holds every right; a user holds its groups'
//! rights; every route that needs a right refuses without it (403 naming the right); the
//! portal is told which tabs and actions to show.

use reqwest::StatusCode;
use tessera_api::{
    Group, GroupMembers, LoginRequest, NewGroup, NewUser, PortalView, SiteTechnicalData, User,
};

use crate::fixtures::*;
use crate::harness::*;
use guarded::guarded_routes;

mod disabling;
mod groups;
mod guarded;
mod services_tab;

both_backends!(rights_come_from_groups);

pub(crate) async fn user_login(app: &TestApp, username: &str) -> String {
    let login = LoginRequest {
        username: username.into(),
        password: PASSWORD.into(),
        language: None,
    };
    app.api_as(None).user_login(&login).await.unwrap().token
}

pub(crate) fn new_user(username: &str) -> NewUser {
    NewUser {
        username: username.into(),
        password: PASSWORD.into(),
        groups: Vec::new(),
    }
}

pub(crate) fn new_group(name: &str, rights: &[&str]) -> NewGroup {
    NewGroup {
        name: name.into(),
        rights: rights.iter().map(|r| r.to_string()).collect(),
    }
}

pub(crate) fn members(user_ids: Vec<i64>) -> GroupMembers {
    GroupMembers {
        user_ids,
        site_user_ids: None,
    }
}

async fn rights_come_from_groups(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let site = anna.installations[0].site_id.clone();
    let _bruno = register(&app, "bruno", "bruno@example.com", IT_VATS[1], &keys[1]).await;
    let admin = account_login(&app, "anna").await;
    let other_admin = account_login(&app, "bruno").await;
    support_service(&app).await;

    let as_admin = app.api_as(Some(&admin));
    let everything: PortalView = as_admin.portal_ui().await.unwrap();
    assert!(everything.superadmin);
    assert_eq!(
        everything.tabs,
        ["sites", "services", "operations", "invoices", "users"]
    );
    assert_eq!(
        everything.rights.len(),
        tessera_core::rights::Right::ALL.len()
    );
    let group = users_and_a_group(&app, &admin, &other_admin).await;

    let tom = user_login(&app, "tom.tech").await;
    let nina = user_login(&app, "nina.none").await;
    let (as_tom, as_nina) = (app.api_as(Some(&tom)), app.api_as(Some(&nina)));
    let view = as_tom.portal_ui().await.unwrap();
    assert_eq!(
        (view.superadmin, view.tabs.clone(), view.actions.clone()),
        (
            false,
            vec!["sites".to_owned(), "operations".to_owned()],
            vec!["technical.edit".to_owned()]
        )
    );
    let charging_point = SiteTechnicalData {
        technician: None,
        evse_ids: vec!["IT*ABC*E1".into()],
    };
    as_tom
        .set_own_technical(&site, &charging_point)
        .await
        .unwrap();
    let log = as_tom.own_operations("").await.unwrap();
    assert!(
        log.operations
            .iter()
            .any(|o| o.actor == "user:tom.tech" && o.operation.ends_with("/technical"))
    );

    // Every route that needs a right refuses a user without it, naming the right.
    for (route, right, answer) in guarded_routes(&as_nina, &site, &keys[1], group.id).await {
        let e = refused(answer, StatusCode::FORBIDDEN, "RIGHT_REQUIRED");
        assert_eq!(e.field.as_deref(), Some(right), "{route}");
        assert!(e.message.contains(right), "{}", e.message);
    }
    // Tom has two of them, and only those.
    for (route, right, answer) in guarded_routes(&as_tom, &site, &keys[1], group.id).await {
        let status = answer.err().and_then(|e| e.status());
        let allowed = ["sites.technical.edit", "operations.view"].contains(&right);
        assert_eq!(
            status == Some(StatusCode::FORBIDDEN),
            !allowed,
            "{route}: {status:?}"
        );
    }
    let view = as_nina.portal_ui().await.unwrap();
    assert_eq!(
        (view.tabs, view.actions.len()),
        (vec!["sites".to_owned()], 0)
    );
    a_users_token_is_its_own(&app, &as_tom).await;
    app.stop().await;
}

/// The superadmin adds users `tom.tech` and `nina.none` and puts tom in a new group
/// `technicians` (technical data and the log); answers the group.
async fn users_and_a_group(app: &TestApp, admin: &str, other_admin: &str) -> Group {
    let as_admin = app.api_as(Some(admin));
    let mut users = Vec::new();
    for name in ["tom.tech", "nina.none"] {
        let user: User = as_admin.create_user(&new_user(name)).await.unwrap();
        users.push(user);
    }
    refused(
        as_admin.create_user(&new_user("bruno")).await,
        StatusCode::CONFLICT,
        "USERNAME_TAKEN",
    );
    let e = refused(
        as_admin
            .create_group(&new_group("x", &["sites.delete"]))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RIGHT_UNKNOWN",
    );
    assert_eq!(e.field.as_deref(), Some("rights[0]"));
    let technicians = new_group("technicians", &["sites.technical.edit", "operations.view"]);
    let group: Group = as_admin.create_group(&technicians).await.unwrap();
    // 204 No Content, as the typed client checks.
    as_admin
        .set_group_members(group.id, &members(vec![users[0].id]))
        .await
        .unwrap();
    // Another account can neither change this group nor put its users in its own.
    refused(
        app.api_as(Some(other_admin))
            .set_group_members(group.id, &members(vec![]))
            .await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    group
}

/// A user's token is not an operator's, nor a superadmin's sign-in on the account route; its
/// logout ends its session.
async fn a_users_token_is_its_own(app: &TestApp, as_tom: &ApiClient) {
    refused(
        as_tom.accounts(None, 0, 50).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    let tom_as_superadmin = LoginRequest {
        username: "tom.tech".into(),
        password: PASSWORD.into(),
        language: None,
    };
    refused(
        app.api_as(None).account_login(&tom_as_superadmin).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    // A user's logout ends that user's session (204 No Content, as the client checks).
    as_tom.account_logout().await.unwrap();
    refused(
        as_tom.portal_ui().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
}
