//! The sites enabled in a subscription (E3, E5): which of the account's installations can
//! be, enabling them with their codes, and why one is never dropped mid-term.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::cloud::{Bundle, CloudStatus};
use tessera_core::key_status::KeyStatus;
use tessera_core::license_in_force;
use tessera_core::site::{LicenseRefusal, SiteStatus};

use super::SubscriptionRecord;
use crate::{Result, Store, StoreError, from_micros};

/// One of the account's installations as the cloud set-up page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudSiteRecord {
    pub site_id: String,
    pub label: String,
    /// The installation's status (`active` once its client activated it).
    pub status: String,
    pub product_key: String,
    pub bundle: Bundle,
    pub edition_name: String,
    pub size_name: String,
    /// Where the codes go: the representative email of the site data.
    pub email: Option<String>,
    pub enabled_at: Option<Timestamp>,
    /// Its client exchanged the codes for cloud access.
    pub claimed_at: Option<Timestamp>,
}

impl CloudSiteRecord {
    pub fn cloud_status(&self, subscription: Option<&SubscriptionRecord>) -> CloudStatus {
        CloudStatus::of(
            self.enabled_at.is_some(),
            subscription.and_then(|s| s.bundle.as_ref()),
            &self.bundle,
        )
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CloudSiteRow {
    pub(crate) id: i64,
    pub(crate) public_id: String,
    pub(crate) label: String,
    pub(crate) status: String,
    pub(crate) data: Option<String>,
    pub(crate) key: String,
    pub(crate) key_status: String,
    pub(crate) edition: String,
    pub(crate) edition_id: i64,
    pub(crate) edition_name: String,
    pub(crate) size: String,
    pub(crate) size_id: i64,
    pub(crate) size_name: String,
    pub(crate) enabled_at: Option<i64>,
    pub(crate) claimed_at: Option<i64>,
    /// The license's own expiry (an operator's), if any.
    pub(crate) expires_at: Option<i64>,
}

pub(crate) const CLOUD_SITE_SELECT: &str = "\
    SELECT st.id, st.public_id, st.label, st.status, st.data, k.key, k.status AS key_status, \
           e.code AS edition, \
           e.id AS edition_id, e.name AS edition_name, z.code AS size, z.id AS size_id, \
           z.name AS size_name, c.enabled_at, c.claimed_at, st.expires_at \
    FROM sites st JOIN product_keys k ON k.id = st.key_id \
    JOIN editions e ON e.id = k.edition_id JOIN sizes z ON z.id = k.size_id \
    LEFT JOIN cloud_sites c ON c.site_id = st.id \
    WHERE st.account_id = $1 AND e.product_id IN (SELECT product_id FROM plans WHERE service = $2)";

/// The representative email in a site's data (JSON), when there is one.
fn representative_email(data: Option<&str>) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(data?).ok()?;
    value
        .get("representative_email")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl CloudSiteRow {
    pub(crate) fn record(&self) -> Result<CloudSiteRecord> {
        Ok(CloudSiteRecord {
            site_id: self.public_id.clone(),
            label: self.label.clone(),
            status: self.status.clone(),
            product_key: self.key.clone(),
            bundle: Bundle {
                edition: self.edition.clone(),
                size: self.size.clone(),
            },
            edition_name: self.edition_name.clone(),
            size_name: self.size_name.clone(),
            email: representative_email(self.data.as_deref()),
            enabled_at: self.enabled_at.map(from_micros).transpose()?,
            claimed_at: self.claimed_at.map(from_micros).transpose()?,
        })
    }
}

/// The codes issued for one site being enabled (made and hashed by the caller).
#[derive(Debug, Clone)]
pub struct IssuedCodes {
    pub site_id: String,
    pub activation_code: String,
    pub activation_code_hash: String,
    pub site_code: String,
}

impl Store {
    /// The account's installations of the products `service` is sold for, by edition, size
    /// and id, with whether each is enabled.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, service = service)
    )]
    pub async fn cloud_sites(
        &self,
        account_id: i64,
        service: &str,
    ) -> Result<Vec<CloudSiteRecord>> {
        let rows = on_backend!(self, |db| sql::subscriptions::enablement::cloud_sites(
            db, account_id, service,
        ))?;
        rows.iter().map(CloudSiteRow::record).collect()
    }

    /// Enables the sites `codes` name in the account's subscription to `service` (E5) and
    /// queues each site's codes to its representative in the same transaction, the mail
    /// calling the service `service_name`. All or nothing: `SUBSCRIPTION_NOT_FOUND`, the
    /// state's refusal code, `PLAN_MISMATCH` (a bundle the subscription's plan does not
    /// cover), `EDITION_MISMATCH`, `SEATS_EXCEEDED`, `SITE_ALREADY_ENABLED`,
    /// `SITE_NOT_ACTIVE`, `SITE_EMAIL_MISSING`.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, service = service, sites = codes.len())
    )]
    pub async fn enable_cloud_sites(
        &self,
        account_id: i64,
        service: &str,
        service_name: &str,
        codes: &[IssuedCodes],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| {
            sql::subscriptions::enablement::enable_cloud_sites(
                db,
                account_id,
                service,
                service_name,
                codes,
                actor,
                now,
            )
        })
    }

    /// Refuses to drop a site mid-term (E3): sites are dropped only at renewal.
    /// `SITE_LOCKED_UNTIL_RENEWAL` for an enabled site, NotFound otherwise.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, service = service, site = site_id)
    )]
    pub async fn disable_cloud_site(
        &self,
        account_id: i64,
        service: &str,
        site_id: &str,
    ) -> Result<()> {
        let enabled = self
            .cloud_sites(account_id, service)
            .await?
            .into_iter()
            .any(|s| s.site_id == site_id && s.enabled_at.is_some());
        if enabled {
            Err(StoreError::Conflict(ErrorCode::SiteLockedUntilRenewal))
        } else {
            Err(StoreError::NotFound("site"))
        }
    }
}

impl Store {
    /// Mails the activation data of the account's enabled site `codes.site_id` again to its
    /// representative: its site code as it is and the new activation code in `codes` (the
    /// old one stops working; a client already connected stays connected). `SITE_NOT_FOUND`
    /// for a site that is not the account's or not enabled, `SITE_EMAIL_MISSING`.
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(account_id = account_id, site = codes.site_id)
    )]
    pub async fn resend_cloud_codes(
        &self,
        account_id: i64,
        service: (&str, &str),
        codes: &IssuedCodes,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| {
            sql::subscriptions::enablement::resend_cloud_codes(
                db, account_id, service, codes, actor, now,
            )
        })
    }
}

impl CloudSiteRow {
    /// The site's own license at `now`: in force, or why not.
    pub(crate) fn license(
        &self,
        now: Timestamp,
    ) -> Result<std::result::Result<(), LicenseRefusal>> {
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("{what} {v:?}"));
        let status: SiteStatus = self
            .status
            .parse()
            .map_err(|_| corrupt("site status", &self.status))?;
        let key: KeyStatus = self
            .key_status
            .parse()
            .map_err(|_| corrupt("key status", &self.key_status))?;
        let expires_at = self.expires_at.map(from_micros).transpose()?;
        Ok(license_in_force(status, key, expires_at, now))
    }
}
