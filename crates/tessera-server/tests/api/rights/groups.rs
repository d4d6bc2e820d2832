//! Groups are listed with their rights and members, their rights switched, groups and users
//! removed (F5), by the superadmin or a user with `users.manage`; another account's groups
//! and users are not found; a removed user's token stops working; each change is in the
//! operations log.

use reqwest::StatusCode;
use tessera_api::{Group, GroupList, GroupName, GroupRights, NewSiteUser, NewUser};

use super::{members, new_group, new_user, user_login};
use crate::fixtures::*;
use crate::harness::*;

both_backends!(groups_are_listed_edited_and_removed);

fn rights(names: &[&str]) -> GroupRights {
    GroupRights {
        rights: names.iter().map(|r| r.to_string()).collect(),
    }
}

fn names(list: &GroupList) -> Vec<&str> {
    list.groups.iter().map(|g| g.name.as_str()).collect()
}

/// Two accounts, anna's with users tom and una, groups `technicians` (both, and anna's site
/// admin) and `admins` (una, `users.manage`); bruno's with a group and a user of its own.
struct Given {
    site: String,
    anna: String,
    bruno: String,
    tom: i64,
    una: i64,
    technicians: Group,
    brunos_group: Group,
    brunos_user: i64,
}

async fn given(app: &TestApp) -> Given {
    let keys = product_with_keys(app, "fleet", 2, 0).await;
    let account = register(app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    register(app, "bruno", "bruno@example.com", IT_VATS[1], &keys[1]).await;
    let (anna, bruno) = (
        account_login(app, "anna").await,
        account_login(app, "bruno").await,
    );
    let (as_anna, as_bruno) = (app.api_as(Some(&anna)), app.api_as(Some(&bruno)));
    let tom = as_anna.create_user(&new_user("tom.tech")).await.unwrap().id;
    let una = as_anna
        .create_user(&new_user("una.admin"))
        .await
        .unwrap()
        .id;
    let technicians = new_group("technicians", &["sites.technical.edit"]);
    let technicians = as_anna.create_group(&technicians).await.unwrap();
    let admins = new_group("admins", &["users.manage"]);
    let admins = as_anna.create_group(&admins).await.unwrap();
    for (group, users) in [(technicians.id, vec![tom, una]), (admins.id, vec![una])] {
        as_anna
            .set_group_members(group, &members(users))
            .await
            .unwrap();
    }
    let site = account.installations[0].site_id.clone();
    let site_admin = NewSiteUser {
        username: "admin".into(),
        password: PASSWORD.into(),
        groups: vec![technicians.id],
    };
    as_anna.create_site_user(&site, &site_admin).await.unwrap();
    let brunos_group = new_group("bruno's", &["invoices.view"]);
    let brunos_group = as_bruno.create_group(&brunos_group).await.unwrap();
    let brunos_user = as_bruno.create_user(&new_user("bob.b")).await.unwrap().id;
    Given {
        site,
        anna,
        bruno,
        tom,
        una,
        technicians,
        brunos_group,
        brunos_user,
    }
}

async fn groups_are_listed_edited_and_removed(app: TestApp) {
    let given = given(&app).await;
    let as_anna = app.api_as(Some(&given.anna));
    let as_bruno = app.api_as(Some(&given.bruno));
    let tech = given.technicians.id;

    // Listed by name with rights and members; each account sees its own only.
    let listed = as_anna.groups().await.unwrap();
    assert_eq!(names(&listed), ["admins", "technicians"]);
    let technicians = &listed.groups[1];
    let users: Vec<_> = technicians
        .users
        .iter()
        .map(|u| u.username.as_str())
        .collect();
    assert_eq!(users, ["tom.tech", "una.admin"]);
    assert_eq!(technicians.rights, ["sites.technical.edit"]);
    let site_user = &technicians.site_users[0];
    assert_eq!(
        (site_user.site_id.as_str(), site_user.username.as_str()),
        (given.site.as_str(), "admin")
    );
    assert_eq!(names(&as_bruno.groups().await.unwrap()), ["bruno's"]);

    // Switching a group's rights: its members hold the new ones from their next request.
    let as_tom = app.api_as(Some(&user_login(&app, "tom.tech").await));
    refused(
        as_tom.own_operations("").await,
        StatusCode::FORBIDDEN,
        "RIGHT_REQUIRED",
    );
    let switched = ["operations.view", "sites.technical.edit", "operations.view"];
    let edited = as_anna
        .set_group_rights(tech, &rights(&switched))
        .await
        .unwrap();
    assert_eq!((edited.id, edited.name.as_str()), (tech, "technicians"));
    assert_eq!(edited.rights, switched[..2]);
    as_tom.own_operations("").await.unwrap();
    let e = refused(
        as_anna
            .set_group_rights(tech, &rights(&["sites.delete"]))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RIGHT_UNKNOWN",
    );
    assert_eq!(e.field.as_deref(), Some("rights[0]"));

    users_listed_and_groups_renamed(&app, &given).await;
    nothing_of_another_account(&app, &given).await;
    let kept = as_anna.groups().await.unwrap();
    assert_eq!(kept.groups[1].rights, switched[..2]);

    removing_a_group_and_a_user(&app, &given, &as_tom).await;
    app.stop().await;
}

/// The account's users are listed by name, a new one joins groups as it is added, the
/// users of all its sites are listed, and a group is renamed (not to a name it has).
async fn users_listed_and_groups_renamed(app: &TestApp, given: &Given) {
    let as_anna = app.api_as(Some(&given.anna));
    let tech = given.technicians.id;
    let listed = as_anna.users().await.unwrap();
    let users: Vec<_> = listed.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(users, ["tom.tech", "una.admin"]);
    let nina = NewUser {
        groups: vec![tech, tech],
        ..new_user("nina.n")
    };
    let nina = as_anna.create_user(&nina).await.unwrap().id;
    let into_bruno = NewUser {
        groups: vec![given.brunos_group.id],
        ..new_user("nobody")
    };
    refused(
        as_anna.create_user(&into_bruno).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    let users = as_anna.users().await.unwrap().users;
    assert_eq!(users.len(), 3, "the refused user is not added: {users:?}");
    let groups = as_anna.groups().await.unwrap();
    assert!(groups.groups[1].users.iter().any(|u| u.id == nina));
    let site_users = as_anna.account_site_users().await.unwrap().users;
    assert_eq!(site_users.len(), 1);
    assert_eq!(
        (
            site_users[0].site_id.as_str(),
            site_users[0].groups.as_slice()
        ),
        (given.site.as_str(), [tech].as_slice())
    );
    assert!(
        app.api_as(Some(&given.bruno))
            .account_site_users()
            .await
            .unwrap()
            .users
            .is_empty()
    );
    as_anna.delete_user(nina).await.unwrap();

    let name = |n: &str| GroupName { name: n.into() };
    as_anna
        .rename_group(tech, &name("field techs"))
        .await
        .unwrap();
    refused(
        as_anna.rename_group(tech, &name("admins")).await,
        StatusCode::CONFLICT,
        "GROUP_EXISTS",
    );
    refused(
        as_anna.rename_group(tech, &name("  ")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "FIELD_REQUIRED",
    );
    refused(
        app.api_as(Some(&given.bruno))
            .rename_group(tech, &name("mine"))
            .await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    let renamed = as_anna.groups().await.unwrap();
    assert_eq!(names(&renamed), ["admins", "field techs"]);
    as_anna
        .rename_group(tech, &name("technicians"))
        .await
        .unwrap();
}

/// Nothing of another account is visible or changeable: 404, as if it did not exist; its
/// groups stay as they were.
async fn nothing_of_another_account(app: &TestApp, given: &Given) {
    let as_anna = app.api_as(Some(&given.anna));
    let as_bruno = app.api_as(Some(&given.bruno));
    let tech = given.technicians.id;
    let not_found = [
        (
            as_bruno
                .set_group_rights(tech, &rights(&[]))
                .await
                .map(drop),
            "GROUP_NOT_FOUND",
        ),
        (as_bruno.delete_group(tech).await, "GROUP_NOT_FOUND"),
        (as_bruno.delete_user(given.tom).await, "USER_NOT_FOUND"),
        (
            as_anna.delete_group(given.brunos_group.id).await,
            "GROUP_NOT_FOUND",
        ),
        (
            as_anna.delete_user(given.brunos_user).await,
            "USER_NOT_FOUND",
        ),
    ];
    for (answer, code) in not_found {
        refused(answer, StatusCode::NOT_FOUND, code);
    }
    let brunos = as_bruno.groups().await.unwrap();
    assert_eq!(brunos.groups[0].rights, ["invoices.view"]);
}

/// Una (`users.manage`) removes the technicians group, then tom; tom loses the group's
/// rights, then its session; the changes are in the account's operations log.
async fn removing_a_group_and_a_user(app: &TestApp, given: &Given, as_tom: &ApiClient) {
    let as_una = app.api_as(Some(&user_login(app, "una.admin").await));
    let tech = given.technicians.id;
    as_una.delete_group(tech).await.unwrap();
    refused(
        as_una.delete_group(tech).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    refused(
        as_tom.own_operations("").await,
        StatusCode::FORBIDDEN,
        "RIGHT_REQUIRED",
    );
    assert!(as_tom.portal_ui().await.unwrap().rights.is_empty());
    let left = as_una.groups().await.unwrap();
    assert_eq!(names(&left), ["admins"]);
    let users: Vec<_> = left.groups[0].users.iter().map(|u| u.id).collect();
    assert_eq!(users, [given.una]);
    let site_users = as_una.site_users(&given.site).await.unwrap().users;
    assert!(site_users[0].groups.is_empty(), "{site_users:?}");

    // A removed user's token stops working at once, and it cannot sign in again.
    as_una.delete_user(given.tom).await.unwrap();
    refused(
        as_tom.portal_ui().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    let login = tessera_api::LoginRequest {
        username: "tom.tech".into(),
        password: PASSWORD.into(),
        language: None,
    };
    refused(
        app.api_as(None).user_login(&login).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    refused(
        as_una.delete_user(given.tom).await,
        StatusCode::NOT_FOUND,
        "USER_NOT_FOUND",
    );
    // The name is free again.
    as_una.create_user(&new_user("tom.tech")).await.unwrap();

    let log = app
        .api_as(Some(&given.anna))
        .own_operations("")
        .await
        .unwrap()
        .operations;
    for (actor, operation) in [
        ("account:anna", "PUT /api/v1/account/groups/{id}/rights"),
        ("user:una.admin", "DELETE /api/v1/account/groups/{id}"),
        ("user:una.admin", "DELETE /api/v1/account/users/{id}"),
    ] {
        assert!(
            log.iter()
                .any(|o| o.actor == actor && o.operation == operation && o.outcome == "ok"),
            "{actor} {operation}: {log:?}"
        );
    }
    // Bruno's refused tries are on bruno's record, not anna's.
    assert!(log.iter().all(|o| o.actor != "account:bruno"), "{log:?}");
}
