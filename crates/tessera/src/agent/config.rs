//! The agent's configuration: a small TOML file naming the servers, the trust store, the
//! vendor salt and the state file. It becomes a `tessera_client::ClientConfig`; every rule
//! stays in the library.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use figment::Figment;
use figment::providers::{Format, Toml};
use jiff::SignedDuration;
use serde::Deserialize;
use tessera_client::{ClientConfig, MachineId, ServerList, Timeouts, TrustStore};

/// What `tessera agent config-example` prints.
pub const EXAMPLE_TOML: &str = r#"# tessera agent configuration. Relative paths are relative to this file's directory.

# Primary first, then backups (tried in order when one does not answer).
servers = ["https://licenses.vendor.example", "https://licenses2.vendor.example"]

# The vendor's public keys, as GET /api/v1/public-keys publishes them (JSON). Ship it with
# the product, or fetch it once with `tessera agent trust --from URL` and compare the key
# ids it prints with the ones the vendor gave you. The agent never adds keys by itself.
public_keys = "public-keys.json"

# Constant per product: salts the machine fingerprint and keys the state file's MAC.
vendor_salt = "acme-crm-2026"

# The license and validation state (owner-only; it holds the site token).
state_file = "/var/lib/tessera-agent/license.state"

# Cloud data sync (`tessera agent cloud …`, `tessera agent sync …`): the product's synced
# data, one folder per collection and one JSON file per record (drivers/d17.json). Default:
# `sync-data` beside the state file. The outbox and the sync state live beside the state
# file too (license.sync/).
# sync_data = "/var/lib/tessera-agent/sync-data"

# The vendor's own checks before the cloud is connected (`cloud check`, `cloud activate`):
# programs run with the sync data directory as their argument, each printing a JSON array
# of findings, [{"collection": "dispensers", "id": "disp-1", "problem": "…", "message": "…"}],
# or nothing when all is well. Any finding blocks the connection, as the rules' do.
# checks = ["/opt/fuel/bin/check-dispensers", "/opt/fuel/bin/check-sync-service"]

# The product's own version (a semantic version): below the minimum version the vendor
# sets, `status` says UPDATE_REQUIRED with the version needed.
# product_version = "1.2.9"

# Containers whose /etc/machine-id changes with each image: an id kept on a volume.
# machine_id = "6f1c0a…"

# warn_days = 3              # Warning this many days before the lock
# daily_at = "12:00"         # the daily validation, system time zone…
# jitter_secs = 1800         # …plus up to this much, at random
# startup_jitter_secs = 60   # the start-up validation of `tessera agent run`
# connect_timeout_secs = 3   # per server, before trying the next one
# timeout_secs = 8
"#;

/// The file as written; see [`EXAMPLE_TOML`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    pub servers: Vec<String>,
    pub public_keys: PathBuf,
    pub vendor_salt: String,
    pub state_file: PathBuf,
    pub sync_data: Option<PathBuf>,
    #[serde(default)]
    pub checks: Vec<PathBuf>,
    pub machine_id: Option<String>,
    pub product_version: Option<String>,
    pub warn_days: Option<u32>,
    pub daily_at: Option<jiff::civil::Time>,
    pub jitter_secs: Option<u64>,
    pub startup_jitter_secs: Option<u64>,
    pub connect_timeout_secs: Option<u64>,
    pub timeout_secs: Option<u64>,
}

impl AgentConfig {
    /// Reads `path`; relative paths inside become relative to its directory. A bad value is
    /// reported with its key and the file.
    pub fn load(path: &Path) -> anyhow::Result<AgentConfig> {
        anyhow::ensure!(
            path.exists(),
            "agent config file {} does not exist (give --config FILE or TESSERA_AGENT_CONFIG; \
             `tessera agent config-example` prints one)",
            path.display()
        );
        let mut cfg: AgentConfig = Figment::from(Toml::file_exact(path))
            .extract()
            .map_err(|e| anyhow::anyhow!("agent config: {e}"))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        cfg.public_keys = dir.join(&cfg.public_keys);
        cfg.state_file = dir.join(&cfg.state_file);
        cfg.sync_data = cfg.sync_data.map(|d| dir.join(d));
        for check in &mut cfg.checks {
            *check = dir.join(&check);
        }
        Ok(cfg)
    }

    /// Where the synced data lives: `sync_data`, else `sync-data` beside the state file.
    pub fn sync_data(&self) -> PathBuf {
        self.sync_data.clone().unwrap_or_else(|| {
            self.state_file
                .parent()
                .unwrap_or(Path::new("."))
                .join("sync-data")
        })
    }

    /// The trust store from the public keys file.
    pub fn trust(&self) -> anyhow::Result<TrustStore> {
        let json = std::fs::read_to_string(&self.public_keys).with_context(|| {
            format!(
                "the public keys file {} (named by public_keys; `tessera agent trust --from URL` \
                 fetches it once)",
                self.public_keys.display()
            )
        })?;
        TrustStore::from_published_json(&json)
            .map_err(|e| anyhow::anyhow!("{}: {} ({e})", self.public_keys.display(), e.code()))
    }

    /// The library's configuration, defaults kept where the file says nothing.
    pub fn client_config(&self) -> anyhow::Result<ClientConfig> {
        let servers = ServerList::new(&self.servers)
            .map_err(|e| anyhow::anyhow!("agent config, servers: {e}"))?;
        let mut cfg = ClientConfig::new(
            servers,
            self.trust()?,
            self.vendor_salt.clone(),
            &self.state_file,
        );
        if let Some(id) = &self.machine_id {
            cfg.machine_id = MachineId::Explicit(id.clone());
        }
        if let Some(days) = self.warn_days {
            cfg.warn_days = days;
        }
        cfg.product_version = self.product_version.clone();
        if let Some(at) = self.daily_at {
            cfg.schedule.daily_at = at;
        }
        if let Some(s) = self.jitter_secs {
            cfg.schedule.jitter = SignedDuration::from_secs(s.try_into()?);
        }
        if let Some(s) = self.startup_jitter_secs {
            cfg.schedule.startup_jitter = SignedDuration::from_secs(s.try_into()?);
        }
        let defaults = Timeouts::default();
        cfg.timeouts = Timeouts {
            connect: self
                .connect_timeout_secs
                .map_or(defaults.connect, Duration::from_secs),
            overall: self
                .timeout_secs
                .map_or(defaults.overall, Duration::from_secs),
        };
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_and_relative_paths_follow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agent.toml");
        std::fs::write(&path, EXAMPLE_TOML).unwrap();
        let cfg = AgentConfig::load(&path).unwrap();
        assert_eq!(cfg.public_keys, dir.path().join("public-keys.json"));
        assert_eq!(
            cfg.state_file,
            PathBuf::from("/var/lib/tessera-agent/license.state")
        );
        assert_eq!(cfg.servers.len(), 2);
    }

    #[test]
    fn a_bad_key_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agent.toml");
        std::fs::write(&path, "servers = \"x\"\npublic_keys = \"k\"\n").unwrap();
        let err = AgentConfig::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("servers") && err.contains("agent.toml"),
            "{err}"
        );
        std::fs::write(&path, EXAMPLE_TOML.replace("vendor_salt", "vendor_sal")).unwrap();
        let err = AgentConfig::load(&path).unwrap_err().to_string();
        assert!(err.contains("vendor_sal"), "{err}");
    }
}
