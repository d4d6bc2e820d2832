//! Site users (H1): the ADMIN login of seed 000 — username + password + the site code the
//! cloud enablement mailed. A site user sees its one site, with the rights of its groups;
//! the account-wide routes do not know its token; dropping the site from the cloud ends it.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use tessera_api::{
    Group, NewGroup, NewSiteUser, OperationPage, PortalView, SiteList, SiteLoginRequest,
    SiteServices, SiteUser, SiteUserList, Subscription,
};

use crate::cloud::{catalog, cloud_config, code_after, customer, enable, mail_for, start_trial};
use crate::fixtures::*;
use crate::harness::*;

both_backends!(site_users_sign_in_with_the_site_code with cloud_config);

const OTHER_PASSWORD: &str = "another long passphrase";

fn login_request(username: &str, password: &str, site_code: &str) -> SiteLoginRequest {
    SiteLoginRequest {
        username: username.into(),
        password: password.into(),
        site_code: site_code.into(),
    }
}

/// A site user's sign-in, as sent (the story also sends the refused ones).
async fn site_login(app: &TestApp, username: &str, password: &str, site_code: &str) -> Response {
    let body = serde_json::to_value(login_request(username, password, site_code)).unwrap();
    app.call(Method::POST, "/api/v1/site/login", Some(&body), None)
        .await
}

async fn site_token(app: &TestApp, username: &str, password: &str, site_code: &str) -> String {
    app.api_as(None)
        .site_login(&login_request(username, password, site_code))
        .await
        .unwrap()
        .token
}

async fn new_site_user(
    app: &TestApp,
    token: &str,
    site: &str,
    username: &str,
    password: &str,
    groups: &[i64],
) -> Response {
    let body = NewSiteUser {
        username: username.into(),
        password: password.into(),
        groups: groups.to_vec(),
    };
    let body = serde_json::to_value(body).unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/account/sites/{site}/users"),
        Some(&body),
        Some(token),
    )
    .await
}

async fn switch_on(app: &TestApp, token: &str, site: &str) -> Response {
    app.call(
        Method::POST,
        &format!("/api/v1/account/sites/{site}/services/support/activate"),
        Some(&json!({})),
        Some(token),
    )
    .await
}

async fn get(app: &TestApp, token: &str, path: &str) -> Response {
    app.call(Method::GET, path, None, Some(token)).await
}

async fn site_users_sign_in_with_the_site_code(app: TestApp) {
    let keys = catalog(&app, 3).await;
    let (admin, sites) = customer(&app, "ib50", IT_VATS[0], &keys[..2]).await;
    let (s0, s1) = (sites[0].as_str(), sites[1].as_str());
    support_service(&app).await;

    // Site users are given to a site by the superadmin, named per site.
    // Every right but the technician's: the account-wide ones must not open anything
    // account-wide to a site user.
    let rights = [
        "actions.costly.approve",
        "sites.operations.view",
        "invoices.view",
        "sites.manage",
        "users.manage",
    ];
    let station_admins = NewGroup {
        name: "station admins".into(),
        rights: rights.map(str::to_owned).to_vec(),
    };
    let group: Group = app
        .api_as(Some(&admin))
        .create_group(&station_admins)
        .await
        .unwrap();
    let first: SiteUser = ok(
        new_site_user(&app, &admin, s0, "Admin", PASSWORD, &[group.id, group.id]).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (first.username.as_str(), first.groups.as_slice()),
        ("admin", [group.id].as_slice())
    );
    let second: SiteUser = ok(
        new_site_user(&app, &admin, s1, "admin", OTHER_PASSWORD, &[]).await,
        StatusCode::CREATED,
    )
    .await;
    error(
        new_site_user(&app, &admin, s0, "admin", PASSWORD, &[]).await,
        StatusCode::CONFLICT,
        "USERNAME_TAKEN",
    )
    .await;
    error(
        new_site_user(&app, &admin, "S-NOT-MINE", "admin", PASSWORD, &[]).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    error(
        new_site_user(&app, &admin, s0, "x", PASSWORD, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "USERNAME_INVALID",
    )
    .await;
    error(
        new_site_user(&app, &admin, s0, "tom", PASSWORD, &[group.id + 1000]).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    )
    .await;
    let listed: SiteUserList = ok(
        get(&app, &admin, &format!("/api/v1/account/sites/{s0}/users")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed.users, std::slice::from_ref(&first));

    let trial: Subscription = ok(start_trial(&app, &admin).await, StatusCode::CREATED).await;
    let _: Value = ok(
        enable(&app, &admin, &[&sites[0], &sites[1]]).await,
        StatusCode::OK,
    )
    .await;
    let code0 = code_after(&mail_for(&app, "rep0@ib50.example").await, "Site code:");
    let code1 = code_after(&mail_for(&app, "rep1@ib50.example").await, "Site code:");

    // Username + password + site code, all three right; the code typed loosely.
    for (user, password, code) in [
        ("admin", OTHER_PASSWORD, code0.as_str()),
        ("admin", PASSWORD, code1.as_str()),
        ("nobody", PASSWORD, code0.as_str()),
        ("ib50", PASSWORD, code0.as_str()),
    ] {
        error(
            site_login(&app, user, password, code).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    let typed = code0.to_lowercase().replace('-', " ");
    let at0 = site_token(&app, "ADMIN", PASSWORD, &typed).await;
    let at1 = site_token(&app, "admin", OTHER_PASSWORD, &code1).await;
    // The site user is not the superadmin, on the superadmin's or an account user's login.
    for route in ["/api/v1/account/login", "/api/v1/account/users/login"] {
        error(
            app.call(
                Method::POST,
                route,
                Some(&json!({"username": "admin", "password": PASSWORD})),
                None,
            )
            .await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }

    // One site, with the group's rights.
    let view: PortalView = ok(get(&app, &at0, "/api/v1/account/ui").await, StatusCode::OK).await;
    assert_eq!(
        (
            view.superadmin,
            view.site_id.as_deref(),
            view.tabs.clone(),
            view.actions.clone()
        ),
        (
            false,
            Some(s0),
            vec!["sites".to_owned(), "operations".to_owned()],
            vec!["services.switch".to_owned()]
        )
    );
    let listed: SiteList = ok(
        get(&app, &at0, "/api/v1/account/sites").await,
        StatusCode::OK,
    )
    .await;
    let seen: Vec<_> = listed.sites.iter().map(|s| s.site_id.as_str()).collect();
    assert_eq!(seen, [s0]);
    let key = &listed.sites[0].product_key;
    assert!(
        key.starts_with("****-****-****-") && keys[0].ends_with(&key[15..]),
        "{key}"
    );
    let _: SiteServices = ok(switch_on(&app, &at0, s0).await, StatusCode::OK).await;
    for path in [
        format!("/api/v1/account/sites/{s1}/services"),
        format!("/api/v1/account/sites/{s1}/technical"),
    ] {
        error(
            get(&app, &at0, &path).await,
            StatusCode::NOT_FOUND,
            "SITE_NOT_FOUND",
        )
        .await;
    }
    error(
        switch_on(&app, &at0, s1).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    let e = error(
        app.call(
            Method::PUT,
            &format!("/api/v1/account/sites/{s0}/technical"),
            Some(&json!({"evse_ids": []})),
            Some(&at0),
        )
        .await,
        StatusCode::FORBIDDEN,
        "RIGHT_REQUIRED",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("sites.technical.edit"));
    // The superadmin's activity on the other site is not in this site user's log.
    let _: SiteServices = ok(switch_on(&app, &admin, s1).await, StatusCode::OK).await;
    // Asking for the other site's entries still gives its own, without people's addresses.
    let log: OperationPage = ok(
        get(&app, &at0, &format!("/api/v1/account/operations?site={s1}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(!log.operations.is_empty());
    assert!(
        log.operations
            .iter()
            .all(|o| o.site_id.as_deref() == Some(s0) && o.ip.is_none()),
        "{:?}",
        log.operations
    );
    let csv = get(
        &app,
        &at0,
        &format!("/api/v1/account/operations/export?site={s1}"),
    )
    .await
    .text()
    .await
    .unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert!(rows.len() >= log.operations.len(), "{csv}");
    assert!(rows.iter().all(|r| r[5] == s0 && r[10].is_empty()), "{csv}");
    assert!(log.operations.iter().any(|o| {
        o.actor == format!("siteuser:admin@{s0}")
            && o.operation.ends_with("/activate")
            && o.outcome == "ok"
    }));
    let everything: OperationPage = ok(
        get(
            &app,
            &admin,
            &format!("/api/v1/account/operations?site={s1}"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        everything
            .operations
            .iter()
            .any(|o| o.actor == "account:ib50")
    );
    // The site user's refused try on the other site is on that site's record.
    assert!(
        everything.operations.iter().any(|o| {
            o.actor == format!("siteuser:admin@{s0}")
                && o.operation.ends_with("/activate")
                && o.outcome == "refused"
        }),
        "{:?}",
        everything.operations
    );

    // The account-wide routes do not take a site user's token, whatever its rights.
    let members = format!("/api/v1/account/groups/{}/members", group.id);
    let account_wide = [
        (Method::GET, "/api/v1/account".to_owned(), None),
        (Method::GET, "/api/v1/account/cloud".to_owned(), None),
        (
            Method::GET,
            "/api/v1/account/invoice-lines".to_owned(),
            None,
        ),
        (Method::GET, "/api/v1/account/invoices".to_owned(), None),
        (
            Method::GET,
            format!("/api/v1/account/sites/{s0}/users"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/account/sites/{s0}/users"),
            Some(json!({"username": "mallory", "password": PASSWORD})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/account/sites/{s0}/users/{}", first.id),
            None,
        ),
        (
            Method::POST,
            "/api/v1/account/groups".to_owned(),
            Some(json!({"name": "g", "rights": []})),
        ),
        (Method::PUT, members.clone(), Some(json!({"user_ids": []}))),
        (
            Method::POST,
            "/api/v1/account/keys".to_owned(),
            Some(json!({"product_key": keys[2], "reseller": reseller()})),
        ),
        (
            Method::POST,
            format!("/api/v1/account/sites/{s0}/deactivate"),
            Some(json!({})),
        ),
        (
            Method::POST,
            "/api/v1/account/cloud/orders".to_owned(),
            Some(json!({"plan": "cloud-s10", "sites": 1})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/account/cloud/sites/{s0}"),
            None,
        ),
    ];
    for (method, path, body) in &account_wide {
        error(
            app.call(method.clone(), path, body.as_ref(), Some(&at0))
                .await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }

    // Rights follow the group: the other site's admin gets them when put in it.
    let e = error(
        switch_on(&app, &at1, s1).await,
        StatusCode::FORBIDDEN,
        "RIGHT_REQUIRED",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("actions.costly.approve"));
    let put_members = async |body: Value| {
        let r = app
            .call(Method::PUT, &members, Some(&body), Some(&admin))
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    };
    put_members(json!({"user_ids": [], "site_user_ids": [first.id, second.id]})).await;
    error(
        switch_on(&app, &at1, s1).await,
        StatusCode::CONFLICT,
        "SERVICE_ALREADY_ON",
    )
    .await;
    // Setting only the account's users leaves the site users in the group.
    put_members(json!({"user_ids": []})).await;
    error(
        switch_on(&app, &at1, s1).await,
        StatusCode::CONFLICT,
        "SERVICE_ALREADY_ON",
    )
    .await;

    // Removing a site user ends its session; so does its own logout.
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/account/sites/{s1}/users/{}", second.id),
            None,
            Some(&admin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    error(
        get(&app, &at1, "/api/v1/account/ui").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/account/logout",
            Some(&json!({})),
            Some(&at0),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    error(
        get(&app, &at0, "/api/v1/account/ui").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // While the vendor blocks the subscription, site users are refused with the reason, at
    // sign-in (only once all three are right) and on every request; resumed, they are back.
    let again = site_token(&app, "admin", PASSWORD, &code0).await;
    let set_state = async |state: &str| {
        let _: Value = ok(
            app.post(
                &format!("/api/v1/subscriptions/{}/state", trial.id),
                &json!({"state": state}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    };
    set_state("blocked").await;
    error(
        get(&app, &again, "/api/v1/account/ui").await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_BLOCKED",
    )
    .await;
    error(
        site_login(&app, "admin", PASSWORD, &code0).await,
        StatusCode::FORBIDDEN,
        "SUBSCRIPTION_BLOCKED",
    )
    .await;
    error(
        site_login(&app, "admin", OTHER_PASSWORD, &code0).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    set_state("active").await;
    let _: PortalView = ok(
        get(&app, &again, "/api/v1/account/ui").await,
        StatusCode::OK,
    )
    .await;

    // Without the cloud there is no site code: sessions and sign-in end together.
    set_state("deleted").await;
    error(
        get(&app, &again, "/api/v1/account/ui").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        site_login(&app, "admin", PASSWORD, &code0).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    app.stop().await;
}
