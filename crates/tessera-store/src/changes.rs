//! How a change reaches every instance's memory: the site cache drops an account after a
//! committed change (`Store::changed`), and on PostgreSQL the change is announced with NOTIFY
//! on [`CHANGES_CHANNEL`] (see `backend::postgres::announce`), which every instance's change
//! listener hears. The signing keys' epoch moves the same way.

use std::sync::atomic::Ordering;

use crate::Store;
use crate::backend::Backend;

/// The PostgreSQL channel that carries account ids (or `*` for everything) that changed.
pub(crate) const CHANGES_CHANNEL: &str = "tessera_changes";

/// The change-channel payload that says "reload the signing keys".
pub(crate) const SIGNING_KEYS_CHANGED: &str = "signing_keys";

/// The change-channel payload that says "drop everything" (a change that reaches every
/// account's licenses, such as a new module).
pub(crate) const EVERYTHING_CHANGED: &str = "*";

impl Store {
    /// Drops this instance's cached view of the account (after a committed change).
    pub(crate) fn changed(&self, account_id: i64) {
        self.cache.invalidate(account_id);
    }

    /// Changes to the signing keys seen by this instance (its own and, on PostgreSQL, other
    /// instances' through the change listener): a keyring reloads when it moves.
    pub fn signing_keys_epoch(&self) -> u64 {
        self.keys_epoch.load(Ordering::Acquire)
    }

    pub(crate) fn signing_keys_changed(&self) {
        self.keys_epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// Listens for other instances' changes and drops what they invalidate (PostgreSQL; a
    /// no-op on SQLite). Runs until the store is closed.
    pub fn spawn_change_listener(&self) -> Option<tokio::task::JoinHandle<()>> {
        let Backend::Postgres(pools) = &self.backend else {
            return None;
        };
        let pool = pools.pool().clone();
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
                            SIGNING_KEYS_CHANGED => store.signing_keys_changed(),
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
