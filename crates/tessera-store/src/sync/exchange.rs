//! What a site's client does: the first-sync lease, push, pull, and its standing.

use jiff::Timestamp;
use tessera_core::sync::{AnotherSiteSyncing, CloudKeys, Lease, LeaseLost};

use super::{AccountSyncState, PulledPage, PushIn, PushResult, SiteSyncState};
use crate::{Result, Store};

impl Store {
    /// `site_id` starts its first sync: the lease and the newest version, or who holds it.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn start_first_sync(
        &self,
        account_id: i64,
        site_id: &str,
        now: Timestamp,
    ) -> Result<std::result::Result<(Lease, i64), AnotherSiteSyncing>> {
        on_backend!(self, |db| sql::sync::lease::start(
            db, account_id, site_id, now
        ))
    }

    /// `site_id` renews its lease.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn renew_first_sync(
        &self,
        account_id: i64,
        site_id: &str,
        now: Timestamp,
    ) -> Result<std::result::Result<Lease, LeaseLost>> {
        on_backend!(self, |db| sql::sync::lease::renew(
            db, account_id, site_id, now
        ))
    }

    /// `site_id` finishes its first sync: the lease is released, the site marked synced.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn finish_first_sync(
        &self,
        account_id: i64,
        site_id: &str,
        now: Timestamp,
    ) -> Result<std::result::Result<(), LeaseLost>> {
        on_backend!(self, |db| sql::sync::lease::finish(
            db, account_id, site_id, now
        ))
    }

    /// Applies a batch in one transaction, or gives the answer it had (same batch id).
    #[tracing::instrument(level = "debug", skip_all, fields(site = push.site_id, batch = push.batch_id, changes = push.changes.len()))]
    pub async fn push_changes(&self, push: &PushIn<'_>, now: Timestamp) -> Result<PushResult> {
        // Owned, for the writers' thread (a few hundred bytes a change).
        let account_id = push.account_id;
        let (site_id, batch_id) = (push.site_id.to_owned(), push.batch_id.to_owned());
        let (request_hash, changes) = (push.request_hash.to_owned(), push.changes.to_vec());
        on_backend!(self, |db| db.isolated(|db| async move {
            let push = PushIn {
                account_id,
                site_id: &site_id,
                batch_id: &batch_id,
                request_hash: &request_hash,
                changes: &changes,
            };
            sql::sync::push::push(&db, &push, now).await
        }))
    }

    /// Forgets the answers kept for a replay of batches applied before `before` (the daily
    /// purge, after `sync_batch_days`). Returns how many.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn purge_sync_batches(&self, before: Timestamp) -> Result<u64> {
        on_backend!(self, |db| sql::sync::push::purge_batches(db, before))
    }

    /// The changes after `cursor` that `site_id` may see (the account's master data and its
    /// own site data), oldest first, at most `limit`; notes how far the site pulled (committed
    /// in batches: `sync::pull_log`).
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn pull_changes(
        &self,
        account_id: i64,
        site_id: &str,
        cursor: i64,
        limit: u32,
        now: Timestamp,
    ) -> Result<PulledPage> {
        let page = on_backend!(self, |db| sql::sync::read::pull(
            db, account_id, site_id, cursor, limit
        ))?;
        let pulled = super::pull_log::Pulled {
            account_id,
            cursor: page.next_cursor,
            at: now,
        };
        self.pulls.record(site_id, pulled);
        Ok(page)
    }

    /// Where every site of the account stands in the sync (the overview's column).
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn account_sync_state(&self, account_id: i64) -> Result<AccountSyncState> {
        self.flush_pulls().await?;
        on_backend!(self, |db| sql::sync::read::account_state(db, account_id))
    }

    /// Where `site_id`'s sync stands.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn site_sync_state(&self, account_id: i64, site_id: &str) -> Result<SiteSyncState> {
        self.flush_pulls().await?;
        on_backend!(self, |db| sql::sync::read::site_state(
            db, account_id, site_id
        ))
    }

    /// Which cloud records hold the account-scoped unique values of `keys`
    /// (collection id, collection name, field, value), for the data check (E7).
    #[tracing::instrument(level = "debug", skip_all, fields(keys = keys.len()))]
    pub async fn sync_key_holders(
        &self,
        account_id: i64,
        keys: &[(i64, String, String, String)],
    ) -> Result<CloudKeys> {
        on_backend!(self, |db| sql::sync::read::key_holders(
            db, account_id, keys
        ))
    }
}
