//! Releases and the minimum version (X6): operators publish a product's releases (each
//! field checked, a version published once), licences and validations name the newest
//! stable release for the site's edition and the product's minimum version, and an account
//! lists what its licences may download.

use tessera_api::{NewEntry, NewRelease};

use super::*;

both_backends!(releases_reach_licences_validations_and_downloads);
both_backends!(a_withdrawn_release_leaves_licences_validations_and_downloads with loopback);

fn loopback(config: &mut tessera_server::Config) {
    config.webhooks.allow_http_loopback = true;
}

fn release(version: &str, channel: Option<&str>, editions: &[&str]) -> NewRelease {
    NewRelease {
        version: version.into(),
        channel: channel.map(str::to_owned),
        notes: format!("What {version} brings."),
        url: format!("https://downloads.vendor.example/crm/crm-{version}.exe"),
        sha256: Some("AB".repeat(32)),
        editions: editions.iter().map(|e| e.to_string()).collect(),
    }
}

async fn releases_reach_licences_validations_and_downloads(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let api = app.api();
    let edition = NewEntry {
        code: "pro".into(),
        name: "Professional".into(),
    };
    api.add_edition("crm", &edition).await.unwrap();
    // Nothing published: licences say nothing of versions.
    let resp = activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let keys_published = published(&app).await;
    let lic = open_license(&resp.license, &keys_published);
    assert_eq!((lic.latest_version, lic.minimum_version), (None, None));

    // Published out of order, a beta and one for another edition.
    for r in [
        release("1.2.9", None, &[]),
        release("v1.10.0", Some("stable"), &["pro"]),
        release("1.2.11", None, &[]),
        release("1.3.0-beta.1", Some("Beta"), &[]),
    ] {
        api.publish_release("crm", &r).await.unwrap();
    }
    let list = api.releases("crm").await.unwrap();
    assert_eq!(list.latest_version.as_deref(), Some("1.10.0"));
    let versions: Vec<(&str, &str)> = list
        .releases
        .iter()
        .map(|r| (r.version.as_str(), r.channel.as_str()))
        .collect();
    assert_eq!(
        versions,
        [
            ("1.10.0", "stable"),
            ("1.3.0-beta.1", "beta"),
            ("1.2.11", "stable"),
            ("1.2.9", "stable")
        ],
        "semantic order, newest first"
    );
    assert_eq!(
        list.releases[2].sha256.as_deref(),
        Some("ab".repeat(32).as_str())
    );

    // Each field is checked; a version is published once.
    let refusals = [
        (
            release("1.2", None, &[]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "VERSION_INVALID",
        ),
        (
            NewRelease {
                url: "http://downloads.vendor.example/crm.exe".into(),
                ..release("1.2.12", None, &[])
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "DOWNLOAD_URL_INVALID",
        ),
        (
            NewRelease {
                sha256: Some("abc".into()),
                ..release("1.2.12", None, &[])
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "CHECKSUM_INVALID",
        ),
        (
            release("1.2.12", None, &["gold"]),
            StatusCode::NOT_FOUND,
            "EDITION_NOT_FOUND",
        ),
        (
            release("1.2.11", None, &[]),
            StatusCode::CONFLICT,
            "RELEASE_EXISTS",
        ),
    ];
    for (r, status, code) in refusals {
        refused(api.publish_release("crm", &r).await, status, code);
    }
    refused(
        api.publish_release("nosuch", &release("1.0.0", None, &[]))
            .await,
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
    );
    refused(
        app.api_as(None).releases("crm").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );

    // The minimum version: checked, then in every validation, with the newest stable
    // release for the site's edition (std: 1.2.11; 1.10.0 is pro's, 1.3.0 a beta).
    refused(
        api.set_minimum_version("crm", Some("one")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VERSION_INVALID",
    );
    let set = api
        .set_minimum_version("crm", Some("1.2.11"))
        .await
        .unwrap();
    assert_eq!(set.minimum_version.as_deref(), Some("1.2.11"));
    let (v, _) = checked(&app, &keys_published, &site_id, &fp('a'), &nonce()).await;
    let grant = v.grant.expect("valid");
    assert_eq!(
        (
            grant.latest_version.as_deref(),
            grant.minimum_version.as_deref()
        ),
        (Some("1.2.11"), Some("1.2.11"))
    );
    // Moved to pro, the site's latest is pro's release.
    let pro = tessera_api::ChangeEdition {
        edition: "pro".into(),
    };
    api.change_edition(&keys[0], &pro).await.unwrap();
    let (v, _) = checked(&app, &keys_published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.grant.unwrap().latest_version.as_deref(), Some("1.10.0"));
    // The minimum for the cloud is a setting of its own: in the grant beside the program's,
    // and kept when the program's is cleared.
    refused(
        api.set_cloud_minimum_version("crm", Some("1.2")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VERSION_INVALID",
    );
    refused(
        api.set_cloud_minimum_version("nosuch", Some("1.2.0")).await,
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
    );
    let set = api
        .set_cloud_minimum_version("crm", Some("1.3.0"))
        .await
        .unwrap();
    assert_eq!(
        (
            set.minimum_version.as_deref(),
            set.cloud_minimum_version.as_deref()
        ),
        (Some("1.2.11"), Some("1.3.0"))
    );
    api.set_minimum_version("crm", None).await.unwrap();
    let (v, _) = checked(&app, &keys_published, &site_id, &fp('a'), &nonce()).await;
    let grant = v.grant.unwrap();
    assert_eq!(
        (
            grant.minimum_version,
            grant.cloud_minimum_version.as_deref()
        ),
        (None, Some("1.3.0"))
    );

    // The account's downloads: what its editions may have, newest first.
    let token = account_login(&app, "jack").await;
    let downloads = app.api_as(Some(&token)).downloads().await.unwrap();
    assert_eq!(downloads.products.len(), 1);
    let crm = &downloads.products[0];
    let listed: Vec<&str> = crm.releases.iter().map(|r| r.version.as_str()).collect();
    assert_eq!(listed, ["1.10.0", "1.3.0-beta.1", "1.2.11", "1.2.9"]);
    assert_eq!(
        crm.latest_version.as_deref(),
        Some("1.10.0"),
        "the beta is not the latest"
    );
    assert_eq!(
        crm.releases[0].url,
        "https://downloads.vendor.example/crm/crm-v1.10.0.exe"
    );
    assert_eq!(
        (
            crm.minimum_version.as_deref(),
            crm.cloud_minimum_version.as_deref()
        ),
        (None, Some("1.3.0"))
    );
    // Cleared, licences and validations no longer name it.
    api.set_cloud_minimum_version("crm", None).await.unwrap();
    let (v, _) = checked(&app, &keys_published, &site_id, &fp('a'), &nonce()).await;
    assert_eq!(v.grant.unwrap().cloud_minimum_version, None);
    refused(
        app.api_as(None).downloads().await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    app.stop().await;
}

async fn a_withdrawn_release_leaves_licences_validations_and_downloads(app: TestApp) {
    let (keys, site_id) = jack(&app, 1, 0).await;
    let api = app.api();
    activated(
        activate(&app, EMAIL, &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    let keys_published = published(&app).await;
    // A webhook endpoint for withdrawals, on a port nothing listens on: its deliveries
    // stay, one per event.
    let hook = tessera_api::NewWebhook {
        url: "http://127.0.0.1:1/hooks".into(),
        events: vec!["release.withdrawn".into()],
    };
    let endpoint = api.create_webhook(&hook).await.unwrap();
    for v in ["1.2.9", "1.2.11"] {
        api.publish_release("crm", &release(v, None, &[]))
            .await
            .unwrap();
    }
    let latest = async || {
        let (v, _) = checked(&app, &keys_published, &site_id, &fp('a'), &nonce()).await;
        v.grant.expect("valid").latest_version
    };
    assert_eq!(latest().await.as_deref(), Some("1.2.11"));

    // 1.2.11 is broken: withdrawn, with why.
    let withdrawn = api
        .withdraw_release("crm", "v1.2.11", "the installer fails on Windows 7")
        .await
        .unwrap();
    assert_eq!(withdrawn.version, "1.2.11");
    assert_eq!(
        withdrawn.withdrawn_reason.as_deref(),
        Some("the installer fails on Windows 7")
    );
    let at = withdrawn.withdrawn_at.clone().expect("withdrawn");
    // The next validation names the release before it; the operators' list keeps it.
    assert_eq!(latest().await.as_deref(), Some("1.2.9"));
    let list = api.releases("crm").await.unwrap();
    assert_eq!(list.latest_version.as_deref(), Some("1.2.9"));
    let marks: Vec<(&str, bool)> = list
        .releases
        .iter()
        .map(|r| (r.version.as_str(), r.withdrawn_at.is_some()))
        .collect();
    assert_eq!(marks, [("1.2.11", true), ("1.2.9", false)]);
    // The account can no longer download it.
    let token = account_login(&app, "jack").await;
    let downloads = app.api_as(Some(&token)).downloads().await.unwrap();
    let listed: Vec<&str> = downloads.products[0]
        .releases
        .iter()
        .map(|r| r.version.as_str())
        .collect();
    assert_eq!(listed, ["1.2.9"]);
    assert_eq!(
        downloads.products[0].latest_version.as_deref(),
        Some("1.2.9")
    );

    // Again (a retry): the first withdrawal stands, its time and reason unchanged.
    let again = api
        .withdraw_release("crm", "1.2.11", "another reason")
        .await
        .unwrap();
    assert_eq!(
        (
            again.withdrawn_at.as_deref(),
            again.withdrawn_reason.as_deref()
        ),
        (Some(at.as_str()), Some("the installer fails on Windows 7"))
    );
    // One withdrawal on record: a single event, so a single delivery.
    app.clock.advance(SignedDuration::from_secs(5));
    app.run_jobs().await;
    let deliveries = api.webhook_deliveries(endpoint.id).await.unwrap();
    let events: Vec<&str> = deliveries
        .deliveries
        .iter()
        .map(|d| d.event.as_str())
        .collect();
    assert_eq!(
        events,
        ["release.withdrawn"],
        "the retry is no second event"
    );
    // Its version stays taken, whatever build is written: a fixed build is a new version.
    for again in ["1.2.11", "1.2.11+fix"] {
        refused(
            api.publish_release("crm", &release(again, None, &[])).await,
            StatusCode::CONFLICT,
            "RELEASE_EXISTS",
        );
    }
    // A release is named by its version, its build left out or not.
    api.publish_release("crm", &release("1.3.0+build.7", None, &[]))
        .await
        .unwrap();
    assert_eq!(latest().await.as_deref(), Some("1.3.0+build.7"));
    let pulled = api.withdraw_release("crm", "1.3.0", "").await.unwrap();
    assert_eq!(
        (pulled.version.as_str(), pulled.withdrawn_at.is_some()),
        ("1.3.0+build.7", true)
    );

    // Refusals: a version that is not one, one never published, another product, a reason
    // too long, an account's token (not an operator's).
    refused(
        api.withdraw_release("crm", "1.2", "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VERSION_INVALID",
    );
    refused(
        api.withdraw_release("crm", "9.9.9", "").await,
        StatusCode::NOT_FOUND,
        "RELEASE_NOT_FOUND",
    );
    refused(
        api.withdraw_release("nosuch", "1.2.9", "").await,
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
    );
    refused(
        api.withdraw_release("crm", "1.2.9", &"x".repeat(1_001))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "FIELD_TOO_LONG",
    );
    refused(
        app.api_as(Some(&token))
            .withdraw_release("crm", "1.2.9", "")
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    );
    assert_eq!(
        latest().await.as_deref(),
        Some("1.2.9"),
        "nothing refused changed it"
    );

    // With every release withdrawn, licences name none.
    api.withdraw_release("crm", "1.2.9", "").await.unwrap();
    assert_eq!(latest().await, None);

    // A withdrawal by mistake is taken back: the release is offered again, once.
    let back = api.restore_release("crm", "1.2.11").await.unwrap();
    assert_eq!(
        (back.withdrawn_at.clone(), back.withdrawn_reason.clone()),
        (None, None)
    );
    assert_eq!(latest().await.as_deref(), Some("1.2.11"));
    let again = api.restore_release("crm", "1.2.11").await.unwrap();
    assert_eq!(again.withdrawn_at, None, "offered already: unchanged");
    let downloads = app.api_as(Some(&token)).downloads().await.unwrap();
    let listed: Vec<&str> = downloads.products[0]
        .releases
        .iter()
        .map(|r| r.version.as_str())
        .collect();
    assert_eq!(listed, ["1.2.11"]);
    refused(
        api.restore_release("crm", "9.9.9").await,
        StatusCode::NOT_FOUND,
        "RELEASE_NOT_FOUND",
    );
    app.clock.advance(SignedDuration::from_secs(5));
    app.run_jobs().await;
    let events: Vec<String> = api
        .webhook_deliveries(endpoint.id)
        .await
        .unwrap()
        .deliveries
        .into_iter()
        .map(|d| d.event)
        .collect();
    assert_eq!(
        events.iter().filter(|e| *e == "release.withdrawn").count(),
        3,
        "1.2.11, 1.3.0 and 1.2.9, each once: {events:?}"
    );
    app.stop().await;
}
