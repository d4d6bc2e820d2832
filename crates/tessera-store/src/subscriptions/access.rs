//! The cloud access a site's client gets (E5–E6): looked up by its site code or its cloud
//! token, and claimed with the codes.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::cloud::{Bundle, CloudStatus};
use tessera_core::key_status::KeyStatus;
use tessera_core::license_in_force;
use tessera_core::site::SiteStatus;

use super::{SubscriptionRecord, SubscriptionRow};
use crate::{Result, Store, StoreError, from_micros};

/// What a site's client may do in the cloud, as its token or codes show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudAccess {
    pub site_id: String,
    pub account_id: i64,
    pub subscription: SubscriptionRecord,
    pub status: CloudStatus,
    /// SHA-256 of the activation code (for the caller's constant-time comparison).
    pub activation_code_hash: String,
    /// The site's own license: its status, its key's, and its expiry.
    pub site_status: SiteStatus,
    pub key_status: KeyStatus,
    pub license_expires_at: Option<Timestamp>,
}

impl CloudAccess {
    /// The code that refuses access at `now`, or None when the site may sync: the
    /// subscription's state first, then the site's own license (the one rule,
    /// `tessera_core::license_in_force`), then whether the site is enabled and matches.
    pub fn refusal(&self, now: Timestamp) -> Option<ErrorCode> {
        if let Err(why) = self.subscription.state_at(now).usable() {
            return Some(why.into());
        }
        let license = license_in_force(
            self.site_status,
            self.key_status,
            self.license_expires_at,
            now,
        );
        if let Err(why) = license {
            return Some(why.into());
        }
        match self.status {
            CloudStatus::LicenseMismatch => Some(ErrorCode::CloudLicenseMismatch),
            CloudStatus::NotEnabled => Some(ErrorCode::CloudNotEnabled),
            CloudStatus::Enabled => None,
        }
    }
}

/// The cloud enablements, live (`deleted` 0) and of deleted subscriptions (`deleted` 1), so
/// that codes and tokens of a deleted subscription are still found and refused with
/// `SUBSCRIPTION_DELETED`. A site is in at most one of the two.
pub(crate) const CLOUD_SITES_AND_DELETED: &str = "\
    (SELECT subscription_id, site_id, activation_code_hash, site_code, token_hash, \
      0 AS deleted FROM cloud_sites \
     UNION ALL SELECT subscription_id, site_id, activation_code_hash, site_code, token_hash, \
      1 AS deleted FROM deleted_cloud_sites)";

/// A cloud site's standing as one row: its subscription, then the site's own.
#[derive(sqlx::FromRow)]
pub(crate) struct AccessRow {
    #[sqlx(flatten)]
    pub subscription: SubscriptionRow,
    pub site_public_id: String,
    pub site_account_id: i64,
    pub activation_code_hash: String,
    pub key_edition: String,
    pub key_size: String,
    pub site_status: String,
    pub key_status: String,
    pub license_expires_at: Option<i64>,
}

impl Store {
    /// The cloud standing of the site whose site code is `site_code`, with the hash of its
    /// activation code to compare.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn cloud_access_by_code(&self, site_code: &str) -> Result<Option<CloudAccess>> {
        self.cloud_access_where("c.site_code = $1", site_code).await
    }

    /// The cloud standing of the site whose cloud token hashes to `token_hash`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn cloud_access(&self, token_hash: &str) -> Result<Option<CloudAccess>> {
        self.cloud_access_where("c.token_hash = $1", token_hash)
            .await
    }

    async fn cloud_access_where(
        &self,
        condition: &str,
        value: &str,
    ) -> Result<Option<CloudAccess>> {
        let found = on_backend!(self, |db| sql::subscriptions::access::cloud_access_where(
            db, condition, value,
        ))?;
        let Some(row) = found else {
            return Ok(None);
        };
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("{what} {v:?}"));
        let site_status: SiteStatus = row
            .site_status
            .parse()
            .map_err(|_| corrupt("site status", &row.site_status))?;
        let key_status: KeyStatus = row
            .key_status
            .parse()
            .map_err(|_| corrupt("key status", &row.key_status))?;
        let license_expires_at = row.license_expires_at.map(from_micros).transpose()?;
        let subscription = SubscriptionRecord::try_from(row.subscription)?;
        let status = CloudStatus::of(
            true,
            subscription.bundle.as_ref(),
            &Bundle {
                edition: row.key_edition,
                size: row.key_size,
            },
        );
        Ok(Some(CloudAccess {
            site_id: row.site_public_id,
            account_id: row.site_account_id,
            subscription,
            status,
            activation_code_hash: row.activation_code_hash,
            site_status,
            key_status,
            license_expires_at,
        }))
    }

    /// Gives the site with `site_code` a new cloud token (the previous one stops working).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claim_cloud(
        &self,
        site_code: &str,
        token_hash: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::subscriptions::access::claim_cloud(
            db, site_code, token_hash, actor, now,
        ))
    }
}
