//! Rights follow the group: the other site's admin gets them when put in it, and setting only
//! the account's users leaves the site users in the group.

use tessera_api::GroupMembers;

use super::*;

pub(super) async fn rights_follow_the_group(app: &TestApp, story: &Story, signed_in: &SignedIn) {
    let s1 = story.sites[1].as_str();
    // Rights follow the group: the other site's admin gets them when put in it.
    let e = refused(
        switch_on(app, &signed_in.at1, s1).await,
        StatusCode::FORBIDDEN,
        "RIGHT_REQUIRED",
    );
    // Switching needs the operations tab's right first (and approving costs too).
    assert_eq!(e.field.as_deref(), Some("sites.operations.view"));
    let put_members = async |site_user_ids: Option<Vec<i64>>| {
        let members = GroupMembers {
            user_ids: vec![],
            site_user_ids,
        };
        app.api_as(Some(&story.admin))
            .set_group_members(story.group.id, &members)
            .await
            .unwrap();
    };
    put_members(Some(vec![story.first.id, story.second.id])).await;
    refused(
        switch_on(app, &signed_in.at1, s1).await,
        StatusCode::CONFLICT,
        "SERVICE_ALREADY_ON",
    );
    // Setting only the account's users leaves the site users in the group.
    put_members(None).await;
    refused(
        switch_on(app, &signed_in.at1, s1).await,
        StatusCode::CONFLICT,
        "SERVICE_ALREADY_ON",
    );
}
