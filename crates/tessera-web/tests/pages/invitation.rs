//! A web user's invitation page (H2): a synced user record marked "web user" brings an
//! invitation mail; on `/invitation` the code and a password typed twice set the password
//! (a mismatch, a wrong code refused at their field, what was typed kept but passwords);
//! then the user signs in as its site's user.

use reqwest::StatusCode;
use serde_json::json;
use tessera_api::PushChange;
use tessera_testkit::cloud::mailed_codes;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::sync::{connected, first_sync, invitation_code, invitations_to};
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::Visitor;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_user_sets_its_password_with_the_mailed_code_and_signs_in() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, tessera_testkit::cloud::billing).await else {
            continue;
        };
        let world = connected(&app).await;
        let jack = PushChange {
            collection: "users".into(),
            id: "u1".into(),
            base_version: 0,
            data: Some(json!({"nickname": "jack", "web_user": true, "email": "jack@ib50.example"})),
            deleted: false,
        };
        first_sync(&app, &world.cloud[0], "users-1", vec![jack]).await;
        let invited = invitations_to(&app, "jack@ib50.example").await;
        let lost = invitation_code(&invited[0].body);
        let (_, site_code) = mailed_codes(&app, "rep0@ib50.example").await;

        // The superadmin sees jack waiting on the site's sheet and mails the invitation again
        // (say the first mail got lost): the new code works, the first no longer.
        let mut admin = Visitor::new(&app);
        admin.sign_in("ib50", PASSWORD).await;
        let sheet_path = format!("/sites/{}", world.sites[0]);
        let sheet = admin.get(&sheet_path).await;
        assert!(
            sheet
                .text
                .contains("from the site’s data, invitation not used yet"),
            "{}",
            sheet.text
        );
        let again = format!("{sheet_path}/users/");
        let action = sheet
            .text
            .split("action=\"")
            .filter_map(|a| a.split('"').next())
            .find(|a| a.starts_with(&again) && a.ends_with("/invitation"))
            .expect("a button to mail the invitation again")
            .to_owned();
        let csrf = sheet.hidden("csrf").unwrap();
        let sent = admin.post_form(&action, &[("csrf", csrf)]).await;
        assert_eq!(
            sent.location(),
            format!("{sheet_path}?done=user-invited#users")
        );
        let invited = invitations_to(&app, "jack@ib50.example").await;
        assert_eq!(invited.len(), 2);
        let code = invitation_code(&invited[1].body);
        assert_ne!(code, lost);

        let mut v = Visitor::new(&app);
        let sign_in = v.get("/sign-in?tab=site").await;
        assert!(sign_in.text.contains("href=\"/invitation\""));
        let page = v.get("/invitation").await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = page.hidden("csrf").unwrap();
        let post = |code: &str, confirm: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("code", code.to_owned()),
                ("password", PASSWORD.to_owned()),
                ("password_confirm", confirm.to_owned()),
            ]
        };
        let mismatch = v
            .post_form("/invitation", &post(&code, "something else"))
            .await;
        assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            mismatch.error_at("password_confirm").is_some(),
            "{}",
            mismatch.text
        );
        assert!(
            mismatch.text.contains(&format!("value=\"{code}\"")),
            "the code kept"
        );
        assert!(
            !mismatch.text.contains(PASSWORD),
            "passwords never shown again"
        );
        let wrong = v
            .post_form("/invitation", &post("AAAAA-BBBBB-CCCCC-DDDDD", PASSWORD))
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.error_at("code").is_some(), "{}", wrong.text);
        let stale = v.post_form("/invitation", &post(&lost, PASSWORD)).await;
        assert_eq!(
            stale.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the first code is void"
        );
        let done = v.post_form("/invitation", &post(&code, PASSWORD)).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        assert!(
            done.text.contains("The password of jack is set"),
            "{}",
            done.text
        );

        let mut user = Visitor::new(&app);
        let signed = user.sign_in_site("jack", PASSWORD, &site_code).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
        let sites = user.get("/sites").await;
        assert!(
            sites
                .text
                .contains(&format!("data-site=\"{}\"", world.sites[0]))
        );
        assert!(
            !sites
                .text
                .contains(&format!("data-site=\"{}\"", world.sites[1]))
        );
        app.stop().await;
    }
}
