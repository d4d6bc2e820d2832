//! Releases of a product and its minimum supported version (X6).

use jiff::Timestamp;
use tessera_core::Actor;
use tessera_core::release::{Minimum, Version};

use crate::{Result, Store, StoreError, from_micros};

/// A release as an operator publishes it (checked by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelease {
    pub product: String,
    pub version: Version,
    pub channel: String,
    pub notes: String,
    pub url: String,
    /// 64 lower-case hex digits.
    pub sha256: Option<String>,
    /// Edition codes; empty: every edition.
    pub editions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRecord {
    pub product: String,
    pub version: Version,
    pub channel: String,
    pub notes: String,
    pub url: String,
    pub sha256: Option<String>,
    pub editions: Vec<String>,
    pub published_at: Timestamp,
    /// When and why the vendor withdrew it; None while it is offered.
    pub withdrawn: Option<Withdrawal>,
}

/// A release's withdrawal (X6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub at: Timestamp,
    pub reason: String,
}

impl ReleaseRecord {
    pub fn published(&self) -> tessera_core::release::Published<'_> {
        tessera_core::release::Published {
            version: &self.version,
            channel: &self.channel,
            editions: &self.editions,
            withdrawn: self.withdrawn.is_some(),
        }
    }
}

/// A product's releases, newest version first, and its minimum versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductReleases {
    pub product: String,
    pub product_name: String,
    pub minimum_version: Option<Version>,
    /// The version the program needs at least to connect to the cloud.
    pub cloud_minimum_version: Option<Version>,
    pub releases: Vec<ReleaseRecord>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReleaseRow {
    pub(crate) product_id: i64,
    product: String,
    version: String,
    channel: String,
    notes: String,
    url: String,
    sha256: Option<String>,
    editions: String,
    published_at: i64,
    withdrawn_at: Option<i64>,
    withdrawn_reason: Option<String>,
}

pub(crate) const RELEASE_SELECT: &str = "\
    SELECT r.product_id, p.code AS product, r.version, r.channel, r.notes, r.url, r.sha256, \
           r.editions, r.published_at, r.withdrawn_at, r.withdrawn_reason \
    FROM releases r JOIN products p ON p.id = r.product_id";

pub(crate) fn version(text: &str) -> Result<Version> {
    Version::parse(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl ReleaseRow {
    pub(crate) fn into_record(self) -> Result<ReleaseRecord> {
        Ok(ReleaseRecord {
            version: version(&self.version)?,
            editions: serde_json::from_str(&self.editions)
                .map_err(|e| StoreError::Corrupt(format!("release editions: {e}")))?,
            published_at: from_micros(self.published_at)?,
            withdrawn: self
                .withdrawn_at
                .map(|at| {
                    Ok::<_, StoreError>(Withdrawal {
                        at: from_micros(at)?,
                        reason: self.withdrawn_reason.unwrap_or_default(),
                    })
                })
                .transpose()?,
            product: self.product,
            channel: self.channel,
            notes: self.notes,
            url: self.url,
            sha256: self.sha256,
        })
    }
}

/// Newest version first.
pub(crate) fn newest_first(releases: &mut [ReleaseRecord]) {
    releases.sort_by(|a, b| b.version.cmp(&a.version));
}

impl Store {
    /// Publishes a release: on record as `release.published`; every licence and validation
    /// then names it if it is the newest stable one for the site's edition.
    #[tracing::instrument(level = "debug", skip_all, fields(product = %new.product, version = %new.version))]
    pub async fn publish_release(
        &self,
        new: &NewRelease,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ReleaseRecord> {
        let record = on_backend!(self, |db| sql::releases::publish(db, new, actor, now))?;
        self.cache.clear();
        Ok(record)
    }

    /// Withdraws the product's release `version`, `reason` kept with it: on record as
    /// `release.withdrawn`; from then on no licence or validation names it as the latest and
    /// no account's downloads list it. Withdrawing it again changes nothing and answers the
    /// release as it was withdrawn the first time.
    #[tracing::instrument(level = "debug", skip_all, fields(product = product, version = %version))]
    pub async fn withdraw_release(
        &self,
        product: &str,
        version: &Version,
        reason: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ReleaseRecord> {
        let record = on_backend!(self, |db| sql::releases::set_withdrawn(
            db,
            product,
            version,
            Some(reason),
            actor,
            now
        ))?;
        self.cache.clear();
        Ok(record)
    }

    /// Offers the withdrawn release `version` again (a withdrawal by mistake): on record as
    /// `release.restored`; licences and validations name it again when it is the newest.
    /// Restoring one that is offered changes nothing.
    #[tracing::instrument(level = "debug", skip_all, fields(product = product, version = %version))]
    pub async fn restore_release(
        &self,
        product: &str,
        version: &Version,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ReleaseRecord> {
        let record = on_backend!(self, |db| sql::releases::set_withdrawn(
            db, product, version, None, actor, now
        ))?;
        self.cache.clear();
        Ok(record)
    }

    /// Sets (or, with None, clears) one of the product's minimum versions: the program's or
    /// the cloud's. On record as `product.minimum_version` or `product.cloud_minimum_version`.
    #[tracing::instrument(level = "debug", skip_all, fields(product = product, which = which.field()))]
    pub async fn set_minimum_version(
        &self,
        product: &str,
        which: Minimum,
        minimum: Option<&Version>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::releases::set_minimum(
            db, product, which, minimum, actor, now
        ))?;
        self.cache.clear();
        Ok(())
    }

    /// The product's releases and minimum version.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn product_releases(&self, product: &str) -> Result<ProductReleases> {
        on_backend!(self, |db| sql::releases::of_product(db, product))
    }

    /// For each product the account holds a key of (only `site`'s, for a site's user): its
    /// releases those keys' editions may download, and its minimum version (the portal's
    /// downloads).
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn account_downloads(
        &self,
        account_id: i64,
        site: Option<&str>,
    ) -> Result<Vec<ProductReleases>> {
        on_backend!(self, |db| sql::releases::of_account(db, account_id, site))
    }
}
