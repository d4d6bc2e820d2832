//! Users, groups and rights (F5): the superadmin holds every right; a user holds its groups'
//! rights; every route that needs a right refuses without it (403 naming the right); the
//! portal is told which tabs and actions to show.

use reqwest::StatusCode;
use tessera_api::{
    AddKey, Group, GroupMembers, GroupRights, LoginRequest, NewGroup, NewSiteUser, NewUser,
    PortalView, SiteTechnicalData, User,
};

use crate::fixtures::*;
use crate::harness::*;

mod groups;
mod services_tab;

both_backends!(rights_come_from_groups);

pub(crate) async fn user_login(app: &TestApp, username: &str) -> String {
    let login = LoginRequest {
        username: username.into(),
        password: PASSWORD.into(),
    };
    app.api_as(None).user_login(&login).await.unwrap().token
}

pub(crate) fn new_user(username: &str) -> NewUser {
    NewUser {
        username: username.into(),
        password: PASSWORD.into(),
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
    assert_eq!(everything.rights.len(), 7);

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
        app.api_as(Some(&other_admin))
            .set_group_members(group.id, &members(vec![]))
            .await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );

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
    // A user's token is not an operator's, nor a superadmin's sign-in on the account route.
    refused(
        as_tom.accounts(None, 0, 50).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    let tom_as_superadmin = LoginRequest {
        username: "tom.tech".into(),
        password: PASSWORD.into(),
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
    app.stop().await;
}

/// Every portal route that needs a right, called by `user` with a well-formed request: the
/// route, the right it needs and the answer (only the refusal matters, so any answer's body
/// is dropped).
async fn guarded_routes(
    user: &ApiClient,
    site: &str,
    key: &str,
    group: i64,
) -> Vec<(&'static str, &'static str, ApiResult<()>)> {
    let no_equipment = SiteTechnicalData {
        technician: None,
        evse_ids: vec![],
    };
    let add_key = AddKey {
        product_key: key.into(),
        reseller: reseller(),
    };
    let site_user = NewSiteUser {
        username: "admin".into(),
        password: PASSWORD.into(),
        groups: vec![],
    };
    let export = "/api/v1/account/operations/export";
    let no_rights = GroupRights { rights: vec![] };
    vec![
        (
            "site services",
            "sites.operations.view",
            user.site_services(site).await.map(drop),
        ),
        (
            "switch a service on",
            "sites.operations.view",
            user.switch_service_on(site, "support").await.map(drop),
        ),
        (
            "switch a service off",
            "sites.operations.view",
            user.switch_service_off(site, "support").await.map(drop),
        ),
        (
            "technical data",
            "sites.technical.edit",
            user.set_own_technical(site, &no_equipment).await.map(drop),
        ),
        (
            "operations",
            "operations.view",
            user.own_operations("").await.map(drop),
        ),
        (
            "operations export",
            "operations.view",
            user.get_text(export).await.map(drop),
        ),
        (
            "invoice lines",
            "invoices.view",
            user.own_invoice_lines("").await.map(drop),
        ),
        (
            "add a key",
            "sites.manage",
            user.add_key(&add_key).await.map(drop),
        ),
        (
            "deactivate a site",
            "sites.manage",
            user.deactivate_own_site(site).await.map(drop),
        ),
        (
            "new user",
            "users.manage",
            user.create_user(&new_user("x.y")).await.map(drop),
        ),
        (
            "new group",
            "users.manage",
            user.create_group(&new_group("g", &[])).await.map(drop),
        ),
        (
            "group members",
            "users.manage",
            user.set_group_members(group, &members(vec![])).await,
        ),
        ("groups", "users.manage", user.groups().await.map(drop)),
        (
            "group rights",
            "users.manage",
            user.set_group_rights(group, &no_rights).await.map(drop),
        ),
        (
            "remove a group",
            "users.manage",
            user.delete_group(group).await,
        ),
        ("remove a user", "users.manage", user.delete_user(1).await),
        (
            "new site user",
            "users.manage",
            user.create_site_user(site, &site_user).await.map(drop),
        ),
        (
            "site users",
            "users.manage",
            user.site_users(site).await.map(drop),
        ),
    ]
}
