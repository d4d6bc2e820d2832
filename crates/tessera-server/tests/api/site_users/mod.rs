//! Site users (H1): the ADMIN login of seed 000 — username + password + the site code the
//! cloud enablement mailed. A site user sees its one site, with the rights of its groups;
//! the account-wide routes do not know its token; dropping the site from the cloud ends it.
//!
//! One story told in chapters one file each: each chapter starts with the users, sessions and
//! subscription the chapter before left, so they run in order in one test.

use reqwest::StatusCode;
use tessera_api::{
    Group, LoginResponse, NewGroup, NewSiteUser, SiteLoginRequest, SiteServices, SiteUser,
};

use crate::cloud::{
    catalog, cloud_config, code_after, customer, enable, mail_for, new_order, start_trial,
};
use crate::fixtures::*;
use crate::harness::*;

mod account_wide;
mod given;
mod group_rights;
mod one_site;
mod operations_log;
mod sessions;
mod sign_in;
mod subscription;

both_backends!(site_users_sign_in_with_the_site_code with cloud_config);

const OTHER_PASSWORD: &str = "another long passphrase";

/// What the chapters hand on.
struct Story {
    keys: Vec<String>,
    sites: Vec<String>,
    /// The superadmin's portal token.
    admin: String,
    /// The group `station admins`, holding every right but the technician's.
    group: Group,
    /// `admin` of site 0 (in the group) and of site 1 (in no group).
    first: SiteUser,
    second: SiteUser,
}

async fn site_users_sign_in_with_the_site_code(app: TestApp) {
    let keys = catalog(&app, 3).await;
    let (admin, sites) = customer(&app, "ib50", IT_VATS[0], &keys[..2]).await;
    support_service(&app).await;
    let (group, first, second) = given::the_superadmin_gives_site_users(&app, &admin, &sites).await;
    let story = Story {
        keys,
        sites,
        admin,
        group,
        first,
        second,
    };
    let signed_in = sign_in::with_username_password_and_site_code(&app, &story).await;
    one_site::one_site_with_the_groups_rights(&app, &story, &signed_in).await;
    operations_log::the_log_shows_the_own_site(&app, &story, &signed_in).await;
    account_wide::account_wide_routes_refuse_site_users(&app, &story, &signed_in).await;
    group_rights::rights_follow_the_group(&app, &story, &signed_in).await;
    sessions::removal_and_logout_end_sessions(&app, &story, &signed_in).await;
    subscription::the_subscription_decides(&app, &signed_in).await;
    app.stop().await;
}

/// What signing in gave: the trial that enabled the sites, their site codes as mailed, and
/// the site users' tokens (`at0` of site 0's admin, `at1` of site 1's).
struct SignedIn {
    trial_id: i64,
    code0: String,
    at0: String,
    at1: String,
}

fn login_request(username: &str, password: &str, site_code: &str) -> SiteLoginRequest {
    SiteLoginRequest {
        username: username.into(),
        password: password.into(),
        site_code: site_code.into(),
    }
}

/// A site user's sign-in, as sent (the story also sends the refused ones).
async fn site_login(
    app: &TestApp,
    username: &str,
    password: &str,
    site_code: &str,
) -> ApiResult<LoginResponse> {
    app.api_as(None)
        .site_login(&login_request(username, password, site_code))
        .await
}

async fn site_token(app: &TestApp, username: &str, password: &str, site_code: &str) -> String {
    site_login(app, username, password, site_code)
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
) -> ApiResult<SiteUser> {
    let body = NewSiteUser {
        username: username.into(),
        password: password.into(),
        groups: groups.to_vec(),
    };
    app.api_as(Some(token)).create_site_user(site, &body).await
}

/// Switches the service `support` on at `site`.
async fn switch_on(app: &TestApp, token: &str, site: &str) -> ApiResult<SiteServices> {
    app.api_as(Some(token))
        .switch_service_on(site, "support")
        .await
}
