//! Cloud data sync over HTTP (G1–G6, E7; docs/sync.md), on both backends: seed 000's steps
//! (first connection, the exclusive first sync, conflicts settled and pulled by every site,
//! a reinstalled site restoring), replayed and concurrent pushes, a site catching up after
//! 1 000 changes, the data check, and who sees which conflicts.
//!
//! The world: product `ssm2` declaring the fuel collections (drivers and vehicles with a
//! unique iButton, users with a unique nickname and a web-user flag, transactions per site),
//! account `ib50` with three sites enabled for the cloud in its trial, each with its cloud
//! token; [`Client`] plays a site's program keeping its local data.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera_api::{ActivationRequest, PushAnswer, PushChange, PushRequest, SiteData};
use tessera_core::Clock;

use crate::cloud::{code_after, enable, exchange, mail_for, start_trial};
use crate::fixtures::*;
use crate::harness::*;

mod catch_up;
mod check;
mod concurrency;
mod in_batch;
mod isolation;
mod replay;
mod status;
mod story;
mod web_users;

pub(crate) use tessera_testkit::sync::fuel_collections;

pub(crate) struct World {
    /// The superadmin's portal token.
    pub token: String,
    pub sites: Vec<String>,
    /// Each site's license token (the data check runs before the cloud codes).
    pub site_tokens: Vec<String>,
    /// Each site's cloud token.
    pub cloud: Vec<String>,
}

/// Account `username` with `n` (≤ 3) sites of product `ssm2` (made by the caller with
/// `crate::cloud::catalog`), in its trial, enabled and connected to the cloud.
pub(crate) async fn account(app: &TestApp, username: &str, vat: &str, keys: &[String]) -> World {
    let email = format!("office@{username}.example");
    register(app, username, &email, vat, &keys[0]).await;
    let token = account_login(app, username).await;
    for key in &keys[1..] {
        add_key(app, &token, key).await;
    }
    let (mut sites, mut site_tokens) = (Vec::new(), Vec::new());
    for (i, key) in keys.iter().enumerate() {
        let machine =
            char::from_digit(i as u32 + 1 + 4 * u32::from(username != "ib50"), 16).unwrap();
        let done = app
            .api_as(None)
            .activate(&ActivationRequest {
                email: Some(email.clone()),
                vat_number: None,
                product_key: key.clone(),
                fingerprint: fp(machine),
                installation: None,
            })
            .await
            .unwrap();
        let data = SiteData {
            company: "Rossi Trasporti".into(),
            branch: Some(format!("Depot {i}")),
            address: "Via Emilia 4".into(),
            zip: "20121".into(),
            locality: "Milano".into(),
            province: "MI".into(),
            nation: "IT".into(),
            representative_name: "Nicola".into(),
            representative_surname: "Luzzara".into(),
            representative_email: format!("rep{i}@{username}.example"),
        };
        app.api_as(Some(&done.site_token))
            .put_site_data(&data)
            .await
            .unwrap();
        sites.push(done.site_id);
        site_tokens.push(done.site_token);
    }
    start_trial(app, &token).await.unwrap();
    let picked: Vec<&String> = sites.iter().collect();
    enable(app, &token, &picked).await.unwrap();
    let mut cloud = Vec::new();
    for i in 0..sites.len() {
        let text = mail_for(app, &format!("rep{i}@{username}.example")).await;
        let got = exchange(
            app,
            &code_after(&text, "Site code:"),
            &code_after(&text, "Activation code:"),
        )
        .await
        .unwrap();
        cloud.push(got.cloud_token);
    }
    World {
        token,
        sites,
        site_tokens,
        cloud,
    }
}

/// The fuel catalog and account `ib50` with three connected sites.
pub(crate) async fn world(app: &TestApp) -> World {
    let keys = crate::cloud::catalog(app, 3).await;
    for c in fuel_collections() {
        app.api().declare_collection("ssm2", &c).await.unwrap();
    }
    account(app, "ib50", IT_VATS[0], &keys[..3]).await
}

pub(crate) fn upsert(collection: &str, id: &str, base: i64, data: Value) -> PushChange {
    PushChange {
        collection: collection.into(),
        id: id.into(),
        base_version: base,
        data: Some(data),
        deleted: false,
    }
}

pub(crate) fn delete(collection: &str, id: &str, base: i64) -> PushChange {
    PushChange {
        collection: collection.into(),
        id: id.into(),
        base_version: base,
        data: None,
        deleted: true,
    }
}

/// A site's program: its cloud token, its local data as pulled and pushed, its cursor.
pub(crate) struct Client<'a> {
    pub app: &'a TestApp,
    pub token: String,
    /// (collection, id) → (version, data).
    pub local: BTreeMap<(String, String), (i64, Value)>,
    pub cursor: i64,
}

impl<'a> Client<'a> {
    pub fn new(app: &'a TestApp, token: &str) -> Client<'a> {
        Client {
            app,
            token: token.to_owned(),
            local: BTreeMap::new(),
            cursor: 0,
        }
    }

    pub fn api(&self) -> ApiClient {
        self.app.api_as(Some(&self.token))
    }

    pub fn now(&self) -> String {
        self.app.clock.now().to_string()
    }

    /// Pulls every page after its cursor into its local data; how many records came.
    pub async fn pull_all(&mut self, page: u32) -> usize {
        let mut got = 0;
        loop {
            let p = self
                .api()
                .pull_changes(self.cursor, page, &self.now())
                .await
                .unwrap();
            got += p.records.len();
            for r in p.records {
                let key = (r.collection, r.id);
                match r.data {
                    Some(data) if !r.deleted => {
                        self.local.insert(key, (r.version, data));
                    }
                    _ => {
                        self.local.remove(&key);
                    }
                }
            }
            assert!(p.next_cursor >= self.cursor);
            self.cursor = p.next_cursor;
            if !p.more {
                return got;
            }
        }
    }

    /// Pushes `changes` as batch `batch_id`; applied upserts enter its local data.
    pub async fn push(
        &mut self,
        batch_id: &str,
        changes: Vec<PushChange>,
    ) -> ApiResult<PushAnswer> {
        let req = PushRequest {
            batch_id: batch_id.into(),
            client_time: self.now(),
            changes: changes.clone(),
        };
        let answer = self.api().push_changes(&req).await?;
        for (change, outcome) in changes.iter().zip(&answer.outcomes) {
            if outcome.outcome == "applied" {
                let key = (change.collection.clone(), change.id.clone());
                match &change.data {
                    Some(data) => {
                        self.local
                            .insert(key, (outcome.version.unwrap(), data.clone()));
                    }
                    None => {
                        self.local.remove(&key);
                    }
                }
            }
        }
        Ok(answer)
    }

    /// A hash of its master data (the account-scoped collections), versions included.
    pub fn master_hash(&self) -> u64 {
        let mut h = DefaultHasher::new();
        for ((collection, id), (version, data)) in &self.local {
            if collection != "transactions" {
                (collection, id, version, data.to_string()).hash(&mut h);
            }
        }
        h.finish()
    }
}

/// The outcomes' names, in order.
pub(crate) fn outcomes(answer: &PushAnswer) -> Vec<&str> {
    answer.outcomes.iter().map(|o| o.outcome.as_str()).collect()
}

/// Asserts a refusal's status and code, and gives its message.
pub(crate) fn refused_with<T: std::fmt::Debug>(
    got: ApiResult<T>,
    status: StatusCode,
    code: &str,
) -> String {
    refused(got, status, code).message
}

/// Runs an empty first sync for `client`, so it pushes as usual afterwards.
pub(crate) async fn first_synced(client: &Client<'_>) {
    client.api().start_first_sync(&client.now()).await.unwrap();
    client.api().finish_first_sync(&client.now()).await.unwrap();
}

/// A second instance on `app`'s database when there is one to share (PostgreSQL), started
/// beside the first so that their job periods agree; set its clock to the first's once the
/// world is set up.
pub(crate) async fn second_instance(app: &TestApp) -> Option<TestApp> {
    match app.store.kind() {
        tessera_store::BackendKind::Postgres => Some(start(app.place(), |_| {}).await),
        tessera_store::BackendKind::Sqlite => None,
    }
}
