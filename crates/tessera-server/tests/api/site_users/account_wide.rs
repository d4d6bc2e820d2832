//! The account-wide routes do not take a site user's token, whatever its rights.

use tessera_api::{AddKey, GroupMembers, NewGroup};

use super::*;

pub(super) async fn account_wide_routes_refuse_site_users(
    app: &TestApp,
    story: &Story,
    signed_in: &SignedIn,
) {
    let s0 = story.sites[0].as_str();
    let api = app.api_as(Some(&signed_in.at0));
    let mallory = NewSiteUser {
        username: "mallory".into(),
        password: PASSWORD.into(),
        groups: vec![],
    };
    let group = NewGroup {
        name: "g".into(),
        rights: vec![],
    };
    let no_members = GroupMembers {
        user_ids: vec![],
        site_user_ids: None,
    };
    let key = AddKey {
        product_key: story.keys[2].clone(),
        reseller: reseller(),
    };
    // Every answer as `()`: only the refusal matters here.
    let account_wide = [
        ("account", api.own_account().await.map(drop)),
        ("cloud", api.cloud().await.map(drop)),
        ("invoice lines", api.own_invoice_lines("").await.map(drop)),
        ("invoices", api.own_invoices().await.map(drop)),
        ("site users", api.site_users(s0).await.map(drop)),
        (
            "new site user",
            api.create_site_user(s0, &mallory).await.map(drop),
        ),
        (
            "site user deleted",
            api.delete_site_user(s0, story.first.id).await,
        ),
        ("new group", api.create_group(&group).await.map(drop)),
        (
            "group members",
            api.set_group_members(story.group.id, &no_members).await,
        ),
        ("key added", api.add_key(&key).await.map(drop)),
        (
            "site deactivated",
            api.deactivate_own_site(s0).await.map(drop),
        ),
        ("order", api.create_order(&new_order(1)).await.map(drop)),
        ("site disabled", api.disable_site(s0).await),
    ];
    for (what, answer) in account_wide {
        match answer {
            Err(e)
                if e.status() == Some(StatusCode::UNAUTHORIZED)
                    && e.code() == Some("UNAUTHENTICATED") => {}
            other => panic!("{what}: expected 401 UNAUTHENTICATED, got {other:?}"),
        }
    }
}
