//! Cloud data sync from the client's side (docs/sync.md, "The client"), against a real
//! server over loopback: the fuel product of seed 000 declares its collections, account
//! `ib50` has sites whose programs activate with this library, the account starts its cloud
//! trial and enables them, and each site exchanges the codes mailed to its representative.
//! [`Host`] plays the program's local data.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tessera_api::{AddKey, EnableSites, SiteData};
use tessera_client::sync::PulledRecord;
use tessera_client::{
    AccountRef, Change, Client, ClientConfig, PreCheck, Pushed, SyncHost, TrustStore,
};
use tessera_testkit::cloud::{catalog, fuel_collections, mailed_codes, trial};
use tessera_testkit::fixtures::{IT_VATS, reseller};
use tessera_testkit::scenarios::{account_login, register};

use crate::support::*;

mod check;
mod exactly_once;
mod first_sync;
mod status;
mod take_back;
mod version;

pub const OFFICE: &str = "office@ib50.example";

/// A site's program: its machine, its client, the representative who gets its codes.
pub struct Site {
    pub machine: Machine,
    pub client: Client,
    pub site_id: String,
    pub rep: String,
}

pub struct CloudWorld {
    pub server: TestServer,
    pub trust: TrustStore,
    pub keys: Vec<String>,
    pub sites: Vec<Site>,
}

fn site_data(rep: &str, i: usize) -> SiteData {
    SiteData {
        company: "Rossi Trasporti".into(),
        branch: Some(format!("Depot {i}")),
        address: "Via Emilia 4".into(),
        zip: "20121".into(),
        locality: "Milano".into(),
        province: "MI".into(),
        nation: "IT".into(),
        representative_name: "Nicola".into(),
        representative_surname: "Luzzara".into(),
        representative_email: rep.into(),
    }
}

impl CloudWorld {
    /// The fuel product, account `ib50` with `n` sites activated by this library, in the
    /// cloud trial and enabled (not yet connected: each site exchanges its codes itself).
    pub fn start(backend: Backend, n: usize) -> Option<CloudWorld> {
        let place = DataPlace::new(backend)?;
        let server = TestServer::start(&place);
        let keys = server.block_on(catalog(&server, n as u32));
        for c in fuel_collections() {
            server
                .block_on(server.api().declare_collection("ssm2", &c))
                .unwrap();
        }
        server.block_on(register(&server, "ib50", OFFICE, IT_VATS[0], &keys[0]));
        let portal = server.block_on(account_login(&server, "ib50"));
        for key in &keys[1..] {
            let add = AddKey {
                product_key: key.clone(),
                reseller: reseller(),
            };
            server
                .block_on(server.api_as(Some(&portal)).add_key(&add))
                .unwrap();
        }
        let trust = server.operator().trust();
        let mut sites = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let machine = Machine::new(&format!("fuel-site-{i}"));
            let client = machine.client(&[&server.base], &trust);
            let done = client
                .activate(AccountRef::Email(OFFICE.into()), key)
                .expect("the site activates");
            let rep = format!("rep{i}@ib50.example");
            client.send_site_data(&site_data(&rep, i)).unwrap();
            sites.push(Site {
                machine,
                client,
                site_id: done.site_id,
                rep,
            });
        }
        server.block_on(trial(&server, &portal));
        let enable = EnableSites {
            sites: sites.iter().map(|s| s.site_id.clone()).collect(),
        };
        server
            .block_on(server.api_as(Some(&portal)).enable_sites(&enable))
            .unwrap();
        Some(CloudWorld {
            server,
            trust,
            keys,
            sites,
        })
    }

    /// The codes mailed for site `i`: `(activation_code, site_code)`.
    pub fn codes(&self, i: usize) -> (String, String) {
        self.server
            .block_on(mailed_codes(&self.server, &self.sites[i].rep))
    }

    /// Site `i` exchanges its codes without a data check.
    pub fn connect(&self, i: usize) {
        let (activation, site) = self.codes(i);
        self.sites[i]
            .client
            .activate_cloud(&activation, &site, PreCheck::Skip)
            .expect("the codes are exchanged");
    }

    /// A new client of site `i` on its state file, its configuration changed by `change`.
    pub fn reopen_with(&mut self, i: usize, change: impl FnOnce(&mut ClientConfig)) {
        let s = &mut self.sites[i];
        let mut cfg = s.machine.config(&[&self.server.base], &self.trust);
        change(&mut cfg);
        s.client = Client::open(cfg).unwrap();
    }

    /// A new client of site `i` on its state file (a restart of the program).
    pub fn reopen(&mut self, i: usize) {
        // A client opens its outbox on first use, so the new one does not meet the old's
        // lock: the old one is dropped (letting go) as it is replaced.
        let s = &mut self.sites[i];
        s.client = s.machine.client(&[&self.server.base], &self.trust);
    }

    /// The cloud's newest version for the account (one per accepted change).
    pub fn latest_version(&self, i: usize) -> i64 {
        self.sites[i]
            .client
            .sync_status()
            .unwrap()
            .latest_version
            .expect("the status answers")
    }
}

/// A program's local data: each record's latest version and data, by (collection, id);
/// and what its pushes became.
#[derive(Debug, Default)]
pub struct Host {
    pub records: BTreeMap<(String, String), (i64, Value)>,
    pub pushed: Vec<Pushed>,
    /// Pages applied.
    pub pages: usize,
}

impl SyncHost for Host {
    fn apply(&mut self, records: &[PulledRecord]) -> Result<(), String> {
        self.pages += 1;
        for r in records {
            let key = (r.collection.clone(), r.id.clone());
            match &r.data {
                Some(d) if !r.deleted => {
                    self.records.insert(key, (r.version, d.clone()));
                }
                _ => {
                    self.records.remove(&key);
                }
            }
        }
        Ok(())
    }

    fn pushed(&mut self, results: &[Pushed]) -> Result<(), String> {
        self.pushed.extend_from_slice(results);
        Ok(())
    }
}

impl Host {
    /// The data alone, by (collection, id), for comparing two sites.
    pub fn data(&self, account_only: bool) -> BTreeMap<(String, String), Value> {
        self.records
            .iter()
            .filter(|((c, _), _)| !account_only || c != "transactions")
            .map(|(k, (_, d))| (k.clone(), d.clone()))
            .collect()
    }
}

/// `n` records of the fuel product with distinct identifiers, tagged `tag`: drivers,
/// vehicles, users and the site's transactions in turn.
pub fn fuel_records(tag: &str, n: usize) -> Vec<Change> {
    (0..n)
        .map(|i| match i % 4 {
            0 => Change::upsert(
                "drivers",
                format!("{tag}-d{i}"),
                0,
                json!({"ibutton": format!("{tag}-IB-D{i}"), "name": format!("Driver {i}")}),
            ),
            1 => Change::upsert(
                "vehicles",
                format!("{tag}-v{i}"),
                0,
                json!({"ibutton": format!("{tag}-IB-V{i}"), "plate": format!("AB{i:03}CD")}),
            ),
            2 => Change::upsert(
                "users",
                format!("{tag}-u{i}"),
                0,
                json!({"nickname": format!("{tag}-user{i}"), "web_user": i % 8 == 2}),
            ),
            _ => Change::upsert(
                "transactions",
                format!("{tag}-t{i}"),
                0,
                json!({"litres": i as f64 / 4.0, "pump": 1 + i % 3}),
            ),
        })
        .collect()
}

/// What the host's local data looks like after recording `changes` (before any sync).
pub fn as_local(changes: &[Change]) -> Vec<tessera_client::LocalRecord> {
    changes
        .iter()
        .map(|c| tessera_client::LocalRecord {
            collection: c.collection.clone(),
            id: c.id.clone(),
            data: c.data.clone().unwrap_or(Value::Null),
        })
        .collect()
}
