//! What the stored signed documents grant, checked: the license (and the last validation)
//! verify against the trust store, belong to this machine and this site, and answer this
//! client's own request. Built once per change, then read by `status()` from memory.

use std::collections::BTreeMap;

use jiff::Timestamp;
use tessera_core::license::{self, Installation, License, Validation};
use tessera_core::release::Version;
use tessera_core::{DocumentKind, Fingerprint, LicenseState, SignedDocument};

use crate::errors::{ClientError, Result};
use crate::grace::{Entitled, later};
use crate::state_file::StoredState;
use crate::trust::TrustStore;

/// What the host may use: edition, modules, limits. The newest signed document wins: a
/// validation's grant (edition, modules, user count, expiry) over the license's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entitlement {
    pub site_id: String,
    pub licensee: String,
    pub product: String,
    pub product_name: String,
    pub edition: String,
    pub edition_name: String,
    pub size: String,
    pub limits: BTreeMap<String, u32>,
    pub modules: Vec<String>,
    pub user_count: Option<u32>,
    pub expires_at: Option<Timestamp>,
    pub grace_days: u32,
    /// The server time of the last successful validation (or of the activation).
    pub last_success: Timestamp,
    /// The account's installations, as the last validation listed them (D5).
    pub installations: Vec<Installation>,
    /// The newest stable release for the edition, as the server last said (X6).
    pub latest_version: Option<String>,
    /// The product's minimum supported version, as the server last said (X6).
    pub minimum_version: Option<String>,
    /// The version the program needs at least to connect to the cloud, as the server last
    /// said (X6, E5): below it `activate_cloud` is refused (`UPDATE_REQUIRED`).
    pub cloud_minimum_version: Option<String>,
    /// A licence answered by file (X1): periodic (with the date to revalidate by) or
    /// perpetual; none for an online licence.
    pub offline: Option<tessera_core::offline::OfflineTerms>,
}

/// The checked content of a state: what `status()` needs.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub entitlement: std::sync::Arc<Entitlement>,
    pub entitled: Entitled,
    /// The highest signed server time in the stored documents: the local clock is never
    /// trusted below it (D4).
    pub highest_seen: Timestamp,
    /// The entitlement's versions, parsed once (a version the client cannot read is none).
    pub latest: Option<Version>,
    pub minimum: Option<Version>,
    pub cloud_minimum: Option<Version>,
}

/// Opens a license and checks it is this machine's.
pub(crate) fn open_license(
    doc: &SignedDocument,
    trust: &TrustStore,
    fingerprint: &Fingerprint,
) -> Result<License> {
    let lic: License = license::open(doc, DocumentKind::License, |id| trust.get(id))
        .map_err(ClientError::license)?;
    if lic.fingerprint != fingerprint.as_str() {
        return Err(ClientError::WrongMachine);
    }
    Ok(lic)
}

/// Opens a validation response and checks it answers `nonce` about `site_id`.
pub(crate) fn open_validation(
    doc: &SignedDocument,
    trust: &TrustStore,
    site_id: &str,
    nonce: &str,
) -> Result<Validation> {
    let v: Validation = license::open(doc, DocumentKind::Validation, |id| trust.get(id))
        .map_err(ClientError::response)?;
    if !v.nonce.eq_ignore_ascii_case(nonce) {
        return Err(ClientError::NonceMismatch);
    }
    if v.site_id != site_id {
        return Err(ClientError::SiteMismatch {
            want: site_id.to_owned(),
            got: v.site_id,
        });
    }
    Ok(v)
}

/// Verifies everything `stored` holds and derives the snapshot.
pub(crate) fn snapshot(
    stored: &StoredState,
    trust: &TrustStore,
    fingerprint: &Fingerprint,
) -> Result<Snapshot> {
    let lic = open_license(&stored.license, trust, fingerprint)?;
    let validation = match (&stored.validation, &stored.validation_nonce) {
        (Some(doc), Some(nonce)) => Some(open_validation(doc, trust, &lic.site_id, nonce)?),
        (None, _) => None,
        (Some(_), None) => {
            return Err(ClientError::StateCorrupt(
                "a stored validation without its nonce".into(),
            ));
        }
    };
    Ok(derive(lic, validation))
}

/// The snapshot of a verified license and validation.
pub(crate) fn derive(lic: License, validation: Option<Validation>) -> Snapshot {
    let mut e = Entitlement {
        site_id: lic.site_id,
        licensee: lic.licensee,
        product: lic.product,
        product_name: lic.product_name,
        edition: lic.edition,
        edition_name: lic.edition_name,
        size: lic.size,
        limits: lic.limits,
        modules: lic.modules,
        user_count: lic.user_count,
        expires_at: lic.expires_at,
        grace_days: lic.grace_days,
        last_success: lic.issued_at,
        installations: Vec::new(),
        latest_version: lic.latest_version,
        minimum_version: lic.minimum_version,
        cloud_minimum_version: lic.cloud_minimum_version,
        offline: lic.offline,
    };
    let mut entitled = Entitled {
        deadline: lic.check_deadline,
        expires_at: lic.expires_at,
        refused: None,
    };
    let mut highest_seen = lic.issued_at;
    if let Some(v) = validation {
        highest_seen = highest_seen.max(v.server_time);
        e.installations = v.installations;
        match v.grant {
            Some(g) if v.state == LicenseState::Valid => {
                if g.edition != e.edition {
                    e.edition_name = g.edition.clone();
                }
                e.edition = g.edition;
                e.modules = g.modules;
                e.user_count = g.user_count;
                e.expires_at = g.expires_at;
                e.grace_days = g.grace_days;
                e.latest_version = g.latest_version;
                e.minimum_version = g.minimum_version;
                e.cloud_minimum_version = g.cloud_minimum_version;
                e.last_success = e.last_success.max(v.server_time);
                entitled.expires_at = g.expires_at;
                entitled.deadline = later(entitled.deadline, Some(g.next_check_deadline));
            }
            _ => {
                entitled.refused = Some(if v.state == LicenseState::Valid {
                    // A `valid` answer without its grant is not one the server sends.
                    LicenseState::NotActivated
                } else {
                    v.state
                });
            }
        }
    }
    let parsed = |v: &Option<String>| v.as_deref().and_then(|v| Version::parse(v).ok());
    Snapshot {
        latest: parsed(&e.latest_version),
        minimum: parsed(&e.minimum_version),
        cloud_minimum: parsed(&e.cloud_minimum_version),
        entitlement: std::sync::Arc::new(e),
        entitled,
        highest_seen,
    }
}
