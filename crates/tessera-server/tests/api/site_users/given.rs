//! Site users are given to a site by the superadmin, named per site, in the account's groups.

use super::*;

/// Creates `admin` on sites 0 (in a new group `station admins`) and 1; returns the group and
/// the two users.
pub(super) async fn the_superadmin_gives_site_users(
    app: &TestApp,
    admin: &str,
    sites: &[String],
) -> (Group, SiteUser, SiteUser) {
    let (s0, s1) = (sites[0].as_str(), sites[1].as_str());
    // Site users are given to a site by the superadmin, named per site.
    // Every right but the technician's: the account-wide ones must not open anything
    // account-wide to a site user.
    let rights = [
        "actions.costly.approve",
        "sites.operations.view",
        "operations.view",
        "invoices.view",
        "sites.manage",
        "users.manage",
    ];
    let station_admins = NewGroup {
        name: "station admins".into(),
        rights: rights.map(str::to_owned).to_vec(),
    };
    let group: Group = app
        .api_as(Some(admin))
        .create_group(&station_admins)
        .await
        .unwrap();
    let first = new_site_user(app, admin, s0, "Admin", PASSWORD, &[group.id, group.id])
        .await
        .unwrap();
    assert_eq!(
        (first.username.as_str(), first.groups.as_slice()),
        ("admin", [group.id].as_slice())
    );
    let second = new_site_user(app, admin, s1, "admin", OTHER_PASSWORD, &[])
        .await
        .unwrap();
    refused(
        new_site_user(app, admin, s0, "admin", PASSWORD, &[]).await,
        StatusCode::CONFLICT,
        "USERNAME_TAKEN",
    );
    refused(
        new_site_user(app, admin, "S-NOT-MINE", "admin", PASSWORD, &[]).await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    );
    refused(
        new_site_user(app, admin, s0, "x", PASSWORD, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "USERNAME_INVALID",
    );
    refused(
        new_site_user(app, admin, s0, "tom", PASSWORD, &[group.id + 1000]).await,
        StatusCode::NOT_FOUND,
        "GROUP_NOT_FOUND",
    );
    let listed = app.api_as(Some(admin)).site_users(s0).await.unwrap();
    assert_eq!(listed.users, std::slice::from_ref(&first));
    (group, first, second)
}
