//! Cloud-service subscriptions (E1, E3–E6): the trial, the sites enabled in a subscription
//! with their codes, the cloud access a site's client gets for them, the states operators
//! set, and what the scheduled job does at expiry (state and reminders).

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use tessera_core::Actor;
use tessera_core::cloud::{Bundle, Candidate, CloudStatus, check_enablement, license_refusal};
use tessera_core::key_status::KeyStatus;
use tessera_core::site::SiteStatus;
use tessera_core::subscription::{Reminder, SubscriptionState, term};

use crate::audit::audit;
use crate::outbox::{Mail, enqueue_mail};
use crate::{Result, Store, StoreError, from_micros, to_micros};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRecord {
    pub id: i64,
    pub account_id: i64,
    pub service: String,
    pub plan: String,
    /// As stored; see [`SubscriptionRecord::state_at`].
    pub state: SubscriptionState,
    pub seats: u32,
    /// Fixed by the first site enabled.
    pub bundle: Option<Bundle>,
    pub trial_started_at: Option<Timestamp>,
    /// The first purchase; None while only the trial ran.
    pub purchased_at: Option<Timestamp>,
    pub starts_at: Timestamp,
    pub expires_at: Timestamp,
    /// When a renewal paid early starts (its seats, plan and kept sites wait until then).
    pub pending_renewal: Option<Timestamp>,
}

impl SubscriptionRecord {
    pub fn state_at(&self, now: Timestamp) -> SubscriptionState {
        self.state.effective(self.expires_at, now)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SubscriptionRow {
    id: i64,
    account_id: i64,
    service: String,
    plan: String,
    state: String,
    seats: i64,
    edition: Option<String>,
    size: Option<String>,
    trial_started_at: Option<i64>,
    purchased_at: Option<i64>,
    starts_at: i64,
    expires_at: i64,
    next_starts_at: Option<i64>,
}

pub(crate) const SUBSCRIPTION_SELECT: &str = "\
    SELECT s.id, s.account_id, s.service, l.code AS plan, s.state, s.seats, e.code AS edition, \
           z.code AS size, s.trial_started_at, s.purchased_at, s.starts_at, s.expires_at, \
           s.next_starts_at \
    FROM subscriptions s JOIN plans l ON l.id = s.plan_id \
    LEFT JOIN editions e ON e.id = s.edition_id LEFT JOIN sizes z ON z.id = s.size_id";

impl TryFrom<SubscriptionRow> for SubscriptionRecord {
    type Error = StoreError;
    fn try_from(r: SubscriptionRow) -> Result<Self> {
        Ok(SubscriptionRecord {
            id: r.id,
            account_id: r.account_id,
            service: r.service,
            plan: r.plan,
            state: r.state.parse().map_err(StoreError::Corrupt)?,
            seats: u32::try_from(r.seats)
                .map_err(|_| StoreError::Corrupt(format!("seats {}", r.seats)))?,
            bundle: match (r.edition, r.size) {
                (Some(edition), Some(size)) => Some(Bundle { edition, size }),
                _ => None,
            },
            trial_started_at: r.trial_started_at.map(from_micros).transpose()?,
            purchased_at: r.purchased_at.map(from_micros).transpose()?,
            starts_at: from_micros(r.starts_at)?,
            expires_at: from_micros(r.expires_at)?,
            pending_renewal: r.next_starts_at.map(from_micros).transpose()?,
        })
    }
}

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
struct CloudSiteRow {
    id: i64,
    public_id: String,
    label: String,
    status: String,
    data: Option<String>,
    key: String,
    key_status: String,
    edition: String,
    edition_id: i64,
    edition_name: String,
    size: String,
    size_id: i64,
    size_name: String,
    enabled_at: Option<i64>,
    claimed_at: Option<i64>,
}

const CLOUD_SITE_SELECT: &str = "\
    SELECT st.id, st.public_id, st.label, st.status, st.data, k.key, k.status AS key_status, \
           e.code AS edition, \
           e.id AS edition_id, e.name AS edition_name, z.code AS size, z.id AS size_id, \
           z.name AS size_name, c.enabled_at, c.claimed_at \
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
    fn record(&self) -> Result<CloudSiteRecord> {
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
    /// The code that refuses access at `now`, or None when the site may sync.
    pub fn refusal(&self, now: Timestamp) -> Option<&'static str> {
        self.subscription
            .state_at(now)
            .refusal_code()
            .or_else(|| {
                license_refusal(
                    self.site_status,
                    self.key_status,
                    self.license_expires_at,
                    now,
                )
            })
            .or(match self.status {
                CloudStatus::LicenseMismatch => Some("CLOUD_LICENSE_MISMATCH"),
                CloudStatus::NotEnabled => Some("CLOUD_NOT_ENABLED"),
                CloudStatus::Enabled => None,
            })
    }
}

/// A reminder the job found due, with whom to tell.
#[derive(Debug, Clone)]
pub struct ReminderDue {
    pub subscription: SubscriptionRecord,
    pub kind: Reminder,
    pub username: String,
    pub email: String,
    pub language: String,
}

/// What an operator may set a subscription to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateChange {
    /// Back to trialing or active (by whether it was ever bought).
    Resume,
    Maintenance,
    Blocked,
    /// Final: its sites are released.
    Deleted,
}

/// Site, account, subscription, activation-code hash, edition, size, site status, key
/// status, license expiry.
type AccessRow = (
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
);

/// Inside a transaction: drops the enabled sites of subscription `$sub` that a new term does
/// not keep (E3: sites are dropped only when a term starts), on record for `$why`.
macro_rules! drop_unkept {
    ($tx:ident, $sub:expr, $keep:expr, $seats:expr, $actor:expr, $why:expr, $now:expr) => {{
        let enabled: Vec<String> = sqlx::query_scalar(
            "SELECT st.public_id FROM cloud_sites c JOIN sites st ON st.id = c.site_id \
             WHERE c.subscription_id = $1 ORDER BY c.enabled_at, c.site_id",
        )
        .bind($sub)
        .fetch_all(&mut *$tx)
        .await?;
        for public_id in tessera_core::subscription::sites_to_drop(&enabled, $keep, $seats) {
            sqlx::query(
                "DELETE FROM cloud_sites WHERE site_id = (SELECT id FROM sites WHERE public_id = $1)",
            )
            .bind(public_id)
            .execute(&mut *$tx)
            .await?;
            crate::audit::audit!($tx, $now, $actor, "cloud.site_dropped", "site", public_id, Some($why.to_owned()));
        }
    }};
}
pub(crate) use drop_unkept;

impl Store {
    /// The account's subscription to `service`, if it ever had one.
    pub async fn subscription(
        &self,
        account_id: i64,
        service: &str,
    ) -> Result<Option<SubscriptionRecord>> {
        let sql = format!("{SUBSCRIPTION_SELECT} WHERE s.account_id = $1 AND s.service = $2");
        let row = on_db!(self, read, db => {
            sqlx::query_as::<_, SubscriptionRow>(&sql)
                .bind(account_id)
                .bind(service)
                .fetch_optional(db)
                .await?
        });
        row.map(TryFrom::try_from).transpose()
    }

    /// Subscriptions for operators, by id; one account's when given.
    pub async fn subscriptions(&self, account_id: Option<i64>) -> Result<Vec<SubscriptionRecord>> {
        let sql =
            format!("{SUBSCRIPTION_SELECT} WHERE ($1 IS NULL OR s.account_id = $1) ORDER BY s.id");
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, SubscriptionRow>(&sql)
                .bind(account_id)
                .fetch_all(db)
                .await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Starts the free trial of `plan_code` (E1): once per account and service, never after
    /// a purchase. `TRIAL_USED`, `TRIAL_AFTER_PURCHASE`; the unique key on (account,
    /// service) keeps two simultaneous requests from both succeeding.
    pub async fn start_trial(
        &self,
        account_id: i64,
        plan_code: &str,
        zone: &TimeZone,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SubscriptionRecord> {
        let plan = self.plan(plan_code).await?;
        if plan.trial_months == 0 {
            return Err(StoreError::Conflict("PLAN_HAS_NO_TRIAL"));
        }
        let (starts, ends) = term(None, now, plan.trial_months as i32, zone);
        in_tx!(self, tx => {
            let existing: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT purchased_at FROM subscriptions WHERE account_id = $1 AND service = $2",
            )
            .bind(account_id)
            .bind(&plan.service)
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                Some(Some(_)) => return Err(StoreError::Conflict("TRIAL_AFTER_PURCHASE")),
                Some(None) => return Err(StoreError::Conflict("TRIAL_USED")),
                None => {}
            }
            sqlx::query(
                "INSERT INTO subscriptions (account_id, service, plan_id, state, seats, \
                 trial_started_at, starts_at, expires_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'trialing', $4, $5, $6, $7, $5, $5)",
            )
            .bind(account_id)
            .bind(&plan.service)
            .bind(plan.id)
            .bind(i64::from(plan.trial_sites))
            .bind(to_micros(now))
            .bind(to_micros(starts))
            .bind(to_micros(ends))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)
            .map_err(crate::error::duplicate_as("TRIAL_USED"))?;
            audit!(tx, now, actor, "subscription.trial", "account", account_id, Some(plan.code.clone()));
        });
        self.subscription(account_id, &plan.service)
            .await?
            .ok_or(StoreError::NotFound("subscription"))
    }

    /// The account's installations of the products `service` is sold for, by edition, size
    /// and id, with whether each is enabled.
    pub async fn cloud_sites(
        &self,
        account_id: i64,
        service: &str,
    ) -> Result<Vec<CloudSiteRecord>> {
        let sql = format!("{CLOUD_SITE_SELECT} ORDER BY e.rank, z.code, st.id");
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, CloudSiteRow>(&sql)
                .bind(account_id)
                .bind(service)
                .fetch_all(db)
                .await?
        });
        rows.iter().map(CloudSiteRow::record).collect()
    }

    /// Enables the sites `codes` name in the account's subscription to `service` (E5) and
    /// queues each site's codes to its representative in the same transaction. All or
    /// nothing: `SUBSCRIPTION_NOT_FOUND`, the state's refusal code, `PLAN_MISMATCH` (a
    /// bundle the subscription's plan does not cover), `EDITION_MISMATCH`,
    /// `SEATS_EXCEEDED`, `SITE_ALREADY_ENABLED`, `SITE_NOT_ACTIVE`, `SITE_EMAIL_MISSING`.
    pub async fn enable_cloud_sites(
        &self,
        account_id: i64,
        service: &str,
        codes: &[IssuedCodes],
        mail: impl Fn(&CloudSiteRecord, &IssuedCodes) -> Result<Mail>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let lock = self.row_lock(" FOR UPDATE OF s");
        let sub_sql =
            format!("{SUBSCRIPTION_SELECT} WHERE s.account_id = $1 AND s.service = $2{lock}");
        let site_sql = format!("{CLOUD_SITE_SELECT} AND st.public_id = $3");
        in_tx!(self, tx => {
            let sub: SubscriptionRecord = sqlx::query_as::<_, SubscriptionRow>(&sub_sql)
                .bind(account_id)
                .bind(service)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("subscription"))?
                .try_into()?;
            if let Some(code) = sub.state_at(now).refusal_code() {
                return Err(StoreError::Conflict(code));
            }
            let mut rows = Vec::with_capacity(codes.len());
            for c in codes {
                let row = sqlx::query_as::<_, CloudSiteRow>(&site_sql)
                    .bind(account_id)
                    .bind(service)
                    .bind(&c.site_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound("site"))?;
                rows.push(row);
            }
            let enabled: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM cloud_sites WHERE subscription_id = $1")
                    .bind(sub.id)
                    .fetch_one(&mut *tx)
                    .await?;
            let covered: Vec<(String, String)> = sqlx::query_as(
                "SELECT e.code, z.code FROM plan_bundles b \
                 JOIN editions e ON e.id = b.edition_id JOIN sizes z ON z.id = b.size_id \
                 WHERE b.plan_id = (SELECT plan_id FROM subscriptions WHERE id = $1)",
            )
            .bind(sub.id)
            .fetch_all(&mut *tx)
            .await?;
            let covered: Vec<Bundle> = covered
                .into_iter()
                .map(|(edition, size)| Bundle { edition, size })
                .collect();
            let candidates: Vec<Candidate<'_>> = rows
                .iter()
                .map(|r| Candidate {
                    site_id: &r.public_id,
                    bundle: Bundle { edition: r.edition.clone(), size: r.size.clone() },
                    enabled: r.enabled_at.is_some(),
                    // A revoked key's installation is not enabled, active or not.
                    active: r.status == SiteStatus::Active.as_str()
                        && r.key_status != KeyStatus::Revoked.as_str(),
                })
                .collect();
            check_enablement(
                sub.bundle.as_ref(),
                &covered,
                sub.seats,
                u32::try_from(enabled).unwrap_or(u32::MAX),
                &candidates,
            )
            .map_err(|e| StoreError::Refused { code: e.code(), message: e.to_string() })?;
            if sub.bundle.is_none()
                && let Some(first) = rows.first()
            {
                sqlx::query("UPDATE subscriptions SET edition_id = $1, size_id = $2, updated_at = $3 WHERE id = $4")
                    .bind(first.edition_id)
                    .bind(first.size_id)
                    .bind(to_micros(now))
                    .bind(sub.id)
                    .execute(&mut *tx)
                    .await?;
            }
            for (row, c) in rows.iter().zip(codes) {
                let site = row.record()?;
                if site.email.is_none() {
                    return Err(StoreError::Refused {
                        code: "SITE_EMAIL_MISSING",
                        message: format!(
                            "site {} has no representative email yet: its client sends it with the site data",
                            site.site_id
                        ),
                    });
                }
                sqlx::query(
                    "INSERT INTO cloud_sites (subscription_id, site_id, enabled_at, \
                     activation_code_hash, site_code) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(sub.id)
                .bind(row.id)
                .bind(to_micros(now))
                .bind(&c.activation_code_hash)
                .bind(&c.site_code)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)
                .map_err(crate::error::duplicate_as("SITE_ALREADY_ENABLED"))?;
                enqueue_mail!(tx, now, &mail(&site, c)?);
                audit!(tx, now, actor, "cloud.site_enabled", "site", &site.site_id, Some(service.to_owned()));
            }
        });
        Ok(())
    }

    /// The cloud standing of the site whose site code is `site_code`, with the hash of its
    /// activation code to compare.
    pub async fn cloud_access_by_code(&self, site_code: &str) -> Result<Option<CloudAccess>> {
        self.cloud_access_where("c.site_code = $1", site_code).await
    }

    /// The cloud standing of the site whose cloud token hashes to `token_hash`.
    pub async fn cloud_access(&self, token_hash: &str) -> Result<Option<CloudAccess>> {
        self.cloud_access_where("c.token_hash = $1", token_hash)
            .await
    }

    async fn cloud_access_where(
        &self,
        condition: &str,
        value: &str,
    ) -> Result<Option<CloudAccess>> {
        let sql = format!(
            "SELECT st.public_id, st.account_id, c.subscription_id, c.activation_code_hash, \
                    e.code AS edition, z.code AS size, st.status, k.status, st.expires_at \
             FROM cloud_sites c JOIN sites st ON st.id = c.site_id \
             JOIN product_keys k ON k.id = st.key_id \
             JOIN editions e ON e.id = k.edition_id JOIN sizes z ON z.id = k.size_id \
             WHERE {condition}"
        );
        let sub_sql = format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1");
        let found = on_db!(self, read, db => {
            let row: Option<AccessRow> =
                sqlx::query_as(&sql).bind(value).fetch_optional(db).await?;
            match row {
                Some(row) => {
                    let sub = sqlx::query_as::<_, SubscriptionRow>(&sub_sql)
                        .bind(row.2)
                        .fetch_one(db)
                        .await?;
                    Some((row, sub))
                }
                None => None,
            }
        });
        let Some((
            (site_id, account_id, _, hash, edition, size, site_status, key_status, expires),
            sub,
        )) = found
        else {
            return Ok(None);
        };
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("{what} {v:?}"));
        let site_status: SiteStatus = site_status
            .parse()
            .map_err(|_| corrupt("site status", &site_status))?;
        let key_status: KeyStatus = key_status
            .parse()
            .map_err(|_| corrupt("key status", &key_status))?;
        let license_expires_at = expires.map(from_micros).transpose()?;
        let subscription = SubscriptionRecord::try_from(sub)?;
        let status = CloudStatus::of(
            true,
            subscription.bundle.as_ref(),
            &Bundle { edition, size },
        );
        Ok(Some(CloudAccess {
            site_id,
            account_id,
            subscription,
            status,
            activation_code_hash: hash,
            site_status,
            key_status,
            license_expires_at,
        }))
    }

    /// Gives the site with `site_code` a new cloud token (the previous one stops working).
    pub async fn claim_cloud(
        &self,
        site_code: &str,
        token_hash: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        in_tx!(self, tx => {
            let site: Option<String> = sqlx::query_scalar(
                "UPDATE cloud_sites SET token_hash = $1, claimed_at = $2 WHERE site_code = $3 \
                 RETURNING (SELECT public_id FROM sites WHERE sites.id = cloud_sites.site_id)",
            )
            .bind(token_hash)
            .bind(to_micros(now))
            .bind(site_code)
            .fetch_optional(&mut *tx)
            .await?;
            let site = site.ok_or(StoreError::NotFound("site"))?;
            audit!(tx, now, actor, "cloud.claimed", "site", site, None::<String>);
        });
        Ok(())
    }

    /// Refuses to drop a site mid-term (E3): sites are dropped only at renewal.
    /// `SITE_LOCKED_UNTIL_RENEWAL` for an enabled site, NotFound otherwise.
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
            Err(StoreError::Conflict("SITE_LOCKED_UNTIL_RENEWAL"))
        } else {
            Err(StoreError::NotFound("site"))
        }
    }

    /// An operator's change of a subscription's state (E4). `SUBSCRIPTION_DELETED` once
    /// deleted; deleting releases its sites and their tokens.
    pub async fn set_subscription_state(
        &self,
        id: i64,
        change: StateChange,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SubscriptionRecord> {
        let lock = self.row_lock(" FOR UPDATE OF s");
        let sql = format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1{lock}");
        in_tx!(self, tx => {
            let sub: SubscriptionRecord = sqlx::query_as::<_, SubscriptionRow>(&sql)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("subscription"))?
                .try_into()?;
            if sub.state == SubscriptionState::Deleted {
                return Err(StoreError::Conflict("SUBSCRIPTION_DELETED"));
            }
            let state = match change {
                StateChange::Resume if sub.purchased_at.is_some() => SubscriptionState::Active,
                StateChange::Resume => SubscriptionState::Trialing,
                StateChange::Maintenance => SubscriptionState::Maintenance,
                StateChange::Blocked => SubscriptionState::Blocked,
                StateChange::Deleted => SubscriptionState::Deleted,
            };
            sqlx::query("UPDATE subscriptions SET state = $1, updated_at = $2 WHERE id = $3")
                .bind(state.as_str())
                .bind(to_micros(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if state == SubscriptionState::Deleted {
                sqlx::query("DELETE FROM cloud_sites WHERE subscription_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(tx, now, actor, "subscription.state", "subscription", id, Some(state.as_str().to_owned()));
        });
        let sql = format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1");
        let row = on_db!(self, write, db => {
            sqlx::query_as::<_, SubscriptionRow>(&sql).bind(id).fetch_one(db).await?
        });
        row.try_into()
    }

    /// Starts the renewals paid early whose term has begun: their plan and seats take over
    /// and the sites they do not keep are dropped (E3). Gives the subscriptions renewed.
    pub async fn apply_renewals(&self, now: Timestamp) -> Result<Vec<i64>> {
        let actor = Actor::System;
        Ok(in_tx!(self, tx => {
            let due: Vec<(i64, i64, i64, i64, Option<String>)> = sqlx::query_as(
                "SELECT id, next_starts_at, next_plan_id, next_seats, next_keep FROM subscriptions \
                 WHERE next_starts_at IS NOT NULL AND next_starts_at <= $1 ORDER BY id",
            )
            .bind(to_micros(now))
            .fetch_all(&mut *tx)
            .await?;
            let mut renewed = Vec::with_capacity(due.len());
            for (id, starts, plan, seats, keep) in due {
                // Another instance may have started it since the read.
                let started = sqlx::query(
                    "UPDATE subscriptions SET plan_id = $1, seats = $2, starts_at = $3, \
                     next_starts_at = NULL, next_plan_id = NULL, next_seats = NULL, \
                     next_keep = NULL, updated_at = $4 WHERE id = $5 AND next_starts_at IS NOT NULL",
                )
                .bind(plan)
                .bind(seats)
                .bind(starts)
                .bind(to_micros(now))
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if started == 0 {
                    continue;
                }
                let keep: Option<Vec<String>> = keep
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("next_keep: {e}")))?;
                let seats = u32::try_from(seats)
                    .map_err(|_| StoreError::Corrupt(format!("next_seats {seats}")))?;
                drop_unkept!(tx, id, keep.as_deref(), seats, &actor, "renewal", now);
                audit!(tx, now, &actor, "subscription.renewed", "subscription", id, None::<String>);
                renewed.push(id);
            }
            renewed
        }))
    }

    /// Writes down the expiry of every trial and term that ran out by `now`; their ids.
    pub async fn expire_subscriptions(&self, now: Timestamp) -> Result<Vec<i64>> {
        let ids = in_tx!(self, tx => {
            let ids: Vec<i64> = sqlx::query_scalar(
                "UPDATE subscriptions SET state = 'expired', updated_at = $1 \
                 WHERE state IN ('trialing', 'active') AND expires_at <= $1 RETURNING id",
            )
            .bind(to_micros(now))
            .fetch_all(&mut *tx)
            .await?;
            for id in &ids {
                audit!(tx, now, Actor::System, "subscription.expired", "subscription", id, None::<String>);
            }
            ids
        });
        Ok(ids)
    }

    /// Queues each reminder due at `now` (30, 7, 1 days before expiry and on it) that was not
    /// sent for this expiry yet; the primary key on (subscription, expiry, kind) makes it
    /// once however many instances run this. The number queued.
    pub async fn send_reminders(
        &self,
        now: Timestamp,
        mail: impl Fn(&ReminderDue) -> Result<Mail>,
    ) -> Result<u32> {
        let sql = format!(
            "SELECT a.username, a.email, a.language, sub.* FROM ({SUBSCRIPTION_SELECT} \
             WHERE s.state IN ('trialing', 'active', 'expired') \
             AND s.expires_at <= $1 AND s.expires_at > $2) sub \
             JOIN accounts a ON a.id = sub.account_id ORDER BY sub.id"
        );
        #[derive(sqlx::FromRow)]
        struct DueRow {
            username: String,
            email: String,
            language: String,
            #[sqlx(flatten)]
            sub: SubscriptionRow,
        }
        let horizon = now + (30 * 24).hours();
        let oldest = now - (30 * 24).hours();
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, DueRow>(&sql)
                .bind(to_micros(horizon))
                .bind(to_micros(oldest))
                .fetch_all(db)
                .await?
        });
        let mut sent = 0;
        for row in rows {
            let subscription = SubscriptionRecord::try_from(row.sub)?;
            let Some(kind) = Reminder::due(subscription.expires_at, now) else {
                continue;
            };
            let due = ReminderDue {
                subscription,
                kind,
                username: row.username,
                email: row.email,
                language: row.language,
            };
            let message = mail(&due)?;
            let queued = in_tx!(self, tx => {
                let fresh = sqlx::query(
                    "INSERT INTO subscription_reminders (subscription_id, expires_at, kind, sent_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(due.subscription.id)
                .bind(to_micros(due.subscription.expires_at))
                .bind(kind.as_str())
                .bind(to_micros(now))
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if fresh {
                    enqueue_mail!(tx, now, &message);
                }
                fresh
            });
            sent += u32::from(queued);
        }
        Ok(sent)
    }
}
