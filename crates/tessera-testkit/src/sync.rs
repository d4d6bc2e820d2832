//! Set-ups of the cloud data sync (docs/sync.md) the web pages' stories share, through the
//! public API: seed 000's fuel collections declared for `ssm2`, the account `ib50` (from
//! [`crate::cloud::customer`]) with two sites in its trial, enabled and connected, and a
//! first-sync conflict between them.

use serde_json::json;
use tessera_api::{CloudActivation, CollectionDecl, EnableSites, PushChange, PushRequest};
use tessera_core::Clock;

use crate::app::TestApp;

/// Seed 000's collections: drivers and vehicles with a unique iButton, users with a unique
/// nickname (the web-user flag), transactions per site.
pub fn fuel_collections() -> Vec<CollectionDecl> {
    let decl = |name: &str, scope: &str, unique: &[&str], required: &[&str], web: Option<&str>| {
        CollectionDecl {
            name: name.into(),
            scope: scope.into(),
            unique: unique.iter().map(|s| s.to_string()).collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
            web_user_field: web.map(str::to_owned),
            web_user_email_field: web.map(|_| "email".to_owned()),
        }
    };
    vec![
        decl(
            "drivers",
            "account",
            &["ibutton"],
            &["ibutton", "name"],
            None,
        ),
        decl(
            "vehicles",
            "account",
            &["ibutton"],
            &["ibutton", "plate"],
            None,
        ),
        decl(
            "users",
            "account",
            &["nickname"],
            &["nickname"],
            Some("web_user"),
        ),
        decl("transactions", "site", &[], &["litres"], None),
    ]
}

/// The account `ib50`'s portal token, its two connected sites and their cloud tokens.
pub struct Connected {
    pub token: String,
    pub sites: Vec<String>,
    pub cloud: Vec<String>,
}

/// The fuel catalog with its collections, `ib50` in its trial, two sites enabled and each
/// connected with the codes its representative was mailed.
pub async fn connected(app: &TestApp) -> Connected {
    let (token, mut sites) = crate::cloud::customer(app, 3).await;
    sites.truncate(2);
    for c in fuel_collections() {
        app.api().declare_collection("ssm2", &c).await.unwrap();
    }
    crate::cloud::trial(app, &token).await;
    app.api_as(Some(&token))
        .enable_sites(&EnableSites {
            sites: sites.clone(),
        })
        .await
        .unwrap();
    let mut cloud = Vec::new();
    for i in 0..sites.len() {
        let (activation_code, site_code) =
            crate::cloud::mailed_codes(app, &format!("rep{i}@ib50.example")).await;
        let codes = CloudActivation {
            site_code,
            activation_code,
            product_version: None,
        };
        let got = app.api_as(None).cloud_activate(&codes).await.unwrap();
        cloud.push(got.cloud_token);
    }
    Connected {
        token,
        sites,
        cloud,
    }
}

/// A driver record as a site's program pushes it.
pub fn driver(id: &str, ibutton: &str, name: &str) -> PushChange {
    PushChange {
        collection: "drivers".into(),
        id: id.into(),
        base_version: 0,
        data: Some(json!({ "ibutton": ibutton, "name": name })),
        deleted: false,
    }
}

/// A site's whole first sync: the lease, `changes` as one batch, done.
pub async fn first_sync(app: &TestApp, cloud_token: &str, batch: &str, changes: Vec<PushChange>) {
    let api = app.api_as(Some(cloud_token));
    let now = app.clock.now().to_string();
    api.start_first_sync(&now).await.unwrap();
    let req = PushRequest {
        batch_id: batch.into(),
        client_time: now.clone(),
        changes,
    };
    api.push_changes(&req).await.unwrap();
    api.finish_first_sync(&now).await.unwrap();
}

/// [`connected`], then one open conflict: site 0 brings driver Anna with iButton `IB-7`,
/// site 1 (later) a driver "Anna R." of its own with the same iButton.
pub async fn identifier_conflict(app: &TestApp) -> Connected {
    let world = connected(app).await;
    first_sync(
        app,
        &world.cloud[0],
        "a-1",
        vec![driver("d-1", "IB-7", "Anna")],
    )
    .await;
    first_sync(
        app,
        &world.cloud[1],
        "b-1",
        vec![driver("b-9", "IB-7", "Anna R.")],
    )
    .await;
    world
}

/// The invitation code in a web user's invitation mail (H2): its line of four dashed groups
/// of five.
pub fn invitation_code(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| l.len() == 23 && l.split('-').count() == 4)
        .unwrap_or_else(|| panic!("no invitation code in {text}"))
        .to_owned()
}

/// The web-user invitations queued for `to`, rendered (H2).
pub async fn invitations_to(app: &TestApp, to: &str) -> Vec<tessera_store::OutboxRecord> {
    app.mail_to(to)
        .await
        .into_iter()
        .filter(|m| m.kind == "site_user.invitation")
        .collect()
}
