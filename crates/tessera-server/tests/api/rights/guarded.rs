//! Every portal route that needs a right, as a table the rights story calls with users of
//! different rights.

use tessera_api::{AddKey, GroupName, GroupRights, NewSiteUser, SiteTechnicalData};

use super::{members, new_group, new_user};
use crate::fixtures::*;
use crate::harness::*;

/// Every portal route that needs a right, called by `user` with a well-formed request: the
/// route, the right it needs and the answer (only the refusal matters, so any answer's body
/// is dropped).
pub(super) async fn guarded_routes(
    user: &ApiClient,
    site: &str,
    key: &str,
    group: i64,
) -> Vec<(&'static str, &'static str, ApiResult<()>)> {
    let mut all = site_routes(user, site).await;
    all.extend(account_routes(user, site, key, group).await);
    all
}

/// The guarded routes of one site's sheet: its services, technical data and log.
async fn site_routes(
    user: &ApiClient,
    site: &str,
) -> Vec<(&'static str, &'static str, ApiResult<()>)> {
    let no_equipment = SiteTechnicalData {
        technician: None,
        evse_ids: vec![],
    };
    let export = "/api/v1/account/operations/export";
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
    ]
}

/// The guarded routes of the account: invoices, keys and sites, users and groups.
async fn account_routes(
    user: &ApiClient,
    site: &str,
    key: &str,
    group: i64,
) -> Vec<(&'static str, &'static str, ApiResult<()>)> {
    let add_key = AddKey {
        product_key: key.into(),
        reseller: reseller(),
    };
    let site_user = NewSiteUser {
        username: "admin".into(),
        password: PASSWORD.into(),
        groups: vec![],
    };
    let no_rights = GroupRights { rights: vec![] };
    vec![
        (
            "invoice lines",
            "invoices.view",
            user.own_invoice_lines("").await.map(drop),
        ),
        (
            "sync conflicts",
            "sync.conflicts.resolve",
            user.sync_conflicts(false).await.map(drop),
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
        ("users", "users.manage", user.users().await.map(drop)),
        (
            "rename a group",
            "users.manage",
            user.rename_group(group, &GroupName { name: "g".into() })
                .await,
        ),
        (
            "all site users",
            "users.manage",
            user.account_site_users().await.map(drop),
        ),
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
            "disable a user",
            "users.manage",
            user.disable_user(1).await.map(drop),
        ),
        (
            "enable a user",
            "users.manage",
            user.enable_user(1).await.map(drop),
        ),
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
