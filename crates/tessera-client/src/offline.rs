//! Activation and revalidation by file (X1), for sites without internet access. The client
//! writes a request file (no secret in it) and keeps a copy as its pending request; someone
//! carries the file to the vendor's web application or API and brings back the response
//! file; the client imports it only if its licence verifies against the trusted vendor keys,
//! is bound to this machine and answers the pending request's nonce. From then on
//! `status()` runs on that licence as on any other: a periodic offline licence locks after
//! its revalidation date plus the grace days, a perpetual one only at its expiry.
//!
//! An activation request names a **machine key**, the public half of an Ed25519 key pair
//! whose secret is derived from the state key (so it is written nowhere, and the same
//! machine always names the same key). The licence names the key the server keeps; the
//! client imports it only if that key is its own. A machine licensed by file that is to move
//! writes a **deactivation** signed with it, naming the activation whose licence it gives
//! up, and deletes its licence in the same call; uploaded, it releases the installation. The
//! deactivation is kept as the licence's tombstone, in a sealed list of its own
//! (`<state>.given-up`) that no later request or import clears: a state naming a given-up
//! activation is never loaded nor written again (another process of the machine still
//! holding the licence in memory cannot write it back).
//!
//! The pending request is kept under the state file's MAC (`tessera-client-pending/v1`), so
//! a request file carried back and put there by hand is not taken for it: a response can be
//! imported only to a request this client wrote and has not answered yet.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tessera_core::license::License;
use tessera_core::offline::{
    MachineKey, OfflineRequest, OfflineTerms, REQUEST_FORMAT, RESPONSE_FORMAT, RequestKind,
    ResponseFile, parse_request,
};

use crate::client::{AccountRef, Client, lock};
use crate::entitlement::{self, open_license};
use crate::errors::{ClientError, Result};
use crate::state_file::{StoredState, write_atomically};
use crate::status::Status;

/// What an activation by file named, kept with the licence so that the revalidation
/// request can name it again without asking anyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineOrigin {
    pub product_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation: Option<String>,
    /// The machine key the licence names (the server keeps it for the installation); none
    /// when the machine named none (an older client's request): then only the vendor
    /// releases it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_key: Option<String>,
    /// The nonce of the activation by file the licence comes from (kept through renewals):
    /// what a deactivation names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_nonce: Option<String>,
}

/// What the machine key of an activation by file is derived for.
const MACHINE_KEY_PURPOSE: &str = "tessera-offline-machine-key/v1";
/// The header of the pending request's file.
const PENDING_FORMAT: &str = "tessera-client-pending/v1";
/// The header of the given-up licences' file.
const GIVEN_UP_FORMAT: &str = "tessera-client-given-up/v1";

/// A licence by file this machine gave up: the activation it came from, and the
/// deactivation request (unsigned; signed again whenever it is asked for).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct GivenUp {
    activation_nonce: String,
    request: OfflineRequest,
}

/// A response file imported.
#[derive(Debug, Clone)]
pub struct OfflineImported {
    pub site_id: String,
    pub kind: RequestKind,
    /// Periodic or perpetual, the revalidation date: as the signed licence says.
    pub terms: OfflineTerms,
    pub status: Status,
}

impl Client {
    /// Where the pending request is kept: beside the state file.
    fn pending_path(&self) -> PathBuf {
        let mut name = self.file.path().as_os_str().to_owned();
        name.push(".offline-request");
        PathBuf::from(name)
    }

    /// The request written last and not yet answered, if any.
    pub fn pending_offline_request(&self) -> Result<Option<OfflineRequest>> {
        let Some(bytes) = self.pending_file()? else {
            return Ok(None);
        };
        parse_request(&bytes)
            .map(Some)
            .map_err(|e| ClientError::StateCorrupt(format!("the pending offline request: {e}")))
    }

    /// The pending request file's bytes, as written, if its MAC holds. A plain request file
    /// there (put by hand, or kept by a client before this one) is no pending request.
    fn pending_file(&self) -> Result<Option<Vec<u8>>> {
        let path = self.pending_path();
        let sealed = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ClientError::StateIo { path, source }),
        };
        if sealed.trim_ascii_start().starts_with(b"{") {
            return Ok(None);
        }
        let body = self.file.unseal(PENDING_FORMAT, &sealed)?;
        Ok(Some(body.to_vec()))
    }

    /// Keeps `bytes` as the pending request, under the MAC.
    fn keep_pending(&self, bytes: &[u8]) -> Result<()> {
        let path = self.pending_path();
        let sealed = self.file.seal(PENDING_FORMAT, bytes);
        write_atomically(&path, &sealed).map_err(|source| ClientError::StateIo { path, source })
    }

    /// Writes an activation request for this machine (the file's bytes) and keeps it as the
    /// pending request; a newer request replaces an older one, whose answer can then no
    /// longer be imported.
    pub fn offline_activation_request(
        &self,
        account: AccountRef,
        product_key: &str,
    ) -> Result<Vec<u8>> {
        let origin = match account {
            AccountRef::Email(email) => OfflineOrigin {
                product_key: product_key.trim().to_owned(),
                email: Some(email),
                vat_number: None,
                installation: None,
                machine_key: None,
                activation_nonce: None,
            },
            AccountRef::VatNumber {
                vat_number,
                installation,
            } => OfflineOrigin {
                product_key: product_key.trim().to_owned(),
                email: None,
                vat_number: Some(vat_number),
                installation,
                machine_key: None,
                activation_nonce: None,
            },
        };
        self.write_request(RequestKind::Activation, &origin)
    }

    /// Writes a revalidation request for the licence this machine holds (a periodic
    /// offline licence renews this way) and keeps it as the pending request.
    pub fn offline_revalidation_request(&self) -> Result<Vec<u8>> {
        let origin = {
            let mut stored = lock(&self.stored);
            let current = stored.as_ref().ok_or(ClientError::NotActivated)?;
            if self.given_up(current)? {
                self.drop_held(&mut stored);
                return Err(ClientError::NotActivated);
            }
            current
                .offline
                .clone()
                .ok_or(ClientError::OfflineActivationRequired)?
        };
        self.write_request(RequestKind::Revalidation, &origin)
    }

    /// This machine's key for activations by file.
    fn machine_key(&self) -> MachineKey {
        MachineKey::from_seed(self.file.derive(MACHINE_KEY_PURPOSE))
    }

    /// Writes a deactivation request for the installation this machine holds by file,
    /// signed with its machine key and naming the licence it gives up, and **deletes the
    /// licence** in the same call: from now on the program here is not licensed, and the
    /// file, uploaded by the account's superadmin, releases the installation so the key can
    /// activate another machine. Asked again while no licence is held, the last such file
    /// is given back (a file lost on the way can be written out again). Refused, with the
    /// licence kept, when the licence names no key of this machine (`MACHINE_KEY_UNKNOWN`:
    /// only the vendor can release it).
    ///
    /// The request is kept unsigned (the tombstone) before the licence is deleted, and
    /// signed only once it is: a licence that could not be deleted leaves no file that would
    /// release it. Ed25519 signs deterministically, so the file asked again is the same.
    pub fn offline_deactivation_request(&self) -> Result<Vec<u8>> {
        let key = self.machine_key();
        let mut stored = lock(&self.stored);
        let Some(current) = stored.as_ref() else {
            drop(stored);
            return self
                .given_up_list()?
                .last()
                .map(|g| g.request.to_signed_file(&key))
                .ok_or(ClientError::NotActivated);
        };
        // Given up already (by another process of the machine), or no longer the licence on
        // disk (another process gave it up and imported a newer one): this process only
        // forgets what it holds; the file given back is the one kept for that licence.
        let on_disk = self.file.load()?;
        if self.given_up(current)? || on_disk.as_ref().map(|s| &s.license) != Some(&current.license)
        {
            let activation = current
                .offline
                .as_ref()
                .and_then(|o| o.activation_nonce.clone());
            self.drop_held(&mut stored);
            return self
                .given_up_list()?
                .iter()
                .rev()
                .find(|g| Some(&g.activation_nonce) == activation.as_ref())
                .map(|g| g.request.to_signed_file(&key))
                .ok_or(ClientError::NotActivated);
        }
        let origin = current
            .offline
            .clone()
            .ok_or(ClientError::OfflineActivationRequired)?;
        let held = open_license(&current.license, &self.cfg.trust, &self.fingerprint)?;
        if origin.machine_key.as_deref() != Some(key.public_hex().as_str())
            || origin.activation_nonce.is_none()
        {
            return Err(ClientError::MachineKeyUnknown);
        }
        let request = OfflineRequest {
            installation: Some(held.site_id),
            machine_key: Some(key.public_hex()),
            activation_nonce: origin.activation_nonce.clone(),
            ..self.request(RequestKind::Deactivation, &origin)
        };
        let mut list = self.given_up_list()?;
        list.push(GivenUp {
            activation_nonce: origin.activation_nonce.clone().unwrap_or_default(),
            request: request.clone(),
        });
        self.keep_given_up(&list)?;
        if let Err(e) = self.forget(&mut stored) {
            list.pop();
            let _ = self.keep_given_up(&list);
            return Err(e);
        }
        Ok(request.to_signed_file(&key))
    }

    fn given_up_path(&self) -> PathBuf {
        let mut name = self.file.path().as_os_str().to_owned();
        name.push(".given-up");
        PathBuf::from(name)
    }

    /// The licences given up, oldest first. A list this client cannot read (sealed under
    /// another machine fingerprint, after a hardware change, or edited) counts as empty, as
    /// a deleted one would: the list guards against this machine's own processes, not
    /// against its owner (who could delete it), and must not lock out the next licence.
    fn given_up_list(&self) -> Result<Vec<GivenUp>> {
        let path = self.given_up_path();
        let sealed = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(ClientError::StateIo { path, source }),
        };
        let list = self
            .file
            .unseal(GIVEN_UP_FORMAT, &sealed)
            .ok()
            .and_then(|body| serde_json::from_slice(body).ok());
        Ok(list.unwrap_or_default())
    }

    /// Writes the list (an empty one: no file).
    fn keep_given_up(&self, list: &[GivenUp]) -> Result<()> {
        let path = self.given_up_path();
        if list.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(ClientError::StateIo { path, source: e })
                }
                _ => Ok(()),
            };
        }
        let body = serde_json::to_vec(list).expect("the list serializes");
        let sealed = self.file.seal(GIVEN_UP_FORMAT, &body);
        write_atomically(&path, &sealed).map_err(|source| ClientError::StateIo { path, source })
    }

    /// Whether `state` is a licence this machine gave up (its activation is in the given-up
    /// list). Such a state is neither loaded nor written again.
    pub(crate) fn given_up(&self, state: &StoredState) -> Result<bool> {
        let Some(activation) = state
            .offline
            .as_ref()
            .and_then(|o| o.activation_nonce.as_ref())
        else {
            return Ok(false);
        };
        Ok(self
            .given_up_list()?
            .iter()
            .any(|g| &g.activation_nonce == activation))
    }

    fn request(&self, kind: RequestKind, origin: &OfflineOrigin) -> OfflineRequest {
        OfflineRequest {
            format: REQUEST_FORMAT.to_owned(),
            kind,
            product_key: origin.product_key.clone(),
            email: origin.email.clone(),
            vat_number: origin.vat_number.clone(),
            installation: origin.installation.clone(),
            fingerprint: self.fingerprint.as_str().to_owned(),
            nonce: crate::client::fresh_nonce(),
            client_version: self.product_version(),
            created_at: self.clock_now(),
            machine_key: None,
            activation_nonce: None,
        }
    }

    fn write_request(&self, kind: RequestKind, origin: &OfflineOrigin) -> Result<Vec<u8>> {
        let mut request = self.request(kind, origin);
        if kind == RequestKind::Activation {
            request.machine_key = Some(self.machine_key().public_hex());
        }
        let bytes = request.to_file();
        self.keep_pending(&bytes)?;
        Ok(bytes)
    }

    /// Imports a response file: its licence must verify against the trusted keys, be bound
    /// to this machine and answer the pending request (its nonce); a revalidation must be
    /// about this installation and newer than the licence in use. Then it replaces the
    /// stored licence and the pending request is done.
    pub fn import_offline_response(&self, bytes: &[u8]) -> Result<OfflineImported> {
        let file: ResponseFile = serde_json::from_slice(bytes).map_err(|e| {
            ClientError::OfflineResponseInvalid(format!("not a response file: {e}"))
        })?;
        if file.format != RESPONSE_FORMAT {
            return Err(ClientError::OfflineResponseInvalid(format!(
                "of format {}, not {RESPONSE_FORMAT}",
                file.format
            )));
        }
        let lic =
            open_license(&file.license, &self.cfg.trust, &self.fingerprint).map_err(
                |e| match e {
                    ClientError::LicenseInvalid(v) => ClientError::OfflineResponseInvalid(format!(
                        "its licence does not verify: {v}"
                    )),
                    other => other,
                },
            )?;
        let terms = lic.offline.clone().ok_or_else(|| {
            ClientError::OfflineResponseInvalid("its licence was not issued by file".into())
        })?;
        let pending = self
            .pending_offline_request()?
            .filter(|p| p.kind != RequestKind::Deactivation)
            .ok_or(ClientError::OfflineNoPendingRequest)?;
        if !terms.nonce.eq_ignore_ascii_case(&pending.nonce) {
            return Err(ClientError::OfflineResponseNotPending);
        }
        self.check_clock(&lic)?;
        let mut stored = lock(&self.stored);
        if pending.kind == RequestKind::Revalidation {
            let current = stored.as_ref().ok_or(ClientError::NotActivated)?;
            let held = open_license(&current.license, &self.cfg.trust, &self.fingerprint)?;
            if held.site_id != lic.site_id {
                return Err(ClientError::SiteMismatch {
                    want: held.site_id,
                    got: lic.site_id,
                });
            }
            if lic.issued_at < held.issued_at {
                return Err(ClientError::OfflineResponseInvalid(
                    "it is older than the licence in use".into(),
                ));
            }
        }
        // The machine key the server keeps, as the licence says: this machine's, or none
        // (bound by a request that named none). Another key means someone else's request
        // bound this machine first with a key of their own: its deactivation would release
        // the installation while this machine runs, so the licence is not taken.
        let machine_key = terms.machine_key.clone();
        // The activation a deactivation will name: this one, or the one renewed.
        let activation_nonce = match pending.kind {
            RequestKind::Activation => Some(pending.nonce.clone()),
            _ => stored
                .as_ref()
                .and_then(|s| s.offline.as_ref())
                .and_then(|o| o.activation_nonce.clone()),
        };
        if machine_key
            .as_deref()
            .is_some_and(|k| k != self.machine_key().public_hex())
        {
            return Err(ClientError::OfflineResponseInvalid(
                "its licence names another machine key than this machine's; ask the vendor \
                 to release the installation, then activate it again"
                    .into(),
            ));
        }
        let same_site = stored.as_ref().and_then(|s| {
            open_license(&s.license, &self.cfg.trust, &self.fingerprint)
                .ok()
                .filter(|held| held.site_id == lic.site_id)
                .map(|_| s.clone())
        });
        let new = StoredState {
            license: file.license,
            validation: None,
            validation_nonce: None,
            // The server gave no site token: an offline site makes no site calls.
            site_token: same_site
                .as_ref()
                .map(|s| s.site_token.clone())
                .unwrap_or_default(),
            server: same_site.as_ref().and_then(|s| s.server.clone()),
            highest_local: Some(self.seen_now().max(lic.issued_at)),
            cloud_token: same_site.as_ref().and_then(|s| s.cloud_token.clone()),
            offline: Some(OfflineOrigin {
                product_key: pending.product_key.clone(),
                email: pending.email.clone(),
                vat_number: pending.vat_number.clone(),
                installation: Some(lic.site_id.clone()),
                machine_key,
                activation_nonce,
            }),
        };
        self.save(&mut stored, &new)?;
        let site_id = lic.site_id.clone();
        self.install(&mut stored, new, entitlement::derive(lic, None));
        drop(stored);
        let path = self.pending_path();
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(ClientError::StateIo { path, source: e });
            }
            _ => {}
        }
        Ok(OfflineImported {
            site_id,
            kind: pending.kind,
            terms,
            status: self.status(),
        })
    }

    /// A licence signed at a time the local clock has not reached yet (beyond the
    /// tolerance) means a clock set wrong (D4). Later is fine: the file may have travelled
    /// for days.
    fn check_clock(&self, lic: &License) -> Result<()> {
        let local = self.clock_now();
        if lic.issued_at.duration_since(local) > self.cfg.clock_tolerance {
            return Err(ClientError::ClockMismatch {
                local,
                server: lic.issued_at,
                tolerance: self.cfg.clock_tolerance,
            });
        }
        Ok(())
    }
}
