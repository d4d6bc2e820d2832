//! Every way the client can fail, each with a stable machine-readable code (`code()`), so the
//! agent and the C ABI can pass errors on without parsing messages.
//!
//! No error ever extends the grace period: a failed validation leaves the stored state as it
//! was, and only a verified, fresh, nonce-bound `valid` response moves the deadline.

use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use tessera_api::InstallationInfo;
use tessera_core::VerifyError;

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    #[error("client configuration: {0}")]
    Config(String),

    #[error("the machine id cannot be read: {0}")]
    MachineId(String),

    #[error("this installation is not activated")]
    NotActivated,

    #[error("the state file {path} cannot be read or written: {source}")]
    StateIo {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the state file is not a Tessera client state: {0}")]
    StateCorrupt(String),

    #[error(
        "the state file was changed outside the client (or copied from another machine); \
         delete it and activate again"
    )]
    StateTampered,

    #[error("the license was signed with key {0}, which this client does not trust")]
    UnknownSigningKey(String),

    #[error("the license does not verify: {0}")]
    LicenseInvalid(VerifyError),

    #[error("the license is bound to another machine")]
    WrongMachine,

    #[error("the server's response does not verify: {0}")]
    ResponseInvalid(VerifyError),

    #[error("the response answers another request (nonce mismatch): a replayed response")]
    NonceMismatch,

    #[error("the response is about site {got}, not this installation's {want}")]
    SiteMismatch { want: String, got: String },

    #[error(
        "clock mismatch — set an NTP server: the local clock says {local}, the server \
         {server} (more than {tolerance:#} apart)"
    )]
    ClockMismatch {
        local: Timestamp,
        server: Timestamp,
        tolerance: SignedDuration,
    },

    #[error(
        "clock mismatch — set an NTP server: the local clock ({now}) is behind a time this \
         client has already seen ({seen}); it was set back"
    )]
    ClockMovedBack { now: Timestamp, seen: Timestamp },

    #[error("server {server} does not answer: {detail}")]
    Unreachable { server: String, detail: String },

    #[error("server {server} did not answer in time")]
    Timeout { server: String },

    #[error("server {server} sent an answer that is not Tessera's: {detail}")]
    BadResponse { server: String, detail: String },

    #[error("server {server} refused: {status} {code}: {message}")]
    Refused {
        server: String,
        status: u16,
        /// The server's stable error code (`KEY_INVALID`, `KEY_ALREADY_ACTIVATED`, …).
        code: String,
        message: String,
        /// The server's `Retry-After`, in seconds, when it gave one (`ANOTHER_SITE_SYNCING`,
        /// 429).
        retry_after_secs: Option<u64>,
    },

    #[error("the account has several installations; activate again naming one")]
    InstallationChoiceRequired(Vec<InstallationInfo>),

    #[error("no server answered: {}", summary(.0))]
    AllServersFailed(Vec<ServerFailure>),

    #[error("this site is not connected to the cloud: exchange its codes first (activate_cloud)")]
    CloudNotActivated,

    #[error("the data check failed, so the site is not connected to the cloud: {}", findings(.0))]
    DataCheckFailed(Vec<crate::sync::Finding>),

    #[error("a change the cloud would refuse: {0}")]
    ChangeInvalid(String),

    #[error("the sync outbox {path} is held by another process")]
    OutboxBusy { path: PathBuf },

    #[error("the sync outbox {path} is damaged: {detail}")]
    OutboxCorrupt { path: PathBuf, detail: String },

    #[error("the program did not take the synced data: {0}")]
    HostFailed(String),

    #[error("no batch {0} waits in the sync outbox; read the batch it holds first (outbox_batch)")]
    BatchNotOpen(String),

    #[error("the offline response file is refused: {0}")]
    OfflineResponseInvalid(String),

    #[error(
        "the offline response answers another request than the one this machine wrote last; \
         import the answer to the newest request file"
    )]
    OfflineResponseNotPending,

    #[error("no offline request is pending on this machine: write a request file first")]
    OfflineNoPendingRequest,

    #[error(
        "this installation was not activated by file: write an offline activation request \
         instead of a revalidation"
    )]
    OfflineActivationRequired,

    #[error(
        "this machine's licence by file names no machine key (it was activated by an older \
         client, or online and renewed by file), so it cannot write a deactivation the \
         server could check; ask the vendor to release the installation"
    )]
    MachineKeyUnknown,
}

fn findings(list: &[crate::sync::Finding]) -> String {
    let shown: Vec<&str> = list.iter().take(20).map(|f| f.message.as_str()).collect();
    let more = list.len().saturating_sub(shown.len());
    let mut text = shown.join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}

/// One server's failure inside [`ClientError::AllServersFailed`].
#[derive(Debug)]
pub struct ServerFailure {
    pub server: String,
    pub error: ClientError,
}

fn summary(failures: &[ServerFailure]) -> String {
    failures
        .iter()
        .map(|f| format!("{} ({})", f.server, f.error.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ClientError {
    /// The stable code: programs match on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::Config(_) => "CONFIG_INVALID",
            ClientError::MachineId(_) => "MACHINE_ID_UNAVAILABLE",
            ClientError::NotActivated => "NOT_ACTIVATED",
            ClientError::StateIo { .. } => "STATE_IO",
            ClientError::StateCorrupt(_) => "STATE_CORRUPT",
            ClientError::StateTampered => "STATE_TAMPERED",
            ClientError::UnknownSigningKey(_) => "UNKNOWN_SIGNING_KEY",
            ClientError::LicenseInvalid(_) => "LICENSE_INVALID",
            ClientError::WrongMachine => "LICENSE_WRONG_MACHINE",
            ClientError::ResponseInvalid(_) => "RESPONSE_INVALID",
            ClientError::NonceMismatch => "NONCE_MISMATCH",
            ClientError::SiteMismatch { .. } => "SITE_MISMATCH",
            ClientError::ClockMismatch { .. } => "CLOCK_MISMATCH",
            ClientError::ClockMovedBack { .. } => "CLOCK_MOVED_BACK",
            ClientError::Unreachable { .. } => "SERVER_UNREACHABLE",
            ClientError::Timeout { .. } => "SERVER_TIMEOUT",
            ClientError::BadResponse { .. } => "SERVER_BAD_RESPONSE",
            ClientError::Refused { .. } => "SERVER_REFUSED",
            ClientError::InstallationChoiceRequired(_) => {
                tessera_api::ErrorCode::InstallationChoiceRequired.as_str()
            }
            ClientError::AllServersFailed(_) => "ALL_SERVERS_FAILED",
            ClientError::CloudNotActivated => "CLOUD_NOT_ACTIVATED",
            ClientError::DataCheckFailed(_) => "DATA_CHECK_FAILED",
            ClientError::ChangeInvalid(_) => "CHANGE_INVALID",
            ClientError::OutboxBusy { .. } => "OUTBOX_BUSY",
            ClientError::OutboxCorrupt { .. } => "OUTBOX_CORRUPT",
            ClientError::HostFailed(_) => "HOST_FAILED",
            ClientError::BatchNotOpen(_) => "BATCH_NOT_OPEN",
            ClientError::OfflineResponseInvalid(_) => "OFFLINE_RESPONSE_INVALID",
            ClientError::OfflineResponseNotPending => "OFFLINE_RESPONSE_NOT_PENDING",
            ClientError::OfflineNoPendingRequest => "OFFLINE_NO_PENDING_REQUEST",
            ClientError::OfflineActivationRequired => "OFFLINE_ACTIVATION_REQUIRED",
            ClientError::MachineKeyUnknown => "MACHINE_KEY_UNKNOWN",
        }
    }

    /// The server's own code of a refusal (`ANOTHER_SITE_SYNCING`, `CLOCK_MISMATCH`,
    /// `SUBSCRIPTION_EXPIRED`, …), else the client's [`ClientError::code`]: the reason a
    /// sync status reports.
    pub fn reason(&self) -> &str {
        match self {
            ClientError::Refused { code, .. } => code,
            ClientError::AllServersFailed(list) if list.len() == 1 => list[0].error.reason(),
            other => other.code(),
        }
    }

    /// Whether the server refused with this code.
    pub fn is_refusal(&self, want: &str) -> bool {
        matches!(self, ClientError::Refused { code, .. } if code == want)
    }

    /// Whether another server might do better: the server did not answer, answered garbage
    /// or something that does not verify. A wrong local clock, a local file problem or a
    /// server's considered refusal are the same on every server.
    pub fn worth_failing_over(&self) -> bool {
        matches!(
            self,
            ClientError::Unreachable { .. }
                | ClientError::Timeout { .. }
                | ClientError::BadResponse { .. }
                | ClientError::ResponseInvalid(_)
                | ClientError::UnknownSigningKey(_)
                | ClientError::NonceMismatch
                | ClientError::SiteMismatch { .. }
        ) || matches!(self, ClientError::Refused { status, .. } if *status >= 500 || *status == 429)
    }

    /// A signature failure while opening a license: an unknown key gets its own variant.
    pub(crate) fn license(e: VerifyError) -> Self {
        match e {
            VerifyError::UnknownKey(id) => ClientError::UnknownSigningKey(id),
            other => ClientError::LicenseInvalid(other),
        }
    }

    /// A signature failure while opening a validation response.
    pub(crate) fn response(e: VerifyError) -> Self {
        match e {
            VerifyError::UnknownKey(id) => ClientError::UnknownSigningKey(id),
            other => ClientError::ResponseInvalid(other),
        }
    }
}
