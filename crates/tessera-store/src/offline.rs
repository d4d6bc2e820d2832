//! Offline activation by file (X1): each product's offline policy and the requests answered
//! by file, kept by nonce so that one request is answered for one machine only. Their SQL is
//! `sql/offline.rs`.

use jiff::Timestamp;
use tessera_core::{Actor, Fingerprint, Nonce, OfflinePolicy};

use crate::catalog::ProductRecord;
use crate::{Result, Store};

/// A request answered by file, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineAnswer {
    pub fingerprint: String,
    /// `activation` or `revalidation`.
    pub kind: String,
    /// The installation answered (public id) and its account.
    pub site_id: String,
    pub account_id: i64,
    /// The response file, verbatim as it was first given.
    pub response: String,
}

/// What to keep of a request just answered.
#[derive(Debug, Clone, Copy)]
pub struct NewOfflineAnswer<'a> {
    pub nonce: &'a Nonce,
    pub fingerprint: &'a Fingerprint,
    pub kind: &'a str,
    /// The installation's internal id.
    pub site_id: i64,
    pub response: &'a str,
}

impl Store {
    /// The answer given to the request with `nonce`, if any.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn offline_answer(&self, nonce: &Nonce) -> Result<Option<OfflineAnswer>> {
        on_backend!(self, |db| sql::offline::answer(db, nonce.as_str()))
    }

    /// Keeps the answer to a request, on record for `actor`; returns what is stored for its
    /// nonce, which is an earlier answer when another upload of the same request got there
    /// first (the caller compares).
    #[tracing::instrument(level = "debug", skip_all, fields(kind = new.kind))]
    pub async fn record_offline_answer(
        &self,
        new: NewOfflineAnswer<'_>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<OfflineAnswer> {
        on_backend!(self, |db| sql::offline::record(db, new, actor, now))?;
        self.offline_answer(new.nonce)
            .await?
            .ok_or(crate::StoreError::NotFound("offline request"))
    }

    /// Sets the product's offline policy (X1); audited.
    #[tracing::instrument(level = "debug", skip_all, fields(product = product))]
    pub async fn set_offline_policy(
        &self,
        product: &str,
        policy: OfflinePolicy,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ProductRecord> {
        on_backend!(self, |db| sql::offline::set_policy(
            db, product, policy, actor, now
        ))?;
        // The installations' cached terms name the policy.
        self.cache.clear();
        self.product(product).await
    }
}
