//! Primary and backup servers (D3) on the client: the order to try, switching by hand,
//! testing a connection, and running one call with automatic failover.

use std::time::{Duration, Instant};

use tessera_api::PublicKeys;

use crate::client::{Client, lock};
use crate::errors::{ClientError, Result, ServerFailure};
use crate::servers::{ServerList, normalize};
use crate::state_file::StoredState;

/// What [`Client::test_connection`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionTest {
    pub server: String,
    pub round_trip: Duration,
    /// The server publishes a key this client trusts: it is (one of) the vendor's servers.
    pub trusted_key_published: bool,
}

impl Client {
    /// The configured servers, primary first.
    pub fn servers(&self) -> &ServerList {
        &self.cfg.servers
    }

    /// The server tried first: the last that answered, or the one selected.
    pub fn current_server(&self) -> String {
        let preferred = lock(&self.preferred).clone();
        self.cfg.servers.failover_order(preferred.as_deref())[0].to_owned()
    }

    /// Makes `server` (one of the configured ones) the first to try, and saves the choice.
    pub fn select_server(&self, server: &str) -> Result<()> {
        let server = normalize(server)?;
        if !self.cfg.servers.contains(&server) {
            return Err(ClientError::Config(format!(
                "{server} is not a configured server"
            )));
        }
        let mut stored = lock(&self.stored);
        if let Some(current) = stored.as_ref() {
            let new = StoredState {
                server: Some(server.clone()),
                ..current.clone()
            };
            self.save(&mut stored, &new)?;
            *stored = Some(new);
        }
        *lock(&self.preferred) = Some(server);
        Ok(())
    }

    /// Asks `server` (any URL) for its public keys: does it answer, how fast, and is it one
    /// of the vendor's?
    pub fn test_connection(&self, server: &str) -> Result<ConnectionTest> {
        let server = normalize(server)?;
        let started = Instant::now();
        let keys: PublicKeys = self.transport.get(&server, "/api/v1/public-keys")?;
        let trusted_key_published = keys
            .keys
            .iter()
            .any(|k| k.retired_at.is_none() && self.cfg.trust.get(&k.key_id).is_some());
        Ok(ConnectionTest {
            server,
            round_trip: started.elapsed(),
            trusted_key_published,
        })
    }

    /// Runs `call` on each server in failover order until one succeeds or fails in a way
    /// another server would not fix.
    pub(crate) fn each_server<T>(
        &self,
        preferred: Option<&str>,
        mut call: impl FnMut(&str) -> Result<T>,
    ) -> Result<(String, T)> {
        let mut failures = Vec::new();
        for server in self.cfg.servers.failover_order(preferred) {
            match call(server) {
                Ok(v) => return Ok((server.to_owned(), v)),
                Err(e) if e.worth_failing_over() => failures.push(ServerFailure {
                    server: server.to_owned(),
                    error: e,
                }),
                Err(e) => return Err(e),
            }
        }
        match failures.len() {
            1 => Err(failures.remove(0).error),
            _ => Err(ClientError::AllServersFailed(failures)),
        }
    }
}
