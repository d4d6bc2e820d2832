//! Installations (C1–C2, B4, D5): activation binds a registered key's site to a machine;
//! deactivation releases it; operators suspend, resume and set expiry; the client sends its
//! site data; validations are recorded in batches.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use tessera_core::license::Installation;
use tessera_core::{
    Activation, Actor, Fingerprint, KeyStatus, ProductKey, SiteBinding, SiteStatus, TransferPolicy,
    decide_activation,
};

use crate::audit::audit;
use crate::site_cache::{AccountSites, CHANGES_CHANNEL, SiteView};
use crate::{Backend, BackendKind, Result, Store, StoreError, from_micros, to_micros};

/// Who may act on an installation.
#[derive(Debug, Clone, Copy)]
pub enum SiteScope<'a> {
    /// An operator: any installation.
    Any,
    /// A customer account: its own installations only.
    Account(i64),
    /// The site's client: only while this (SHA-256 of the) site token is the current one.
    Token(&'a str),
}

impl SiteScope<'_> {
    pub(crate) fn allows(&self, account_id: i64, token_hash: Option<&str>) -> bool {
        match self {
            SiteScope::Any => true,
            SiteScope::Account(a) => *a == account_id,
            SiteScope::Token(t) => token_hash == Some(*t),
        }
    }
}

/// How the activating client names its account (C1, B4).
#[derive(Debug, Clone, Copy)]
pub enum AccountRef<'a> {
    Email(&'a str),
    Vat(&'a str),
}

#[derive(Debug, Clone)]
pub struct ActivationRequest<'a> {
    pub account: AccountRef<'a>,
    pub key: &'a ProductKey,
    pub fingerprint: &'a Fingerprint,
    /// The installation to bind, when the account has several for the key's product.
    pub installation: Option<&'a str>,
    /// SHA-256 of the new site token the client will use for its later calls.
    pub token_hash: &'a str,
}

#[derive(Debug, Clone)]
pub enum ActivationResult {
    Done {
        activation: Activation,
        site: Box<SiteView>,
    },
    /// Identified by VAT number with several installations: the client must name one.
    ChooseInstallation(Vec<Installation>),
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    id: i64,
    public_id: String,
    account_id: i64,
    status: String,
    label: String,
    fingerprint: Option<String>,
    transfers: i64,
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
    edition: String,
    edition_name: String,
    size: String,
    limits: String,
    licensee: String,
}

const SITE_SELECT: &str = "\
    SELECT s.id, s.public_id, s.account_id, s.status, s.label, s.fingerprint, s.transfers, \
           s.expires_at, s.data, s.activated_at, s.deactivated_at, s.last_validated_at, \
           s.created_at, k.key, k.status AS key_status, p.id AS product_id, p.code AS product, \
           p.name AS product_name, p.grace_days, p.max_transfers, e.code AS edition, \
           e.name AS edition_name, z.code AS size, z.limits, a.company_name AS licensee \
    FROM sites s JOIN product_keys k ON k.id = s.key_id \
    JOIN editions e ON e.id = k.edition_id JOIN products p ON p.id = e.product_id \
    JOIN sizes z ON z.id = k.size_id JOIN accounts a ON a.id = s.account_id";

const MODULES_SQL: &str = "\
    SELECT m.product_id, m.code FROM modules m WHERE m.product_id IN ( \
        SELECT e.product_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
        JOIN editions e ON e.id = k.edition_id WHERE s.account_id = $1) \
    ORDER BY m.code";

fn small(v: i64, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{what} {v}")))
}

fn to_view(r: SiteRow, modules: &[(i64, String)]) -> Result<SiteView> {
    let corrupt =
        |what: &str, e: String| StoreError::Corrupt(format!("site {}: {what}: {e}", r.public_id));
    Ok(SiteView {
        id: r.id,
        status: r.status.parse().map_err(|e| corrupt("status", e))?,
        fingerprint: r
            .fingerprint
            .as_deref()
            .map(Fingerprint::parse)
            .transpose()
            .map_err(|e| corrupt("fingerprint", e.to_string()))?,
        key: ProductKey::parse(&r.key).map_err(|e| corrupt("key", e.to_string()))?,
        key_status: r.key_status.parse().map_err(|e| corrupt("key status", e))?,
        limits: serde_json::from_str::<BTreeMap<String, u32>>(&r.limits)
            .map_err(|e| corrupt("limits", e.to_string()))?,
        modules: modules
            .iter()
            .filter(|(p, _)| *p == r.product_id)
            .map(|(_, code)| code.clone())
            .collect(),
        transfers: small(r.transfers, "transfers")?,
        grace_days: small(r.grace_days, "grace_days")?,
        max_transfers: small(r.max_transfers, "max_transfers")?,
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

/// Announces a change of `$account` to every instance (PostgreSQL NOTIFY is delivered at
/// commit; SQLite has one instance, which [`Store::changed`] covers).
macro_rules! announce {
    ($store:expr, $tx:ident, $account:expr) => {
        if $store.kind() == crate::BackendKind::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(crate::site_cache::CHANGES_CHANNEL)
                .bind($account.to_string())
                .execute(&mut *$tx)
                .await?;
        }
    };
}
pub(crate) use announce;

impl Store {
    /// `clause` on PostgreSQL (row locks); nothing on SQLite, whose BEGIN IMMEDIATE already
    /// serializes every write transaction.
    pub(crate) fn row_lock(&self, clause: &'static str) -> &'static str {
        match self.kind() {
            BackendKind::Postgres => clause,
            BackendKind::Sqlite => "",
        }
    }

    /// Drops this instance's cached view of the account (after a committed change).
    pub(crate) fn changed(&self, account_id: i64) {
        self.cache.invalidate(account_id);
    }

    /// Every installation of the account, read from the database.
    pub async fn account_sites(&self, account_id: i64) -> Result<AccountSites> {
        let (rows, modules) = on_db!(self, read, db => {
            let rows = sqlx::query_as::<_, SiteRow>(&format!(
                "{SITE_SELECT} WHERE s.account_id = $1 ORDER BY s.id"
            ))
            .bind(account_id)
            .fetch_all(db)
            .await?;
            let modules: Vec<(i64, String)> =
                sqlx::query_as(MODULES_SQL).bind(account_id).fetch_all(db).await?;
            (rows, modules)
        });
        Ok(AccountSites {
            account_id,
            sites: rows
                .into_iter()
                .map(|r| to_view(r, &modules))
                .collect::<Result<_>>()?,
        })
    }

    /// The installation and its account's others, from memory when cached. What validation
    /// reads on every call.
    pub async fn cached_sites(&self, public_id: &str) -> Result<Option<Arc<AccountSites>>> {
        if let Some(hit) = self.cache.get(public_id) {
            return Ok(Some(hit));
        }
        let epoch = self.cache.epoch();
        let account_id: Option<i64> = on_db!(self, read, db => {
            sqlx::query_scalar("SELECT account_id FROM sites WHERE public_id = $1")
                .bind(public_id)
                .fetch_optional(db)
                .await?
        });
        let Some(account_id) = account_id else {
            return Ok(None);
        };
        let sites = Arc::new(self.account_sites(account_id).await?);
        self.cache.offer(epoch, sites.clone());
        Ok(Some(sites))
    }

    /// One installation, read from the database (operators, the portal).
    pub async fn site(&self, public_id: &str) -> Result<SiteView> {
        let account_id: i64 = on_db!(self, read, db => {
            sqlx::query_scalar("SELECT account_id FROM sites WHERE public_id = $1")
                .bind(public_id)
                .fetch_optional(db)
                .await?
        })
        .ok_or(StoreError::NotFound("site"))?;
        self.account_sites(account_id)
            .await?
            .sites
            .into_iter()
            .find(|s| s.public_id == public_id)
            .ok_or(StoreError::NotFound("site"))
    }

    /// Activates an installation (C1–C2) in one transaction: finds the account and key,
    /// picks the installation, locks it, lets the transfer policy decide, binds it and rotates
    /// the site token. An unknown account, a key of another account, an unregistered or
    /// revoked key all fail with the one code `KEY_INVALID`.
    pub async fn activate(
        &self,
        req: &ActivationRequest<'_>,
        now: Timestamp,
    ) -> Result<ActivationResult> {
        let now_us = to_micros(now);
        // Concurrent activations of one installation queue on the row locks.
        let lock = self.row_lock(" FOR UPDATE OF s, k");
        let (account_field, account_value) = match req.account {
            AccountRef::Email(e) => ("email", e.trim().to_lowercase()),
            AccountRef::Vat(v) => ("vat_number", v.to_owned()),
        };
        let invalid = || StoreError::Conflict("KEY_INVALID");
        let outcome = in_tx!(self, tx => 'body: {
            let account_id: i64 = sqlx::query_scalar(&format!(
                "SELECT id FROM accounts WHERE {account_field} = $1"
            ))
            .bind(&account_value)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(invalid)?;
            let (key_site, key_status, product_id): (String, String, i64) = sqlx::query_as(
                "SELECT s.public_id, k.status, e.product_id FROM product_keys k \
                 JOIN sites s ON s.key_id = k.id JOIN editions e ON e.id = k.edition_id \
                 WHERE k.key = $1 AND k.account_id = $2",
            )
            .bind(req.key.compact())
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(invalid)?;
            let key_status: KeyStatus = key_status.parse().map_err(StoreError::Corrupt)?;
            key_status.activate().map_err(|_| invalid())?;
            // The installations the key may bind: its own when named by email; by VAT number
            // any of the account's installations of the same product.
            let candidates: Vec<String> = match req.account {
                AccountRef::Email(_) => vec![key_site],
                AccountRef::Vat(_) => sqlx::query_scalar(
                    "SELECT s.public_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
                     JOIN editions e ON e.id = k.edition_id \
                     WHERE s.account_id = $1 AND e.product_id = $2 ORDER BY s.id",
                )
                .bind(account_id)
                .bind(product_id)
                .fetch_all(&mut *tx)
                .await?,
            };
            let target = match req.installation {
                Some(chosen) => candidates
                    .iter()
                    .find(|c| c.as_str() == chosen)
                    .cloned()
                    .ok_or(StoreError::NotFound("installation"))?,
                None if candidates.len() == 1 => candidates[0].clone(),
                // Read-only so far: the list is built after this transaction ends, so it never
                // holds two pool connections at once.
                None => break 'body Ok(Err((account_id, candidates))),
            };
            let (site_id, status, fingerprint, transfers, max_transfers, site_key_id, site_key_status):
                (i64, String, Option<String>, i64, i64, i64, String) = sqlx::query_as(&format!(
                "SELECT s.id, s.status, s.fingerprint, s.transfers, p.max_transfers, k.id, k.status \
                 FROM sites s JOIN product_keys k ON k.id = s.key_id \
                 JOIN editions e ON e.id = k.edition_id JOIN products p ON p.id = e.product_id \
                 WHERE s.public_id = $1{lock}"
            ))
            .bind(&target)
            .fetch_one(&mut *tx)
            .await?;
            let site_key_status: KeyStatus = site_key_status.parse().map_err(StoreError::Corrupt)?;
            let new_key_status = site_key_status.activate().map_err(|_| invalid())?;
            let binding = SiteBinding {
                status: status.parse().map_err(StoreError::Corrupt)?,
                fingerprint: fingerprint
                    .as_deref()
                    .map(Fingerprint::parse)
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                transfers: small(transfers, "transfers")?,
            };
            let policy = TransferPolicy { max_transfers: small(max_transfers, "max_transfers")? };
            let activation = decide_activation(&binding, req.fingerprint, policy)
                .map_err(|refused| StoreError::Conflict(refused.code()))?;
            let transfers_after = transfers + i64::from(activation == Activation::Transfer);
            sqlx::query(
                "UPDATE sites SET status = 'active', fingerprint = $2, token_hash = $3, \
                 transfers = $4, activated_at = CASE WHEN $5 THEN activated_at ELSE $6 END, \
                 deactivated_at = NULL, updated_at = $6 WHERE id = $1",
            )
            .bind(site_id)
            .bind(req.fingerprint.as_str())
            .bind(req.token_hash)
            .bind(transfers_after)
            .bind(activation == Activation::Again)
            .bind(now_us)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE product_keys SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(new_key_status.as_str())
                .bind(now_us)
                .bind(site_key_id)
                .execute(&mut *tx)
                .await?;
            let action = match activation {
                Activation::Bind => "site.activated",
                Activation::Again => "site.reactivated",
                Activation::Transfer => "site.transferred",
            };
            audit!(tx, now, Actor::System, action, "site", target,
                Some(format!("fingerprint {}…", &req.fingerprint.as_str()[..12])));
            announce!(self, tx, account_id);
            Ok::<_, StoreError>(Ok((account_id, target, activation)))
        })?;
        let (account_id, target, activation) = match outcome {
            Ok(done) => done,
            Err((account_id, candidates)) => {
                return Ok(ActivationResult::ChooseInstallation(
                    self.account_sites(account_id)
                        .await?
                        .sites
                        .iter()
                        .filter(|s| candidates.contains(&s.public_id))
                        .map(installation)
                        .collect(),
                ));
            }
        };
        self.changed(account_id);
        let site = Box::new(self.site(&target).await?);
        Ok(ActivationResult::Done { activation, site })
    }

    /// Releases an active installation from its machine. `scope` says who may: anyone (an
    /// operator), the owning account (another account's installation is "not found"), or the
    /// client holding the current site token (checked in the same transaction, so a request
    /// that raced a transfer cannot release the new machine). `SITE_NOT_ACTIVE` if not bound.
    pub async fn deactivate_site(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SiteView> {
        let now_us = to_micros(now);
        let lock = self.row_lock(" FOR UPDATE OF s, k");
        let account_id = in_tx!(self, tx => {
            let found: Option<(i64, i64, String, Option<String>, i64, String)> =
                sqlx::query_as(&format!(
                    "SELECT s.id, s.account_id, s.status, s.token_hash, k.id, k.status \
                     FROM sites s JOIN product_keys k ON k.id = s.key_id \
                     WHERE s.public_id = $1{lock}"
                ))
                .bind(public_id)
                .fetch_optional(&mut *tx)
                .await?;
            let (site_id, account_id, status, _token, key_id, key_status) = found
                .filter(|f| scope.allows(f.1, f.3.as_deref()))
                .ok_or(StoreError::NotFound("site"))?;
            if status != SiteStatus::Active.as_str() {
                return Err(StoreError::Conflict("SITE_NOT_ACTIVE"));
            }
            sqlx::query(
                "UPDATE sites SET status = 'deactivated', fingerprint = NULL, token_hash = NULL, \
                 deactivated_at = $2, updated_at = $2 WHERE id = $1",
            )
            .bind(site_id)
            .bind(now_us)
            .execute(&mut *tx)
            .await?;
            let old: KeyStatus = key_status.parse().map_err(StoreError::Corrupt)?;
            // A revoked key stays revoked; the row is locked, so nothing changed it since.
            if let Ok(new) = old.deactivate() {
                sqlx::query(
                    "UPDATE product_keys SET status = $1, updated_at = $2 \
                     WHERE id = $3 AND status = $4",
                )
                .bind(new.as_str())
                .bind(now_us)
                .bind(key_id)
                .bind(old.as_str())
                .execute(&mut *tx)
                .await?;
            }
            audit!(tx, now, actor, "site.deactivated", "site", public_id, None::<String>);
            announce!(self, tx, account_id);
            account_id
        });
        self.changed(account_id);
        self.site(public_id).await
    }

    /// Suspends (or resumes) an installation. Resuming returns it to active when a machine is
    /// bound, otherwise to deactivated or registered.
    pub async fn set_site_suspended(
        &self,
        public_id: &str,
        suspended: bool,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SiteView> {
        let now_us = to_micros(now);
        let account_id = in_tx!(self, tx => {
            let (site_id, account_id, status): (i64, i64, String) =
                sqlx::query_as("SELECT id, account_id, status FROM sites WHERE public_id = $1")
                    .bind(public_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound("site"))?;
            let is_suspended = status == SiteStatus::Suspended.as_str();
            if is_suspended == suspended {
                return Err(StoreError::Conflict(if suspended {
                    "SITE_ALREADY_SUSPENDED"
                } else {
                    "SITE_NOT_SUSPENDED"
                }));
            }
            let sql = if suspended {
                "UPDATE sites SET status = 'suspended', updated_at = $2 WHERE id = $1"
            } else {
                "UPDATE sites SET status = CASE WHEN fingerprint IS NOT NULL THEN 'active' \
                 WHEN activated_at IS NOT NULL THEN 'deactivated' ELSE 'registered' END, \
                 updated_at = $2 WHERE id = $1"
            };
            sqlx::query(sql).bind(site_id).bind(now_us).execute(&mut *tx).await?;
            let action = if suspended { "site.suspended" } else { "site.resumed" };
            audit!(tx, now, actor, action, "site", public_id, None::<String>);
            announce!(self, tx, account_id);
            account_id
        });
        self.changed(account_id);
        self.site(public_id).await
    }

    /// Sets or clears the date the installation's license expires.
    pub async fn set_site_expiry(
        &self,
        public_id: &str,
        expires_at: Option<Timestamp>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SiteView> {
        let account_id = in_tx!(self, tx => {
            let account_id: i64 = sqlx::query_scalar(
                "UPDATE sites SET expires_at = $2, updated_at = $3 WHERE public_id = $1 \
                 RETURNING account_id",
            )
            .bind(public_id)
            .bind(expires_at.map(to_micros))
            .bind(to_micros(now))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
            audit!(tx, now, actor, "site.expiry_set", "site", public_id,
                Some(expires_at.map_or("never".to_owned(), |t| t.to_string())));
            announce!(self, tx, account_id);
            account_id
        });
        self.changed(account_id);
        self.site(public_id).await
    }

    /// The installation (public id) and account a client's site token belongs to (only while
    /// it is bound).
    pub async fn site_for_token(&self, token_hash: &str) -> Result<Option<(String, i64)>> {
        Ok(on_db!(self, read, db => {
            sqlx::query_as("SELECT public_id, account_id FROM sites WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(db)
                .await?
        }))
    }

    /// Stores the site data the client sends after activation (C1) and the label made of it,
    /// while `token_hash` is the site's current token.
    pub async fn set_site_data(
        &self,
        public_id: &str,
        token_hash: &str,
        data: &str,
        label: &str,
        now: Timestamp,
    ) -> Result<SiteView> {
        let account_id = in_tx!(self, tx => {
            let account_id: i64 = sqlx::query_scalar(
                "UPDATE sites SET data = $2, label = $3, updated_at = $4 \
                 WHERE public_id = $1 AND token_hash = $5 RETURNING account_id",
            )
            .bind(public_id)
            .bind(data)
            .bind(label)
            .bind(to_micros(now))
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
            audit!(tx, now, Actor::Site(public_id.to_owned()), "site.data_updated", "site",
                public_id, None::<String>);
            announce!(self, tx, account_id);
            account_id
        });
        self.changed(account_id);
        self.site(public_id).await
    }

    /// Records the latest successful validation of each site, in one transaction.
    pub async fn record_validations(&self, latest: &[(i64, Timestamp)]) -> Result<()> {
        if latest.is_empty() {
            return Ok(());
        }
        in_tx!(self, tx => {
            for (site_id, at) in latest {
                sqlx::query(
                    "UPDATE sites SET last_validated_at = $2 WHERE id = $1 \
                     AND (last_validated_at IS NULL OR last_validated_at < $2)",
                )
                .bind(site_id)
                .bind(to_micros(*at))
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }

    /// Listens for other instances' changes and drops what they invalidate (PostgreSQL; a
    /// no-op on SQLite). Runs until the store is closed.
    pub fn spawn_change_listener(&self) -> Option<tokio::task::JoinHandle<()>> {
        let Backend::Postgres(pool) = &self.backend else {
            return None;
        };
        let pool = pool.clone();
        let store = self.clone();
        Some(tokio::spawn(async move {
            loop {
                let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(l) => l,
                    Err(_) if pool.is_closed() => return,
                    Err(e) => {
                        tracing::warn!(error = %e, "change listener cannot connect; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        continue;
                    }
                };
                if let Err(e) = listener.listen(CHANGES_CHANNEL).await {
                    tracing::warn!(error = %e, "LISTEN failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
                // Changes made before LISTEN took effect were never heard: start clean.
                store.cache.clear();
                store.signing_keys_changed();
                loop {
                    match listener.try_recv().await {
                        Ok(Some(n)) => match n.payload() {
                            crate::signing_keys::SIGNING_KEYS_CHANGED => {
                                store.signing_keys_changed()
                            }
                            payload => match payload.parse::<i64>() {
                                Ok(account) => store.cache.invalidate(account),
                                Err(_) => store.cache.clear(),
                            },
                        },
                        // The connection dropped: notices may have been missed.
                        Ok(None) => {
                            store.cache.clear();
                            store.signing_keys_changed();
                        }
                        Err(_) if pool.is_closed() => return,
                        Err(e) => {
                            tracing::warn!(error = %e, "change listener failed; reconnecting");
                            store.cache.clear();
                            store.signing_keys_changed();
                            break;
                        }
                    }
                }
            }
        }))
    }
}
