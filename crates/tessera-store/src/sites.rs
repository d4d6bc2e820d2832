//! Installations (C1, D5): what an installation is as licenses and validation see it, who
//! may act on it, the operators' suspension and expiry, the site data the client sends, and
//! the validations recorded in batches. Binding one to a machine is `activation`.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use tessera_core::license::Installation;
use tessera_core::{Actor, Fingerprint, ProductKey};

use crate::releases::ReleaseRecord;
use crate::site_cache::{AccountSites, SiteView};
use crate::{Result, Store, StoreError, from_micros};

/// Who may act on an installation.
#[derive(Debug, Clone, Copy)]
pub enum SiteScope<'a> {
    /// An operator: any installation.
    Any,
    /// A customer account: its own installations only.
    Account(i64),
    /// The site's client: only while this (SHA-256 of the) site token is the current one.
    Token(&'a str),
    /// The machine bound by file, by a deactivation signed with its key: only while the
    /// installation is bound to this fingerprint and key by the activation by file named
    /// (release only).
    Machine {
        fingerprint: &'a str,
        machine_key: &'a str,
        activation_nonce: &'a str,
    },
}

impl SiteScope<'_> {
    pub(crate) fn allows(&self, account_id: i64, token_hash: Option<&str>) -> bool {
        match self {
            SiteScope::Any => true,
            SiteScope::Account(a) => *a == account_id,
            SiteScope::Token(t) => token_hash == Some(*t),
            // Checked where it applies (a release), against the binding itself.
            SiteScope::Machine { .. } => false,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SiteRow {
    id: i64,
    public_id: String,
    account_id: i64,
    status: String,
    label: String,
    fingerprint: Option<String>,
    transfers: i64,
    by_file: bool,
    machine_key: Option<String>,
    expires_at: Option<i64>,
    data: Option<String>,
    activated_at: Option<i64>,
    deactivated_at: Option<i64>,
    last_validated_at: Option<i64>,
    created_at: i64,
    key: String,
    key_status: String,
    product_id: i64,
    product: String,
    product_name: String,
    grace_days: i64,
    max_transfers: i64,
    offline_policy: String,
    offline_check_days: Option<i64>,
    edition: String,
    edition_name: String,
    size: String,
    limits: String,
    licensee: String,
    minimum_version: Option<String>,
    cloud_minimum_version: Option<String>,
}

pub(crate) const SITE_SELECT: &str = "\
    SELECT s.id, s.public_id, s.account_id, s.status, s.label, s.fingerprint, s.transfers, \
           s.by_file, s.machine_key, \
           s.expires_at, s.data, s.activated_at, s.deactivated_at, s.last_validated_at, \
           s.created_at, k.key, k.status AS key_status, p.id AS product_id, p.code AS product, \
           p.name AS product_name, p.grace_days, p.max_transfers, p.offline_policy, \
           p.offline_check_days, e.code AS edition, \
           e.name AS edition_name, z.code AS size, z.limits, a.company_name AS licensee, \
           p.minimum_version, p.cloud_minimum_version \
    FROM sites s JOIN product_keys k ON k.id = s.key_id \
    JOIN editions e ON e.id = k.edition_id JOIN products p ON p.id = e.product_id \
    JOIN sizes z ON z.id = k.size_id JOIN accounts a ON a.id = s.account_id";

pub(crate) const MODULES_SQL: &str = "\
    SELECT m.product_id, m.code FROM modules m WHERE m.product_id IN ( \
        SELECT e.product_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
        JOIN editions e ON e.id = k.edition_id WHERE s.account_id = $1) \
    ORDER BY m.code";

/// Which releases matter to an account's sites (X6): those of their products, for each
/// site's latest version (after `releases::RELEASE_SELECT`).
pub(crate) const RELEASES_OF_ACCOUNT: &str = "\
    WHERE r.product_id IN ( \
        SELECT e.product_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
        JOIN editions e ON e.id = k.edition_id WHERE s.account_id = $1)";

/// A product's stored offline policy (X1).
pub(crate) fn offline_policy(
    kind: &str,
    check_days: Option<i64>,
) -> Result<tessera_core::OfflinePolicy> {
    let days = check_days
        .map(|d| small(d, "offline_check_days"))
        .transpose()?;
    tessera_core::OfflinePolicy::parse(kind, days)
        .map_err(|e| StoreError::Corrupt(format!("offline policy: {e}")))
}

pub(crate) fn small(v: i64, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{what} {v}")))
}

fn to_view(
    r: SiteRow,
    modules: &[(i64, String)],
    releases: &[(i64, ReleaseRecord)],
) -> Result<SiteView> {
    let corrupt =
        |what: &str, e: String| StoreError::Corrupt(format!("site {}: {what}: {e}", r.public_id));
    let published: Vec<_> = releases
        .iter()
        .filter(|(p, _)| *p == r.product_id)
        .map(|(_, release)| release.published())
        .collect();
    Ok(SiteView {
        latest_version: tessera_core::release::latest(&published, &r.edition).cloned(),
        minimum_version: r
            .minimum_version
            .as_deref()
            .map(crate::releases::version)
            .transpose()?,
        cloud_minimum_version: r
            .cloud_minimum_version
            .as_deref()
            .map(crate::releases::version)
            .transpose()?,
        id: r.id,
        status: r.status.parse().map_err(|e| corrupt("status", e))?,
        fingerprint: r
            .fingerprint
            .as_deref()
            .map(Fingerprint::parse)
            .transpose()
            .map_err(|e| corrupt("fingerprint", e.to_string()))?,
        key: ProductKey::any_format(&r.key).map_err(|e| corrupt("key", e.to_string()))?,
        key_status: r.key_status.parse().map_err(|e| corrupt("key status", e))?,
        limits: serde_json::from_str::<BTreeMap<String, u32>>(&r.limits)
            .map_err(|e| corrupt("limits", e.to_string()))?,
        modules: modules
            .iter()
            .filter(|(p, _)| *p == r.product_id)
            .map(|(_, code)| code.clone())
            .collect(),
        transfers: small(r.transfers, "transfers")?,
        by_file: r.by_file,
        machine_key: r.machine_key,
        grace_days: small(r.grace_days, "grace_days")?,
        max_transfers: small(r.max_transfers, "max_transfers")?,
        offline_policy: offline_policy(&r.offline_policy, r.offline_check_days)?,
        expires_at: r.expires_at.map(from_micros).transpose()?,
        activated_at: r.activated_at.map(from_micros).transpose()?,
        deactivated_at: r.deactivated_at.map(from_micros).transpose()?,
        last_validated_at: r.last_validated_at.map(from_micros).transpose()?,
        created_at: from_micros(r.created_at)?,
        public_id: r.public_id,
        account_id: r.account_id,
        label: r.label,
        data: r.data,
        product: r.product,
        product_name: r.product_name,
        edition: r.edition,
        edition_name: r.edition_name,
        size: r.size,
        licensee: r.licensee,
    })
}

/// How one installation appears in a list of choices or a validation.
pub fn installation(s: &SiteView) -> Installation {
    Installation {
        site_id: s.public_id.clone(),
        label: s.label.clone(),
        product: s.product.clone(),
        edition: s.edition.clone(),
        status: s.status,
    }
}

impl Store {
    /// Every installation of the account, read from the database.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn account_sites(&self, account_id: i64) -> Result<AccountSites> {
        let (rows, modules, releases) =
            on_backend!(self, |db| sql::sites::account_sites(db, account_id))?;
        let releases = releases
            .into_iter()
            .map(|r| Ok((r.product_id, r.into_record()?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(AccountSites {
            account_id,
            sites: rows
                .into_iter()
                .map(|r| to_view(r, &modules, &releases))
                .collect::<Result<_>>()?,
        })
    }

    /// The installation and its account's others, from memory when cached. What validation
    /// reads on every call (no span here: a cache hit must stay cheap).
    pub async fn cached_sites(&self, public_id: &str) -> Result<Option<Arc<AccountSites>>> {
        if let Some(hit) = self.cache.get(public_id) {
            return Ok(Some(hit));
        }
        let epoch = self.cache.epoch();
        let account_id = on_backend!(self, |db| sql::sites::site_account(db, public_id))?;
        let Some(account_id) = account_id else {
            return Ok(None);
        };
        let sites = Arc::new(self.account_sites(account_id).await?);
        self.cache.offer(epoch, sites.clone());
        Ok(Some(sites))
    }

    /// The account's installations, from memory when cached (the overview of all sites).
    /// Their last validation times in memory are those of when they were loaded: the
    /// overview reads the fresh ones with [`Store::last_validations`].
    pub async fn cached_account_sites(&self, account_id: i64) -> Result<Arc<AccountSites>> {
        if let Some(hit) = self.cache.get_account(account_id) {
            return Ok(hit);
        }
        let epoch = self.cache.epoch();
        let sites = Arc::new(self.account_sites(account_id).await?);
        self.cache.offer(epoch, sites.clone());
        Ok(sites)
    }

    /// The last successful validation of each of the account's sites that had one, by site
    /// public id: one narrow query, for what the site cache does not follow.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = account_id))]
    pub async fn last_validations(&self, account_id: i64) -> Result<Vec<(String, Timestamp)>> {
        let rows = on_backend!(self, |db| sql::sites::last_validations(db, account_id))?;
        rows.into_iter()
            .map(|(site, at)| Ok((site, from_micros(at)?)))
            .collect()
    }

    /// The last successful validation of one site, if it had one.
    pub async fn last_validation(&self, public_id: &str) -> Result<Option<Timestamp>> {
        on_backend!(self, |db| sql::sites::last_validation(db, public_id))?
            .map(from_micros)
            .transpose()
    }

    /// One installation, read from the database (operators, the portal).
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id))]
    pub async fn site(&self, public_id: &str) -> Result<SiteView> {
        let account_id = on_backend!(self, |db| sql::sites::site_account(db, public_id))?
            .ok_or(StoreError::NotFound("site"))?;
        self.account_sites(account_id)
            .await?
            .sites
            .into_iter()
            .find(|s| s.public_id == public_id)
            .ok_or(StoreError::NotFound("site"))
    }

    /// Suspends (or resumes) an installation. Resuming returns it to active when a machine is
    /// bound, otherwise to deactivated or registered.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(site = public_id, suspended = suspended)
    )]
    pub async fn set_site_suspended(
        &self,
        public_id: &str,
        suspended: bool,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SiteView> {
        let account_id = on_backend!(self, |db| sql::sites::set_site_suspended(
            db, public_id, suspended, actor, now,
        ))?;
        self.changed(account_id);
        self.site(public_id).await
    }

    /// Marks the installation (by its row id) as licensed by file, while it is still active
    /// on `fingerprint`: false when it no longer is.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn mark_site_by_file(
        &self,
        site_id: i64,
        fingerprint: &Fingerprint,
        now: Timestamp,
    ) -> Result<bool> {
        let marked = on_backend!(self, |db| sql::sites::mark_by_file(
            db,
            site_id,
            fingerprint.as_str(),
            now,
        ))?;
        if let Some(account_id) = marked {
            self.changed(account_id);
        }
        Ok(marked.is_some())
    }

    /// Sets or clears the date the installation's license expires.
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id))]
    pub async fn set_site_expiry(
        &self,
        public_id: &str,
        expires_at: Option<Timestamp>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SiteView> {
        let account_id = on_backend!(self, |db| sql::sites::set_site_expiry(
            db, public_id, expires_at, actor, now,
        ))?;
        self.changed(account_id);
        self.site(public_id).await
    }

    /// Writes down every licence that ran out by its date at `now` and was not written down
    /// for that date yet (X7: the `site.expired` event, once per expiry date however many
    /// instances run the expiry job); their public ids.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn note_site_expiries(&self, now: Timestamp) -> Result<Vec<String>> {
        on_backend!(self, |db| sql::sites::note_site_expiries(db, now))
    }

    /// The installation (public id) and account a client's site token belongs to (only while
    /// it is bound).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn site_for_token(&self, token_hash: &str) -> Result<Option<(String, i64)>> {
        on_backend!(self, |db| sql::sites::site_for_token(db, token_hash))
    }

    /// Stores the site data the client sends after activation (C1) and the label made of it,
    /// while `token_hash` is the site's current token.
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id))]
    pub async fn set_site_data(
        &self,
        public_id: &str,
        token_hash: &str,
        data: &str,
        label: &str,
        now: Timestamp,
    ) -> Result<SiteView> {
        let account_id = on_backend!(self, |db| sql::sites::set_site_data(
            db, public_id, token_hash, data, label, now,
        ))?;
        self.changed(account_id);
        self.site(public_id).await
    }

    /// The account changes the identification data of one of its sites, and so its label;
    /// another account's site is `NotFound("site")`.
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id, account_id))]
    pub async fn change_site_data(
        &self,
        public_id: &str,
        account_id: i64,
        data: &str,
        label: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SiteView> {
        on_backend!(self, |db| sql::sites::change_site_data(
            db, public_id, account_id, data, label, actor, now,
        ))?;
        self.changed(account_id);
        self.site(public_id).await
    }

    /// Records the latest successful validation of each site, and adds `counts` (account id,
    /// validations) to the accounts' figures of `day`, in one transaction.
    #[tracing::instrument(level = "debug", skip_all, fields(sites = latest.len()))]
    pub async fn record_validations(
        &self,
        latest: &[(i64, Timestamp)],
        counts: &[(i64, u64)],
        day: &str,
    ) -> Result<()> {
        if latest.is_empty() && counts.is_empty() {
            return Ok(());
        }
        on_backend!(self, |db| sql::sites::record_validations(
            db, latest, counts, day
        ))
    }
}
