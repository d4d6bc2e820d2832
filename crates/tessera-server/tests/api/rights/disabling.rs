//! A user disabled and enabled again (F5), by the superadmin or a user with `users.manage`:
//! disabled, its live session ends at once and its sign-in is refused `USER_DISABLED` — but
//! only with the right password; enabled, it signs in again and holds its groups' rights as
//! before. Without the right: 403; another account's user: 404; each change is in the
//! operations log.

use jiff::SignedDuration;
use reqwest::StatusCode;
use tessera_api::{LoginRequest, User};

use super::{members, new_group, new_user, user_login};
use crate::fixtures::*;
use crate::harness::*;

both_backends!(a_disabled_user_is_shut_out_until_enabled);

fn login(username: &str, password: &str) -> LoginRequest {
    LoginRequest::new(username, password)
}

/// The user named `name` in `users`.
fn named<'a>(users: &'a [User], name: &str) -> &'a User {
    users.iter().find(|u| u.username == name).expect(name)
}

async fn a_disabled_user_is_shut_out_until_enabled(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    register(&app, "bruno", "bruno@example.com", IT_VATS[1], &keys[1]).await;
    let anna = account_login(&app, "anna").await;
    let bruno = account_login(&app, "bruno").await;
    let (as_anna, as_bruno) = (app.api_as(Some(&anna)), app.api_as(Some(&bruno)));
    let tom = as_anna.create_user(&new_user("tom.tech")).await.unwrap();
    let una = as_anna.create_user(&new_user("una.admin")).await.unwrap();
    as_anna.create_user(&new_user("nina.none")).await.unwrap();
    let bob = as_bruno.create_user(&new_user("bob.b")).await.unwrap();
    assert_eq!(tom.disabled_at, None, "a new user may sign in");
    let log_readers = new_group("log readers", &["operations.view"]);
    let log_readers = as_anna.create_group(&log_readers).await.unwrap();
    let admins = new_group("admins", &["users.manage"]);
    let admins = as_anna.create_group(&admins).await.unwrap();
    for (group, users) in [(log_readers.id, vec![tom.id]), (admins.id, vec![una.id])] {
        as_anna
            .set_group_members(group, &members(users))
            .await
            .unwrap();
    }
    let as_tom = app.api_as(Some(&user_login(&app, "tom.tech").await));
    as_tom.own_operations("").await.unwrap();
    let as_una = app.api_as(Some(&user_login(&app, "una.admin").await));
    let as_nina = app.api_as(Some(&user_login(&app, "nina.none").await));

    // Without users.manage, nobody is disabled or enabled.
    for answer in [
        as_nina.disable_user(tom.id).await,
        as_nina.enable_user(tom.id).await,
    ] {
        let e = refused(answer, StatusCode::FORBIDDEN, "RIGHT_REQUIRED");
        assert_eq!(e.field.as_deref(), Some("users.manage"));
    }

    // Una disables tom: his live session ends at once.
    let disabled = as_una.disable_user(tom.id).await.unwrap();
    let since = disabled.disabled_at.clone().expect("disabled");
    assert_eq!(
        (disabled.id, disabled.username.as_str()),
        (tom.id, "tom.tech")
    );
    for answer in [
        as_tom.portal_ui().await.map(drop),
        as_tom.own_operations("").await.map(drop),
    ] {
        refused(answer, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    }
    // His sign-in is refused: why, only to someone who knows his password.
    let users = app.api_as(None);
    refused(
        users.user_login(&login("tom.tech", PASSWORD)).await,
        StatusCode::FORBIDDEN,
        "USER_DISABLED",
    );
    refused(
        users
            .user_login(&login("tom.tech", "not his password at all"))
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    // The list shows it; disabling again changes nothing, not even since when.
    let listed = as_anna.users().await.unwrap().users;
    assert_eq!(
        named(&listed, "tom.tech").disabled_at.as_deref(),
        Some(since.as_str())
    );
    assert_eq!(named(&listed, "una.admin").disabled_at, None);
    app.clock.advance(SignedDuration::from_mins(5));
    let again = as_anna.disable_user(tom.id).await.unwrap();
    assert_eq!(again.disabled_at.as_deref(), Some(since.as_str()));

    // Nothing of another account: 404, as if it did not exist.
    let not_found = [
        as_bruno.disable_user(tom.id).await,
        as_bruno.enable_user(tom.id).await,
        as_anna.disable_user(bob.id).await,
        as_una.enable_user(bob.id).await,
        as_anna.disable_user(i64::MAX).await,
    ];
    for answer in not_found {
        refused(answer, StatusCode::NOT_FOUND, "USER_NOT_FOUND");
    }
    let bobs = as_bruno.users().await.unwrap().users;
    assert_eq!(bobs[0].disabled_at, None, "bob untouched");

    // Enabled again: tom signs in with his password and holds his group's rights; the
    // session that was ended stays ended.
    let enabled = as_una.enable_user(tom.id).await.unwrap();
    assert_eq!(enabled.disabled_at, None);
    assert_eq!(as_una.enable_user(tom.id).await.unwrap(), enabled);
    refused(
        as_tom.portal_ui().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    let as_tom_again = app.api_as(Some(&user_login(&app, "tom.tech").await));
    as_tom_again.own_operations("").await.unwrap();
    let listed = as_anna.users().await.unwrap().users;
    assert!(listed.iter().all(|u| u.disabled_at.is_none()), "{listed:?}");

    // On the account's record: the changes, and tom's refused sign-in with its code.
    let log = as_anna.own_operations("").await.unwrap().operations;
    for (actor, operation, code) in [
        (
            "user:una.admin",
            "POST /api/v1/account/users/{id}/disable",
            None,
        ),
        (
            "user:una.admin",
            "POST /api/v1/account/users/{id}/enable",
            None,
        ),
        (
            "user:tom.tech",
            "POST /api/v1/account/users/login",
            Some("USER_DISABLED"),
        ),
    ] {
        assert!(
            log.iter()
                .any(|o| o.actor == actor && o.operation == operation && o.code.as_deref() == code),
            "{actor} {operation} {code:?}: {log:?}"
        );
    }
    app.stop().await;
}
