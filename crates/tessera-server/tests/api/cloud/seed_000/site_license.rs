//! The site's own license comes first: a key upgraded out of the plan is a license mismatch,
//! a site suspended by the vendor is out of the cloud until resumed.

use tessera_api::ChangeEdition;

use super::*;

pub(super) async fn the_sites_own_license_comes_first(app: &TestApp, story: &Story) {
    let (sites, cloud_tokens) = (&story.sites, &story.cloud_tokens);
    // The key of site 3 is upgraded to pro: "cloud disabled: license mismatch".
    let pro = ChangeEdition {
        edition: "pro".into(),
    };
    app.api()
        .change_edition(&story.keys[2], &pro)
        .await
        .unwrap();
    assert_eq!(
        cloud_of(&overview(app, &story.token).await, &sites[2]),
        "license_mismatch"
    );
    refused(
        cloud_status(app, &cloud_tokens[2]).await,
        StatusCode::FORBIDDEN,
        "CLOUD_LICENSE_MISMATCH",
    );
    // The site's own license comes first: suspended by the vendor, it is out of the cloud
    // until resumed.
    app.api().suspend_site(&sites[1]).await.unwrap();
    refused(
        cloud_status(app, &cloud_tokens[1]).await,
        StatusCode::FORBIDDEN,
        "LICENSE_SUSPENDED",
    );
    app.api().resume_site(&sites[1]).await.unwrap();
    cloud_status(app, &cloud_tokens[1]).await.unwrap();
}
