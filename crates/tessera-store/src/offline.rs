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
    /// The response file, verbatim as it was first given; empty while the request is
    /// being answered (reserved, not answered yet).
    pub response: String,
}

impl OfflineAnswer {
    /// Reserved for its machine, not answered yet.
    pub fn pending(&self) -> bool {
        self.response.is_empty()
    }
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

    /// Reserves the request's nonce for its machine before it is answered, so that no two
    /// machines are ever bound for one nonce: None when this call reserved it, else what is
    /// stored for the nonce (another machine's, an answer, or the same machine's upload in
    /// progress). `site_id` is the key's installation, until the answer names the one bound.
    #[tracing::instrument(level = "debug", skip_all, fields(kind = kind))]
    pub async fn reserve_offline_request(
        &self,
        nonce: &Nonce,
        fingerprint: &Fingerprint,
        kind: &str,
        site_id: i64,
        now: Timestamp,
    ) -> Result<Option<OfflineAnswer>> {
        let reserved = on_backend!(self, |db| sql::offline::reserve(
            db,
            nonce.as_str(),
            fingerprint.as_str(),
            kind,
            site_id,
            now
        ))?;
        if reserved {
            return Ok(None);
        }
        self.offline_answer(nonce).await
    }

    /// Frees a reservation whose request was refused, so that the same request may be
    /// answered once what refused it is set right (a released machine, a transfer allowed).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn release_offline_request(&self, nonce: &Nonce) -> Result<()> {
        on_backend!(self, |db| sql::offline::release(db, nonce.as_str()))
    }

    /// Keeps the answer to a reserved request, on record for `actor`; returns what is
    /// stored for its nonce, which is an earlier answer when another upload of the same
    /// request (same machine) got there first (the caller compares).
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
