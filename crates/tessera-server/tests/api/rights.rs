//! Users, groups and rights (F5): the superadmin holds every right; a user holds its groups'
//! rights; every route that needs a right refuses without it (403 naming the right); the
//! portal is told which tabs and actions to show.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tessera_api::{
    Group, GroupMembers, LoginRequest, NewGroup, NewUser, OperationPage, PortalView, User,
};

use crate::fixtures::*;
use crate::harness::*;

both_backends!(rights_come_from_groups);

async fn as_(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    app.call(method, path, body, Some(token)).await
}

async fn user_login(app: &TestApp, username: &str) -> String {
    let login = LoginRequest {
        username: username.into(),
        password: PASSWORD.into(),
    };
    app.api_as(None).user_login(&login).await.unwrap().token
}

fn new_user(username: &str) -> NewUser {
    NewUser {
        username: username.into(),
        password: PASSWORD.into(),
    }
}

fn new_group(name: &str, rights: &[&str]) -> NewGroup {
    NewGroup {
        name: name.into(),
        rights: rights.iter().map(|r| r.to_string()).collect(),
    }
}

fn members(user_ids: Vec<i64>) -> GroupMembers {
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
        ["sites", "operations", "invoices", "users"]
    );
    assert_eq!(everything.rights.len(), 6);

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
    let technicians = new_group(
        "technicians",
        &["sites.technical.edit", "sites.operations.view"],
    );
    let group: Group = as_admin.create_group(&technicians).await.unwrap();
    let members_path = format!("/api/v1/account/groups/{}/members", group.id);
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
    let view: PortalView = ok(
        as_(&app, &tom, Method::GET, "/api/v1/account/ui", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (view.superadmin, view.tabs.clone(), view.actions.clone()),
        (
            false,
            vec!["sites".to_owned(), "operations".to_owned()],
            vec!["technical.edit".to_owned()]
        )
    );
    let _: Value = ok(
        as_(
            &app,
            &tom,
            Method::PUT,
            &format!("/api/v1/account/sites/{site}/technical"),
            Some(&json!({"evse_ids": ["IT*ABC*E1"]})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let log: OperationPage = ok(
        as_(&app, &tom, Method::GET, "/api/v1/account/operations", None).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        log.operations
            .iter()
            .any(|o| o.actor == "user:tom.tech" && o.operation.ends_with("/technical"))
    );

    // Every route that needs a right refuses a user without it, naming the right.
    let reseller = serde_json::to_value(reseller()).unwrap();
    let needs = [
        (
            Method::POST,
            format!("/api/v1/account/sites/{site}/services/support/activate"),
            Some(json!({})),
            "actions.costly.approve",
        ),
        (
            Method::POST,
            format!("/api/v1/account/sites/{site}/services/support/deactivate"),
            Some(json!({})),
            "actions.costly.approve",
        ),
        (
            Method::PUT,
            format!("/api/v1/account/sites/{site}/technical"),
            Some(json!({"evse_ids": []})),
            "sites.technical.edit",
        ),
        (
            Method::GET,
            "/api/v1/account/operations".to_owned(),
            None,
            "sites.operations.view",
        ),
        (
            Method::GET,
            "/api/v1/account/operations/export".to_owned(),
            None,
            "sites.operations.view",
        ),
        (
            Method::GET,
            "/api/v1/account/invoice-lines".to_owned(),
            None,
            "invoices.view",
        ),
        (
            Method::POST,
            "/api/v1/account/keys".to_owned(),
            Some(json!({"product_key": keys[1], "reseller": reseller})),
            "sites.manage",
        ),
        (
            Method::POST,
            format!("/api/v1/account/sites/{site}/deactivate"),
            Some(json!({})),
            "sites.manage",
        ),
        (
            Method::POST,
            "/api/v1/account/users".to_owned(),
            Some(json!({"username": "x.y", "password": PASSWORD})),
            "users.manage",
        ),
        (
            Method::POST,
            "/api/v1/account/groups".to_owned(),
            Some(json!({"name": "g", "rights": []})),
            "users.manage",
        ),
        (
            Method::PUT,
            members_path.clone(),
            Some(json!({"user_ids": []})),
            "users.manage",
        ),
        (
            Method::POST,
            format!("/api/v1/account/sites/{site}/users"),
            Some(json!({"username": "admin", "password": PASSWORD})),
            "users.manage",
        ),
        (
            Method::GET,
            format!("/api/v1/account/sites/{site}/users"),
            None,
            "users.manage",
        ),
    ];
    for (method, path, body, right) in &needs {
        let e = error(
            as_(&app, &nina, method.clone(), path, body.as_ref()).await,
            StatusCode::FORBIDDEN,
            "RIGHT_REQUIRED",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some(*right), "{method} {path}");
        assert!(e.message.contains(right), "{}", e.message);
    }
    // Tom has two of them, and only those.
    for (method, path, body, right) in &needs {
        let status = as_(&app, &tom, method.clone(), path, body.as_ref())
            .await
            .status();
        let allowed = ["sites.technical.edit", "sites.operations.view"].contains(right);
        assert_eq!(
            status == StatusCode::FORBIDDEN,
            !allowed,
            "{method} {path}: {status}"
        );
    }
    let view: PortalView = ok(
        as_(&app, &nina, Method::GET, "/api/v1/account/ui", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (view.tabs, view.actions.len()),
        (vec!["sites".to_owned()], 0)
    );
    // A user's token is not an operator's, nor a superadmin's sign-in on the account route.
    error(
        as_(&app, &tom, Method::GET, "/api/v1/accounts", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        app.call(
            Method::POST,
            "/api/v1/account/login",
            Some(&json!({"username": "tom.tech", "password": PASSWORD})),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    // A user's logout ends that user's session.
    let r = as_(
        &app,
        &tom,
        Method::POST,
        "/api/v1/account/logout",
        Some(&json!({})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    error(
        as_(&app, &tom, Method::GET, "/api/v1/account/ui", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    app.stop().await;
}
