//! What validation reads, kept in memory (D5): every installation of an account with its
//! product terms, loaded together on first use and dropped when anything about the account
//! changes.
//!
//! Correctness rests on an epoch: every change bumps it after its commit, and a load only
//! enters the cache if the epoch did not move while it read the database. So a load that read
//! before a commit can never leave stale data behind the commit's invalidation. On PostgreSQL
//! the change is also announced with NOTIFY (sent at commit); every instance listens and
//! drops the account, and drops everything if its listening connection broke (it may have
//! missed a notice).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use tessera_core::{Fingerprint, KeyStatus, ProductKey, SiteStatus};

/// Above this many cached accounts the cache starts over (bounds memory on huge fleets).
const MAX_ACCOUNTS: usize = 200_000;

/// One installation with everything a license or a validation says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteView {
    pub id: i64,
    pub public_id: String,
    pub account_id: i64,
    pub status: SiteStatus,
    pub label: String,
    pub fingerprint: Option<Fingerprint>,
    pub transfers: u32,
    /// The machine bound holds a licence answered by file (X1): only an operator releases
    /// it.
    pub by_file: bool,
    /// By file: the public key its deactivation request must be signed with (none if its
    /// client named none: then only an operator releases it).
    pub machine_key: Option<String>,
    pub expires_at: Option<Timestamp>,
    /// Site data as the client sent it (JSON), None until then.
    pub data: Option<String>,
    pub activated_at: Option<Timestamp>,
    pub deactivated_at: Option<Timestamp>,
    pub last_validated_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub key: ProductKey,
    pub key_status: KeyStatus,
    pub product: String,
    pub product_name: String,
    pub edition: String,
    pub edition_name: String,
    pub size: String,
    pub limits: BTreeMap<String, u32>,
    pub modules: Vec<String>,
    pub grace_days: u32,
    pub max_transfers: u32,
    /// The product's offline policy (X1).
    pub offline_policy: tessera_core::OfflinePolicy,
    /// The account's company name.
    pub licensee: String,
    /// The newest stable release for the site's edition (X6), if any is published.
    pub latest_version: Option<tessera_core::release::Version>,
    /// The product's minimum supported version (X6): a client below it must be updated.
    pub minimum_version: Option<tessera_core::release::Version>,
    /// The version the program needs at least to connect to the cloud (X6, E5).
    pub cloud_minimum_version: Option<tessera_core::release::Version>,
}

/// All installations of one account, in id order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSites {
    pub account_id: i64,
    pub sites: Vec<SiteView>,
}

impl AccountSites {
    pub fn site(&self, public_id: &str) -> Option<&SiteView> {
        self.sites.iter().find(|s| s.public_id == public_id)
    }
}

#[derive(Default)]
struct Maps {
    by_site: HashMap<String, Arc<AccountSites>>,
    by_account: HashMap<i64, Arc<AccountSites>>,
}

#[derive(Default)]
pub(crate) struct SiteCache {
    epoch: AtomicU64,
    maps: RwLock<Maps>,
}

impl std::fmt::Debug for SiteCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteCache")
            .field("epoch", &self.epoch())
            .finish_non_exhaustive()
    }
}

impl SiteCache {
    pub fn get(&self, public_id: &str) -> Option<Arc<AccountSites>> {
        self.maps
            .read()
            .expect("site cache lock")
            .by_site
            .get(public_id)
            .cloned()
    }

    /// The account's installations, when cached.
    pub fn get_account(&self, account_id: i64) -> Option<Arc<AccountSites>> {
        self.maps
            .read()
            .expect("site cache lock")
            .by_account
            .get(&account_id)
            .cloned()
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Caches `sites` unless something changed since `epoch` was read.
    pub fn offer(&self, epoch: u64, sites: Arc<AccountSites>) {
        let mut maps = self.maps.write().expect("site cache lock");
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if maps.by_account.len() >= MAX_ACCOUNTS {
            *maps = Maps::default();
        }
        for s in &sites.sites {
            maps.by_site.insert(s.public_id.clone(), sites.clone());
        }
        maps.by_account.insert(sites.account_id, sites);
    }

    /// The account changed: bump the epoch (under the lock, so no load in flight can enter
    /// afterwards with older data) and drop it.
    pub fn invalidate(&self, account_id: i64) {
        let mut maps = self.maps.write().expect("site cache lock");
        self.epoch.fetch_add(1, Ordering::AcqRel);
        if let Some(old) = maps.by_account.remove(&account_id) {
            for s in &old.sites {
                maps.by_site.remove(&s.public_id);
            }
        }
    }

    pub fn clear(&self) {
        let mut maps = self.maps.write().expect("site cache lock");
        self.epoch.fetch_add(1, Ordering::AcqRel);
        *maps = Maps::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(account_id: i64, ids: &[&str]) -> Arc<AccountSites> {
        let key = ProductKey::generate(&mut rand::rngs::OsRng);
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        Arc::new(AccountSites {
            account_id,
            sites: ids
                .iter()
                .enumerate()
                .map(|(i, id)| SiteView {
                    id: i as i64,
                    public_id: (*id).to_owned(),
                    account_id,
                    status: SiteStatus::Active,
                    label: String::new(),
                    fingerprint: None,
                    transfers: 0,
                    by_file: false,
                    machine_key: None,
                    expires_at: None,
                    data: None,
                    activated_at: None,
                    deactivated_at: None,
                    last_validated_at: None,
                    created_at: now,
                    key,
                    key_status: KeyStatus::Activated,
                    product: "p".into(),
                    product_name: "P".into(),
                    edition: "e".into(),
                    edition_name: "E".into(),
                    size: "s".into(),
                    limits: BTreeMap::new(),
                    modules: vec![],
                    grace_days: 10,
                    offline_policy: tessera_core::OfflinePolicy::None,
                    max_transfers: 0,
                    licensee: "L".into(),
                    latest_version: None,
                    minimum_version: None,
                    cloud_minimum_version: None,
                })
                .collect(),
        })
    }

    #[test]
    fn a_load_that_read_before_a_change_never_enters() {
        let cache = SiteCache::default();
        let epoch = cache.epoch();
        // The load read the database, then a change committed and invalidated.
        cache.invalidate(1);
        cache.offer(epoch, sites(1, &["a"]));
        assert!(
            cache.get("a").is_none(),
            "stale data entered after the invalidation"
        );
        // A load that starts after the change enters.
        let epoch = cache.epoch();
        cache.offer(epoch, sites(1, &["a", "b"]));
        assert_eq!(cache.get("b").unwrap().sites.len(), 2);
    }

    #[test]
    fn invalidating_an_account_drops_all_its_sites_and_only_them() {
        let cache = SiteCache::default();
        cache.offer(cache.epoch(), sites(1, &["a", "b"]));
        cache.offer(cache.epoch(), sites(2, &["c"]));
        cache.invalidate(1);
        assert!(cache.get("a").is_none() && cache.get("b").is_none());
        assert!(cache.get("c").is_some());
        cache.clear();
        assert!(cache.get("c").is_none());
    }
}
