//! What a vendor configures once, when embedding the client.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::SignedDuration;
use tessera_core::{Clock, SystemClock};

use crate::clock_check::DEFAULT_TOLERANCE;
use crate::fingerprint::MachineId;
use crate::schedule::ScheduleConfig;
use crate::servers::ServerList;
use crate::sync::SyncConfig;
use crate::transport::Timeouts;
use crate::trust::TrustStore;

#[derive(Clone)]
pub struct ClientConfig {
    /// Primary first, then backups (D3).
    pub servers: ServerList,
    /// The vendor public keys licenses are checked against.
    pub trust: TrustStore,
    /// Salts the machine fingerprint and keys the state file's MAC. Constant for a product.
    pub vendor_salt: String,
    pub machine_id: MachineId,
    /// Where the license and validation state is kept.
    pub state_path: PathBuf,
    pub timeouts: Timeouts,
    /// The most the local clock may differ from a server's (5 minutes, D4).
    pub clock_tolerance: SignedDuration,
    /// Warn this many days before the lock (3, D2).
    pub warn_days: u32,
    pub schedule: ScheduleConfig,
    /// The time source; tests set it by hand.
    pub clock: Arc<dyn Clock>,
    /// Cloud data sync: where the outbox lives, batch and page sizes, the collections.
    pub sync: SyncConfig,
    /// The host program's own version (a semantic version, `1.2.11`): below the product's
    /// minimum version the status says `update_required` (X6). None: not compared.
    pub product_version: Option<String>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("servers", &self.servers)
            .field("trust", &self.trust)
            .field("state_path", &self.state_path)
            .field("timeouts", &self.timeouts)
            .field("clock_tolerance", &self.clock_tolerance)
            .field("warn_days", &self.warn_days)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// The defaults: OS machine id, system clock, 12:00 local daily check, 5-minute clock
    /// tolerance, warning 3 days before the lock, 3 s connect / 8 s overall timeouts.
    pub fn new(
        servers: ServerList,
        trust: TrustStore,
        vendor_salt: impl Into<String>,
        state_path: impl Into<PathBuf>,
    ) -> Self {
        ClientConfig {
            servers,
            trust,
            vendor_salt: vendor_salt.into(),
            machine_id: MachineId::Os,
            state_path: state_path.into(),
            timeouts: Timeouts::default(),
            clock_tolerance: DEFAULT_TOLERANCE,
            warn_days: 3,
            schedule: ScheduleConfig::default(),
            clock: Arc::new(SystemClock),
            sync: SyncConfig::default(),
            product_version: None,
        }
    }
}
