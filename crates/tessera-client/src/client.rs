//! The `Client` a vendor's product holds: activation, the offline `status()`, validation with
//! failover, the schedule. Blocking, `Send + Sync`; the agent and the C ABI are thin layers
//! over these methods.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

use jiff::Timestamp;
use rand::RngCore;
use serde::de::IgnoredAny;
use tessera_api::{ActivationRequest, ActivationResponse, SiteData, ValidationRequest};
use tessera_core::license::Validation;
use tessera_core::release::{Version, update_required};
use tessera_core::{Fingerprint, LicenseState, SignedDocument};

use crate::clock_check;
use crate::config::ClientConfig;
use crate::entitlement::{self, Snapshot, open_license, open_validation};
use crate::errors::{ClientError, Result};
use crate::fingerprint::machine_fingerprint;
use crate::grace::{effective_now, standing};
use crate::schedule::Schedule;
use crate::state_file::{StateFile, StoredState};
use crate::status::Status;
use crate::transport::Transport;

/// How the activation names the customer's account (C1, B4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRef {
    Email(String),
    /// With several installations, the first attempt fails with
    /// [`ClientError::InstallationChoiceRequired`]; ask again naming one.
    VatNumber {
        vat_number: String,
        installation: Option<String>,
    },
}

/// An accepted activation.
#[derive(Debug, Clone)]
pub struct Activated {
    pub site_id: String,
    /// `activated`, `again` (same machine) or `transferred`.
    pub activation: String,
    /// Send the site data next ([`Client::send_site_data`]).
    pub site_data_required: bool,
    pub server: String,
    pub status: Status,
}

/// A validation the server answered, verified.
#[derive(Debug, Clone)]
pub struct Validated {
    /// `valid`, or why not (`revoked`, `suspended`, …: the client is then locked).
    pub state: LicenseState,
    pub server: String,
    pub server_time: Timestamp,
    pub status: Status,
}

pub struct Client {
    pub(crate) cfg: ClientConfig,
    pub(crate) fingerprint: Fingerprint,
    pub(crate) file: StateFile,
    pub(crate) transport: Transport,
    /// What the state file holds; the lock also serializes the calls that change it.
    pub(crate) stored: Mutex<Option<StoredState>>,
    /// What `status()` reads: swapped whole after each change.
    pub(crate) snapshot: RwLock<Option<Arc<Snapshot>>>,
    /// The server to try first, before activation too.
    pub(crate) preferred: Mutex<Option<String>>,
    pub(crate) schedule: Mutex<Schedule>,
    /// The highest local time seen, in Unix seconds (D4): `status()` raises it, a
    /// successful validation (the server vouching for the clock) resets it.
    pub(crate) seen: AtomicI64,
    /// Cloud data sync: the outbox and the sync state, opened on first use.
    pub(crate) sync: crate::sync::SyncSide,
    /// The program's own version: `cfg.product_version`, parsed, or set once later with
    /// [`Client::set_product_version`] (the C ABI's way, whose config has no such field).
    pub(crate) running: OnceLock<Version>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("fingerprint", &self.fingerprint)
            .field("state", &self.file)
            .finish_non_exhaustive()
    }
}

/// `text` as the program's version, or `CONFIG_INVALID`.
fn product_version(text: &str) -> Result<Version> {
    Version::parse(text).map_err(|e| ClientError::Config(format!("product_version: {e}")))
}

/// Locks, ignoring poison: every critical section leaves the data whole.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn jitter() -> f64 {
    rand::random::<f64>()
}

/// A fresh 32-byte nonce as hex (D6).
pub(crate) fn fresh_nonce() -> String {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

impl Client {
    /// Computes the fingerprint and loads the state file, verifying it. A tampered file, a
    /// license that does not verify or another machine's license is an error: delete the
    /// file and activate again (the server answers `again` for the same machine).
    pub fn open(cfg: ClientConfig) -> Result<Client> {
        if cfg.trust.is_empty() {
            return Err(ClientError::Config("no trusted vendor key".into()));
        }
        let running = OnceLock::new();
        if let Some(v) = &cfg.product_version {
            let _ = running.set(product_version(v)?);
        }
        let fingerprint = machine_fingerprint(&cfg.vendor_salt, &cfg.machine_id)?;
        let file = StateFile::new(&cfg.state_path, &cfg.vendor_salt, &fingerprint);
        let stored = file.load()?;
        let snapshot = match &stored {
            Some(s) => Some(Arc::new(entitlement::snapshot(
                s,
                &cfg.trust,
                &fingerprint,
            )?)),
            None => None,
        };
        let preferred = stored.as_ref().and_then(|s| s.server.clone());
        let seen = stored
            .as_ref()
            .and_then(|s| s.highest_local)
            .map_or(i64::MIN, |t| t.as_second());
        let schedule = Schedule::starting(cfg.schedule.clone(), cfg.clock.now(), jitter());
        let client = Client {
            transport: Transport::new(cfg.timeouts),
            fingerprint,
            file,
            stored: Mutex::new(stored),
            snapshot: RwLock::new(snapshot),
            preferred: Mutex::new(preferred),
            schedule: Mutex::new(schedule),
            seen: AtomicI64::new(seen),
            sync: crate::sync::SyncSide::default(),
            running,
            cfg,
        };
        {
            // A licence given up (its deactivation written) whose file is still there: left
            // by a crash between the two, or written back by another process.
            let mut stored = lock(&client.stored);
            if let Some(s) = stored.as_ref()
                && client.given_up(s)?
            {
                client.forget(&mut stored)?;
            }
        }
        Ok(client)
    }

    /// Writes `new` as the state, unless it is a licence this machine gave up, or the
    /// licence held in memory whose file has gone meanwhile (another process gave it up, or
    /// someone deleted it): then this process forgets what it holds (the file is left
    /// alone: it may be a later licence's by now) and the answer is `NOT_ACTIVATED`. A
    /// process still holding a given-up licence never writes it back.
    pub(crate) fn save(&self, stored: &mut Option<StoredState>, new: &StoredState) -> Result<()> {
        let gone = stored
            .as_ref()
            .is_some_and(|s| s.license == new.license && !self.file.path().exists());
        if gone || self.given_up(new)? {
            self.drop_held(stored);
            return Err(ClientError::NotActivated);
        }
        self.file.save(new)
    }

    /// Says the program's own version after `open` (when `ClientConfig::product_version`
    /// did not): what `status()` compares with the product's minimum versions and
    /// `activate_cloud` sends. Once per client: a program's version does not change while it
    /// runs, so another version than the one set is `CONFIG_INVALID` (the same again is
    /// fine), as is one that is not a semantic version.
    pub fn set_product_version(&self, version: &str) -> Result<()> {
        let wanted = product_version(version)?;
        let set = self.running.get_or_init(|| wanted.clone());
        if !set.same_version(&wanted) {
            return Err(ClientError::Config(format!(
                "product_version is already {set}, not {wanted}"
            )));
        }
        Ok(())
    }

    /// The program's own version, as said (normalized: `v1.2.11` is `1.2.11`).
    pub fn product_version(&self) -> Option<String> {
        self.running.get().map(ToString::to_string)
    }

    pub(crate) fn clock_now(&self) -> Timestamp {
        self.cfg.clock.now()
    }

    /// This machine's fingerprint, as sent to the server.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// May the product run, and with what? Memory only, no I/O: call it as often as needed.
    pub fn status(&self) -> Status {
        let snap = self
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let Some(s) = snap else {
            return Status::not_activated();
        };
        let local = self.cfg.clock.now();
        let now = effective_now(local, self.observe(local).max(s.highest_seen));
        Status {
            standing: standing(&s.entitled, now, self.cfg.warn_days),
            deadline: Some(s.entitled.deadline),
            entitlement: Some(s.entitlement.clone()),
            clock_set_back: now.duration_since(local) > self.cfg.clock_tolerance,
            update_required: self
                .running
                .get()
                .and_then(|r| update_required(r, s.minimum.as_ref()).map(ToString::to_string)),
            update_available: self
                .running
                .get()
                .and_then(|r| s.latest.as_ref().filter(|l| *l > r))
                .map(ToString::to_string),
            cloud_update_required: self.running.get().and_then(|r| {
                update_required(r, s.cloud_minimum.as_ref()).map(ToString::to_string)
            }),
        }
    }

    /// The highest local time seen, now included.
    pub(crate) fn seen_now(&self) -> Timestamp {
        self.observe(self.cfg.clock.now())
    }

    /// Records `local` as seen; returns the highest local time seen so far.
    fn observe(&self, local: Timestamp) -> Timestamp {
        let secs = local.as_second();
        let mut highest = self.seen.load(Ordering::Relaxed);
        if secs > highest {
            highest = self.seen.fetch_max(secs, Ordering::Relaxed).max(secs);
        }
        Timestamp::from_second(highest).unwrap_or(local)
    }

    /// The server vouched for the clock at `at`: earlier highs were a clock set wrong.
    fn vouched(&self, at: Timestamp) -> Timestamp {
        self.seen.store(at.as_second(), Ordering::Relaxed);
        at
    }

    /// Saves the highest local time seen if it grew, so a restart does not forget it. Best
    /// effort: called on failure paths, whose own error matters more.
    fn remember_seen(&self, stored: &mut Option<StoredState>) {
        let Some(current) = stored.as_ref() else {
            return;
        };
        let seen = self.observe(self.cfg.clock.now());
        if current.highest_local.is_some_and(|h| h >= seen) {
            return;
        }
        let new = StoredState {
            highest_local: Some(seen),
            ..current.clone()
        };
        if self.save(stored, &new).is_ok() {
            *stored = Some(new);
        }
    }

    /// Activates this machine (C1): binds the product key to the fingerprint, verifies the
    /// signed license and stores it.
    pub fn activate(&self, account: AccountRef, product_key: &str) -> Result<Activated> {
        let mut stored = lock(&self.stored);
        let (email, vat_number, installation) = match account {
            AccountRef::Email(e) => (Some(e), None, None),
            AccountRef::VatNumber {
                vat_number,
                installation,
            } => (None, Some(vat_number), installation),
        };
        let req = ActivationRequest {
            email,
            vat_number,
            product_key: product_key.to_owned(),
            fingerprint: self.fingerprint.as_str().to_owned(),
            installation,
        };
        let preferred = lock(&self.preferred).clone();
        let (server, (resp, lic)) = self.each_server(preferred.as_deref(), |server| {
            let resp: ActivationResponse =
                self.transport
                    .post(server, "/api/v1/activations", &req, None)?;
            let lic = open_license(&resp.license, &self.cfg.trust, &self.fingerprint)?;
            if lic.site_id != resp.site_id {
                return Err(ClientError::SiteMismatch {
                    want: resp.site_id,
                    got: lic.site_id,
                });
            }
            clock_check::agrees_with_server(
                self.cfg.clock.now(),
                lic.issued_at,
                self.cfg.clock_tolerance,
            )?;
            Ok((resp, lic))
        })?;
        // Activating the same site again keeps its cloud token (the server keeps it too).
        let same_site = self.site_id().is_some_and(|site| site == resp.site_id);
        let new = StoredState {
            license: resp.license,
            validation: None,
            validation_nonce: None,
            site_token: resp.site_token,
            server: Some(server.clone()),
            highest_local: Some(self.vouched(self.cfg.clock.now().max(lic.issued_at))),
            cloud_token: stored
                .as_ref()
                .filter(|_| same_site)
                .and_then(|s| s.cloud_token.clone()),
            offline: None,
        };
        self.file.save(&new)?;
        self.install(&mut stored, new, entitlement::derive(lic, None));
        lock(&self.schedule).succeeded(self.cfg.clock.now(), jitter());
        Ok(Activated {
            site_id: resp.site_id,
            activation: resp.activation,
            site_data_required: resp.site_data_required,
            server,
            status: self.status(),
        })
    }

    /// Validates now (D1), trying the servers in order from the last one that answered.
    /// Only a verified, nonce-bound answer whose server time agrees with the local clock
    /// changes anything; every failure leaves the stored state (and the grace) as it was.
    pub fn validate_now(&self) -> Result<Validated> {
        let mut stored = lock(&self.stored);
        let result = self.exchange(stored.as_ref());
        let (server, nonce, doc, v) = match result {
            Ok(r) => r,
            Err(e) => {
                self.remember_seen(&mut stored);
                return Err(e);
            }
        };
        let current = stored.as_ref().ok_or(ClientError::NotActivated)?;
        let vouched = self.cfg.clock.now().max(v.server_time);
        let new = StoredState {
            validation: Some(doc),
            validation_nonce: Some(nonce),
            server: Some(server.clone()),
            highest_local: Some(vouched),
            ..current.clone()
        };
        let snapshot = entitlement::snapshot(&new, &self.cfg.trust, &self.fingerprint)?;
        self.save(&mut stored, &new)?;
        self.vouched(vouched);
        self.install(&mut stored, new, snapshot);
        Ok(Validated {
            state: v.state,
            server,
            server_time: v.server_time,
            status: self.status(),
        })
    }

    /// One validation request, with failover: the server that answered, the nonce sent, the
    /// signed answer and its checked content.
    fn exchange(
        &self,
        current: Option<&StoredState>,
    ) -> Result<(String, String, SignedDocument, Validation)> {
        let current = current.ok_or(ClientError::NotActivated)?;
        let snapshot = entitlement::snapshot(current, &self.cfg.trust, &self.fingerprint)?;
        let tolerance = self.cfg.clock_tolerance;
        clock_check::not_set_back(self.cfg.clock.now(), snapshot.highest_seen, tolerance)?;
        let site_id = snapshot.entitlement.site_id.clone();
        let nonce = fresh_nonce();
        let req = ValidationRequest {
            site_id: site_id.clone(),
            fingerprint: self.fingerprint.as_str().to_owned(),
            nonce: nonce.clone(),
        };
        let preferred = lock(&self.preferred).clone();
        let (server, (doc, v)) = self.each_server(preferred.as_deref(), |server| {
            let doc: SignedDocument =
                self.transport
                    .post(server, "/api/v1/validations", &req, None)?;
            let v = open_validation(&doc, &self.cfg.trust, &site_id, &nonce)?;
            clock_check::agrees_with_server(self.cfg.clock.now(), v.server_time, tolerance)?;
            Ok((doc, v))
        })?;
        Ok((server, nonce, doc, v))
    }

    /// When the scheduler wants the next validation.
    pub fn next_check_due(&self) -> Timestamp {
        lock(&self.schedule).next_due()
    }

    /// Runs the validation if it is due (and the client is activated); the schedule moves
    /// to the next daily slot after a success, or backs off after a failure.
    pub fn poll(&self) -> Option<Result<Validated>> {
        if lock(&self.stored).is_none() || !lock(&self.schedule).is_due(self.cfg.clock.now()) {
            return None;
        }
        let result = self.validate_now();
        let now = self.cfg.clock.now();
        let mut schedule = lock(&self.schedule);
        match &result {
            Ok(_) => schedule.succeeded(now, jitter()),
            Err(_) => schedule.failed(now, jitter()),
        }
        Some(result)
    }

    /// Sends the site data after activation (C1).
    pub fn send_site_data(&self, data: &SiteData) -> Result<()> {
        let token = self.site_token()?;
        let preferred = lock(&self.preferred).clone();
        self.each_server(preferred.as_deref(), |server| {
            self.transport
                .put::<_, IgnoredAny>(server, "/api/v1/site/data", data, &token)
        })?;
        Ok(())
    }

    /// Releases this machine's activation on the server (so the key can move), then deletes
    /// the local state.
    pub fn deactivate(&self) -> Result<()> {
        let token = self.site_token()?;
        let preferred = lock(&self.preferred).clone();
        self.each_server(preferred.as_deref(), |server| {
            self.transport.post::<_, IgnoredAny>(
                server,
                "/api/v1/site/deactivate",
                &serde_json::json!({}),
                Some(&token),
            )
        })?;
        self.forget(&mut lock(&self.stored))
    }

    /// Deletes the local state, on disk and in memory: the machine is no longer activated.
    pub(crate) fn forget(&self, stored: &mut Option<StoredState>) -> Result<()> {
        self.file.remove()?;
        self.drop_held(stored);
        Ok(())
    }

    /// Forgets the state held in memory only: the file on disk may by now be another
    /// licence's (a later activation's, written by another process).
    pub(crate) fn drop_held(&self, stored: &mut Option<StoredState>) {
        *stored = None;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The activated site's id, from memory.
    pub(crate) fn site_id(&self) -> Option<String> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|s| s.entitlement.site_id.clone())
    }

    pub(crate) fn site_token(&self) -> Result<String> {
        lock(&self.stored)
            .as_ref()
            .map(|s| s.site_token.clone())
            .ok_or(ClientError::NotActivated)
    }

    /// Stores what was saved, in memory.
    pub(crate) fn install(
        &self,
        stored: &mut Option<StoredState>,
        new: StoredState,
        snapshot: Snapshot,
    ) {
        *lock(&self.preferred) = new.server.clone();
        *stored = Some(new);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(snapshot));
    }
}
