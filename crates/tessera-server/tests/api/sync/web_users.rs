//! Web users from synced data (H2): a user record marked "web user" becomes a user of the
//! site it came from once synced, invited by mail (to its own address, else to the
//! account's) to set a password — never taken from the synced data; replays invite once;
//! with the password it signs in with the site code and sees its site only; unmarked, it can
//! no longer sign in; a used or expired code is refused.

use jiff::SignedDuration;
use tessera_api::{AcceptInvitation, SiteLoginRequest};

use super::*;
use tessera_testkit::sync::{invitation_code, invitations_to};

use crate::cloud::{code_after, mail_for};

both_backends!(a_web_user_from_synced_data_signs_in_after_its_invitation);

async fn a_web_user_from_synced_data_signs_in_after_its_invitation(app: TestApp) {
    let w = world(&app).await;
    let site_code = code_after(&mail_for(&app, "rep0@ib50.example").await, "Site code:");
    let mut a = Client::new(&app, &w.cloud[0]);
    first_synced(&a).await;
    let users = vec![
        upsert(
            "users",
            "u1",
            0,
            json!({"nickname": "Jack", "web_user": true, "email": "jack@ib50.example",
                   "password": "synced-in-clear"}),
        ),
        upsert(
            "users",
            "u2",
            0,
            json!({"nickname": "anna", "web_user": true}),
        ),
        upsert(
            "users",
            "u3",
            0,
            json!({"nickname": "carl", "web_user": false}),
        ),
    ];
    a.push("users-1", users.clone()).await.unwrap();
    // Sent again (a lost answer): no second invitation.
    assert!(a.push("users-1", users).await.unwrap().replayed);

    assert_eq!(invitations_to(&app, "jack@ib50.example").await.len(), 1);
    let to_office = invitations_to(&app, "office@ib50.example").await;
    assert_eq!(to_office.len(), 1, "anna has no address: the account's");
    assert!(
        to_office[0].body.contains("hand the code on"),
        "{}",
        to_office[0].body
    );
    assert!(to_office[0].body.contains("anna"));
    // The mail reaches the SMTP sink.
    let text = mail_for(&app, "jack@ib50.example").await;
    assert!(text.contains("jack") && text.contains(&site_code), "{text}");
    let code = invitation_code(&text);

    // No password yet: neither none nor the synced one signs in.
    let login = |password: &str| SiteLoginRequest {
        username: "Jack".into(),
        password: password.into(),
        site_code: site_code.clone(),
    };
    let anonymous = app.api_as(None);
    for tried in ["", "synced-in-clear"] {
        refused(
            anonymous.site_login(&login(tried)).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        );
    }

    let accept = |code: &str, password: &str| AcceptInvitation {
        code: code.into(),
        password: password.into(),
    };
    refused(
        anonymous.accept_invitation(&accept(&code, "short")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "PASSWORD_TOO_SHORT",
    );
    refused(
        anonymous
            .accept_invitation(&accept("AAAAA-BBBBB-CCCCC-DDDDD", PASSWORD))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVITATION_INVALID",
    );
    let accepted = anonymous
        .accept_invitation(&accept(&code.to_lowercase(), PASSWORD))
        .await
        .unwrap();
    assert_eq!(
        (accepted.site_id.as_str(), accepted.username.as_str()),
        (w.sites[0].as_str(), "jack")
    );
    refused(
        anonymous.accept_invitation(&accept(&code, PASSWORD)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVITATION_INVALID",
    );

    // Signed in with the site code: its site only.
    let token = anonymous.site_login(&login(PASSWORD)).await.unwrap().token;
    let seen = app.api_as(Some(&token)).own_sites().await.unwrap();
    let ids: Vec<&str> = seen.sites.iter().map(|s| s.site_id.as_str()).collect();
    assert_eq!(ids, [w.sites[0].as_str()]);

    // Unmarked in the site's data: no more web access, the session ends with it.
    let version = a.local[&("users".to_owned(), "u1".to_owned())].0;
    a.push(
        "users-2",
        vec![upsert(
            "users",
            "u1",
            version,
            json!({"nickname": "Jack", "web_user": false, "email": "jack@ib50.example"}),
        )],
    )
    .await
    .unwrap();
    refused(
        anonymous.site_login(&login(PASSWORD)).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    refused(
        app.api_as(Some(&token)).own_sites().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );

    // Anna's code, a week and a day later: expired.
    let anna = invitation_code(&to_office[0].body);
    app.clock.advance(SignedDuration::from_hours(24 * 8));
    refused(
        anonymous.accept_invitation(&accept(&anna, PASSWORD)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVITATION_INVALID",
    );

    // The superadmin sees her waiting and mails her invitation again; of two, the later code
    // works and the earlier one no longer does.
    // (Signed in again: the week and a day ended the earlier session.)
    let admin_token = crate::fixtures::account_login(&app, "ib50").await;
    let admin = app.api_as(Some(&admin_token));
    let listed = admin.site_users(&w.sites[0]).await.unwrap().users;
    let anna_user = listed.iter().find(|u| u.username == "anna").unwrap();
    assert!(
        anna_user.web_user && anna_user.invitation_pending,
        "{listed:?}"
    );
    let sent = admin
        .reinvite_site_user(&w.sites[0], anna_user.id)
        .await
        .unwrap();
    assert_eq!(sent.mailed_to, "office@ib50.example");
    let first = invitation_code(&invitations_to(&app, "office@ib50.example").await[1].body);
    admin
        .reinvite_site_user(&w.sites[0], anna_user.id)
        .await
        .unwrap();
    let second = invitation_code(&invitations_to(&app, "office@ib50.example").await[2].body);
    refused(
        anonymous.accept_invitation(&accept(&first, PASSWORD)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVITATION_INVALID",
    );
    anonymous
        .accept_invitation(&accept(&second, PASSWORD))
        .await
        .unwrap();
    let anna_login = SiteLoginRequest {
        username: "anna".into(),
        password: PASSWORD.into(),
        site_code: site_code.clone(),
    };
    anonymous.site_login(&anna_login).await.unwrap();
    let listed = admin.site_users(&w.sites[0]).await.unwrap().users;
    assert!(!listed.iter().any(|u| u.invitation_pending), "{listed:?}");

    // A user made in the portal has no invitation; another account's user is not found.
    let made = admin
        .create_site_user(
            &w.sites[0],
            &tessera_api::NewSiteUser {
                username: "mario".into(),
                password: PASSWORD.into(),
                groups: vec![],
            },
        )
        .await
        .unwrap();
    assert!(!made.web_user);
    refused(
        admin.reinvite_site_user(&w.sites[0], made.id).await,
        StatusCode::CONFLICT,
        "NOT_A_WEB_USER",
    );
    refused(
        admin.reinvite_site_user(&w.sites[1], anna_user.id).await,
        StatusCode::NOT_FOUND,
        "USER_NOT_FOUND",
    );
    app.stop().await;
}

both_backends!(the_web_users_of_one_batch_are_made_together_and_share_no_name);

/// A batch's new web users are made together: of two whose names differ only in case the
/// first gets the site user, a name a portal user holds is left alone, and a name another
/// record of the batch lets go is free for a new one.
async fn the_web_users_of_one_batch_are_made_together_and_share_no_name(app: TestApp) {
    let w = world(&app).await;
    let mut a = Client::new(&app, &w.cloud[0]);
    first_synced(&a).await;
    let admin_token = crate::fixtures::account_login(&app, "ib50").await;
    let admin = app.api_as(Some(&admin_token));
    let portal = tessera_api::NewSiteUser {
        username: "mario".into(),
        password: PASSWORD.into(),
        groups: vec![],
    };
    admin.create_site_user(&w.sites[0], &portal).await.unwrap();
    let user = |id: &str, nickname: &str, mail: &str| {
        upsert(
            "users",
            id,
            0,
            json!({"nickname": nickname, "web_user": true, "email": mail}),
        )
    };
    a.push(
        "users-1",
        vec![
            user("u1", "Anna", "anna1@ib50.example"),
            user("u2", "anna", "anna2@ib50.example"),
            user("u3", "Mario", "mario@ib50.example"),
            user("u4", "carl", "carl@ib50.example"),
        ],
    )
    .await
    .unwrap();
    let names = |listed: &[tessera_api::SiteUser]| {
        let mut names: Vec<(String, bool)> = listed
            .iter()
            .map(|u| (u.username.clone(), u.web_user))
            .collect();
        names.sort();
        names
    };
    let listed = admin.site_users(&w.sites[0]).await.unwrap().users;
    assert_eq!(
        names(&listed),
        [
            ("anna".to_owned(), true),
            ("carl".to_owned(), true),
            ("mario".to_owned(), false)
        ]
    );
    for (to, mails) in [
        ("anna1@ib50.example", 1),
        ("anna2@ib50.example", 0),
        ("mario@ib50.example", 0),
        ("carl@ib50.example", 1),
    ] {
        assert_eq!(invitations_to(&app, to).await.len(), mails, "{to}");
    }

    // Carl becomes "carlo" and a new record takes "carl", in one batch.
    let version = a.local[&("users".to_owned(), "u4".to_owned())].0;
    a.push(
        "users-2",
        vec![
            upsert(
                "users",
                "u4",
                version,
                json!({"nickname": "carlo", "web_user": true, "email": "carl@ib50.example"}),
            ),
            user("u5", "carl", "carl2@ib50.example"),
        ],
    )
    .await
    .unwrap();
    let listed = admin.site_users(&w.sites[0]).await.unwrap().users;
    assert_eq!(
        names(&listed),
        [
            ("anna".to_owned(), true),
            ("carl".to_owned(), true),
            ("carlo".to_owned(), true),
            ("mario".to_owned(), false)
        ]
    );
    assert_eq!(invitations_to(&app, "carl2@ib50.example").await.len(), 1);
    app.stop().await;
}
