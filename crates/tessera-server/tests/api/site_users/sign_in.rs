//! Sign-in takes username + password + the site code the cloud enablement mailed, all three
//! right, the code typed loosely; a site user is no one on the account's own sign-ins.

use tessera_api::LoginRequest;

use super::*;

pub(super) async fn with_username_password_and_site_code(app: &TestApp, story: &Story) -> SignedIn {
    let (admin, sites) = (story.admin.as_str(), &story.sites);
    let trial = start_trial(app, admin).await.unwrap();
    enable(app, admin, &[&sites[0], &sites[1]]).await.unwrap();
    let code0 = code_after(&mail_for(app, "rep0@ib50.example").await, "Site code:");
    let code1 = code_after(&mail_for(app, "rep1@ib50.example").await, "Site code:");

    // Username + password + site code, all three right; the code typed loosely.
    for (user, password, code) in [
        ("admin", OTHER_PASSWORD, code0.as_str()),
        ("admin", PASSWORD, code1.as_str()),
        ("nobody", PASSWORD, code0.as_str()),
        ("ib50", PASSWORD, code0.as_str()),
    ] {
        refused(
            site_login(app, user, password, code).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        );
    }
    let typed = code0.to_lowercase().replace('-', " ");
    let at0 = site_token(app, "ADMIN", PASSWORD, &typed).await;
    let at1 = site_token(app, "admin", OTHER_PASSWORD, &code1).await;
    // The site user is not the superadmin, on the superadmin's or an account user's login.
    let login = LoginRequest {
        username: "admin".into(),
        password: PASSWORD.into(),
        language: None,
    };
    let anonymous = app.api_as(None);
    for tried in [
        anonymous.account_login(&login).await,
        anonymous.user_login(&login).await,
    ] {
        refused(tried, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    }
    SignedIn {
        trial_id: trial.id,
        code0,
        at0,
        at1,
    }
}
