//! Activation and deactivation (C1–C2, B4): binding a registered key's installation to a
//! machine under the transfer policy, and releasing it. Their SQL is `sql/activation.rs`.

use jiff::Timestamp;
use tessera_core::license::Installation;
use tessera_core::{Activation, Actor, Fingerprint, ProductKey};

use crate::site_cache::SiteView;
use crate::sites::{SiteScope, installation};
use crate::{Result, Store};

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
    /// Answered by file (X1): the machine will not check online.
    pub by_file: bool,
    /// By file: the public key the machine's deactivation will be signed with, if its
    /// client named one.
    pub machine_key: Option<&'a str>,
    /// By file: the request's nonce (the newest activation by file, which a deactivation
    /// names).
    pub file_nonce: Option<&'a str>,
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

impl Store {
    /// Activates an installation (C1–C2) in one transaction: finds the account and key,
    /// picks the installation, locks it, lets the transfer policy decide, binds it and rotates
    /// the site token. An unknown account, a key of another account, an unregistered or
    /// revoked key all fail with the one code `KEY_INVALID`.
    #[tracing::instrument(level = "debug", skip_all, fields(installation = req.installation))]
    pub async fn activate(
        &self,
        req: &ActivationRequest<'_>,
        now: Timestamp,
    ) -> Result<ActivationResult> {
        let outcome = on_backend!(self, |db| sql::activation::activate(db, req, now))?;
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

    /// The account and installation (public id) the registered key `key` belongs to; None
    /// for a key that is unknown or not registered to an account. Whom a refused activation
    /// of the key concerns.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn key_installation(&self, key: &ProductKey) -> Result<Option<(i64, String)>> {
        on_backend!(self, |db| sql::activation::key_installation(db, key))
    }

    /// Releases an active installation from its machine. `scope` says who may: anyone (an
    /// operator), the owning account (another account's installation is "not found"), or the
    /// client holding the current site token (checked in the same transaction, so a request
    /// that raced a transfer cannot release the new machine). `SITE_NOT_ACTIVE` if not bound.
    #[tracing::instrument(level = "debug", skip_all, fields(site = public_id))]
    pub async fn deactivate_site(
        &self,
        public_id: &str,
        scope: SiteScope<'_>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SiteView> {
        let account_id = on_backend!(self, |db| sql::activation::deactivate_site(
            db, public_id, scope, actor, now,
        ))?;
        self.changed(account_id);
        self.site(public_id).await
    }
}
