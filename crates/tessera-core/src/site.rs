//! Installations ("sites", C1–C2, B4): a registered key gets an installation slot; activation
//! binds it to one machine's fingerprint; the product's transfer policy says what happens when
//! another machine asks. And the state a license is in when the client validates it (D5).

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use rand::RngCore;

use crate::{Fingerprint, KeyStatus, ProductKey};

/// A new installation id: 16 random bytes as 32 hex digits. Unguessable, so knowing one site
/// says nothing about another.
pub fn new_site_id() -> String {
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

/// Could `s` be an installation id? (What [`new_site_id`] makes; older or foreign ids may be
/// any 1–64 letters and digits.) Checked before any lookup.
pub fn is_site_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What an installation is called until its client sends site data: the last group of its
/// key, which the customer can read off the box.
pub fn default_label(key: &ProductKey) -> String {
    let shown = key.to_string();
    format!("Installation …{}", &shown[shown.len() - 4..])
}

/// What an installation is called once its client sent site data: "Company — Branch,
/// Locality", leaving out what is empty.
pub fn site_label(company: &str, branch: Option<&str>, locality: &str) -> String {
    let mut label = company.trim().to_owned();
    if let Some(b) = branch.map(str::trim).filter(|b| !b.is_empty()) {
        label.push_str(" — ");
        label.push_str(b);
    }
    if !locality.trim().is_empty() {
        label.push_str(", ");
        label.push_str(locality.trim());
    }
    label
}

/// Where an installation is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    /// The key is registered to an account; no machine is bound yet.
    Registered,
    /// Bound to one machine's fingerprint.
    Active,
    /// Was bound; released by the account, the client or an operator. May be activated again.
    Deactivated,
    /// Stopped by an operator; validation answers `suspended` until resumed.
    Suspended,
}

impl SiteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SiteStatus::Registered => "registered",
            SiteStatus::Active => "active",
            SiteStatus::Deactivated => "deactivated",
            SiteStatus::Suspended => "suspended",
        }
    }
}

impl fmt::Display for SiteStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SiteStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "registered" => SiteStatus::Registered,
            "active" => SiteStatus::Active,
            "deactivated" => SiteStatus::Deactivated,
            "suspended" => SiteStatus::Suspended,
            other => return Err(format!("unknown site status {other:?}")),
        })
    }
}

/// What a product allows when a bound key is activated on another machine (C2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferPolicy {
    /// How many times a key may move to another machine without being deactivated first.
    /// 0 (the default): deactivate first.
    pub max_transfers: u32,
}

/// The parts of an installation that activation decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteBinding {
    pub status: SiteStatus,
    pub fingerprint: Option<Fingerprint>,
    pub transfers: u32,
    /// The machine bound holds a licence answered by file (X1): it never checks online, so
    /// it would keep running if the installation moved to another machine.
    pub by_file: bool,
}

/// What an accepted activation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// First binding (or after a deactivation).
    Bind,
    /// Same machine again: nothing changes, the license is issued again.
    Again,
    /// Moves to the new machine, using up one transfer.
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ActivationRefused {
    #[error("the key is activated on another machine; deactivate it there first")]
    AlreadyActivated,
    #[error("the key has used all the machine transfers its product allows")]
    TransfersExhausted,
    #[error("the installation is suspended; contact the vendor")]
    Suspended,
    #[error(
        "the key is activated by file on a machine that does not check online, which would \
         keep running; only the vendor can release it"
    )]
    BoundByFile,
}

/// Decides an activation of `site` from the machine `fingerprint` under `policy`.
pub fn decide_activation(
    site: &SiteBinding,
    fingerprint: &Fingerprint,
    policy: TransferPolicy,
) -> Result<Activation, ActivationRefused> {
    match (site.status, &site.fingerprint) {
        (SiteStatus::Suspended, _) => Err(ActivationRefused::Suspended),
        (SiteStatus::Registered | SiteStatus::Deactivated, _) | (SiteStatus::Active, None) => {
            Ok(Activation::Bind)
        }
        (SiteStatus::Active, Some(bound)) if bound == fingerprint => Ok(Activation::Again),
        (SiteStatus::Active, Some(_)) if site.by_file => Err(ActivationRefused::BoundByFile),
        (SiteStatus::Active, Some(_)) if policy.max_transfers == 0 => {
            Err(ActivationRefused::AlreadyActivated)
        }
        (SiteStatus::Active, Some(_)) if site.transfers >= policy.max_transfers => {
            Err(ActivationRefused::TransfersExhausted)
        }
        (SiteStatus::Active, Some(_)) => Ok(Activation::Transfer),
    }
}

/// The state a validation reports, each a stable code the client acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseState {
    Valid,
    /// Past its expiry date.
    Expired,
    /// The product key was revoked by the vendor.
    Revoked,
    /// Stopped by an operator.
    Suspended,
    /// Not bound to any machine (never activated, or deactivated).
    NotActivated,
    /// Bound to another machine than the one asking.
    FingerprintMismatch,
    /// No installation has this id.
    UnknownSite,
}

impl LicenseState {
    pub fn as_str(self) -> &'static str {
        match self {
            LicenseState::Valid => "valid",
            LicenseState::Expired => "expired",
            LicenseState::Revoked => "revoked",
            LicenseState::Suspended => "suspended",
            LicenseState::NotActivated => "not_activated",
            LicenseState::FingerprintMismatch => "fingerprint_mismatch",
            LicenseState::UnknownSite => "unknown_site",
        }
    }
}

impl fmt::Display for LicenseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an installation's license is not in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LicenseRefusal {
    #[error("its product key is revoked")]
    Revoked,
    #[error("it is suspended")]
    Suspended,
    #[error("it is not activated on a machine")]
    NotActive,
    #[error("its license has expired")]
    Expired,
}

/// Is the license of an installation in force at `now`? The one rule for it: validation,
/// cloud access and enabling a site for the cloud all ask here, in this order of reasons.
pub fn license_in_force(
    status: SiteStatus,
    key: KeyStatus,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), LicenseRefusal> {
    if key == KeyStatus::Revoked {
        Err(LicenseRefusal::Revoked)
    } else if status == SiteStatus::Suspended {
        Err(LicenseRefusal::Suspended)
    } else if status != SiteStatus::Active {
        Err(LicenseRefusal::NotActive)
    } else if expires_at.is_some_and(|e| e <= now) {
        Err(LicenseRefusal::Expired)
    } else {
        Ok(())
    }
}

/// The license state of an installation as seen by the machine `asking`. A machine that is
/// not the bound one learns nothing beyond that.
pub fn license_state(
    status: SiteStatus,
    bound: Option<&Fingerprint>,
    key: KeyStatus,
    expires_at: Option<Timestamp>,
    asking: &Fingerprint,
    now: Timestamp,
) -> LicenseState {
    match (status, bound) {
        (SiteStatus::Registered | SiteStatus::Deactivated, _) | (_, None) => {
            return LicenseState::NotActivated;
        }
        (_, Some(b)) if b != asking => return LicenseState::FingerprintMismatch,
        _ => {}
    }
    match license_in_force(status, key, expires_at, now) {
        Ok(()) => LicenseState::Valid,
        Err(LicenseRefusal::Revoked) => LicenseState::Revoked,
        Err(LicenseRefusal::Suspended) => LicenseState::Suspended,
        Err(LicenseRefusal::Expired) => LicenseState::Expired,
        // Registered and deactivated installations were answered above.
        Err(LicenseRefusal::NotActive) => LicenseState::NotActivated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(c: char) -> Fingerprint {
        Fingerprint::parse(&c.to_string().repeat(64)).unwrap()
    }

    fn site(status: SiteStatus, bound: Option<char>, transfers: u32) -> SiteBinding {
        SiteBinding {
            status,
            fingerprint: bound.map(fp),
            transfers,
            by_file: false,
        }
    }

    const STRICT: TransferPolicy = TransferPolicy { max_transfers: 0 };
    const TWO: TransferPolicy = TransferPolicy { max_transfers: 2 };

    #[test]
    fn ids_and_labels() {
        let a = new_site_id();
        assert_eq!(a.len(), 32);
        assert!(is_site_id(&a));
        assert!(!is_site_id("") && !is_site_id("../x") && !is_site_id(&"a".repeat(65)));
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, new_site_id());
        let key = ProductKey::generate(&mut rand::rngs::OsRng);
        let shown = key.to_string();
        assert_eq!(
            default_label(&key),
            format!("Installation …{}", &shown[15..])
        );
        assert_eq!(
            site_label("Acme", Some(" Depot 2 "), "Milano"),
            "Acme — Depot 2, Milano"
        );
        assert_eq!(site_label("Acme", None, ""), "Acme");
    }

    #[test]
    fn activation_binds_repeats_and_refuses_per_policy() {
        use Activation::*;
        use ActivationRefused::{AlreadyActivated, TransfersExhausted};
        use SiteStatus::*;
        assert_eq!(
            decide_activation(&site(Registered, None, 0), &fp('a'), STRICT),
            Ok(Bind)
        );
        assert_eq!(
            decide_activation(&site(Deactivated, Some('a'), 0), &fp('b'), STRICT),
            Ok(Bind)
        );
        assert_eq!(
            decide_activation(&site(Active, Some('a'), 0), &fp('a'), STRICT),
            Ok(Again)
        );
        assert_eq!(
            decide_activation(&site(Active, Some('a'), 0), &fp('b'), STRICT),
            Err(AlreadyActivated)
        );
        assert_eq!(
            decide_activation(&site(Active, Some('a'), 1), &fp('b'), TWO),
            Ok(Transfer)
        );
        assert_eq!(
            decide_activation(&site(Active, Some('a'), 2), &fp('b'), TWO),
            Err(TransfersExhausted)
        );
        assert_eq!(
            decide_activation(&site(Suspended, Some('a'), 0), &fp('a'), TWO),
            Err(ActivationRefused::Suspended)
        );
        // Bound by file: the same machine again, never a move while that machine runs on
        // its own, whatever the transfers left; once released, any machine.
        let by_file = |status, bound| SiteBinding {
            by_file: true,
            ..site(status, bound, 0)
        };
        assert_eq!(
            decide_activation(&by_file(Active, Some('a')), &fp('a'), TWO),
            Ok(Again)
        );
        for policy in [STRICT, TWO] {
            assert_eq!(
                decide_activation(&by_file(Active, Some('a')), &fp('b'), policy),
                Err(ActivationRefused::BoundByFile)
            );
        }
        assert_eq!(
            decide_activation(&by_file(Deactivated, None), &fp('b'), STRICT),
            Ok(Bind)
        );
    }

    #[test]
    fn license_states_reveal_nothing_to_another_machine() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let past = Timestamp::from_second(1_700_000_000).unwrap();
        let a = fp('a');
        let state = |status, key, expires| license_state(status, Some(&a), key, expires, &a, now);
        assert_eq!(
            state(SiteStatus::Active, KeyStatus::Activated, None),
            LicenseState::Valid
        );
        assert_eq!(
            state(SiteStatus::Active, KeyStatus::Activated, Some(past)),
            LicenseState::Expired
        );
        assert_eq!(
            state(SiteStatus::Active, KeyStatus::Revoked, None),
            LicenseState::Revoked
        );
        assert_eq!(
            state(SiteStatus::Suspended, KeyStatus::Activated, None),
            LicenseState::Suspended
        );
        assert_eq!(
            state(SiteStatus::Deactivated, KeyStatus::Registered, None),
            LicenseState::NotActivated
        );
        assert_eq!(
            license_state(
                SiteStatus::Active,
                Some(&a),
                KeyStatus::Revoked,
                None,
                &fp('b'),
                now
            ),
            LicenseState::FingerprintMismatch,
            "another machine does not learn that the key was revoked"
        );
    }

    #[test]
    fn a_license_is_in_force_unless_revoked_suspended_released_or_expired() {
        let now: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let earlier: Timestamp = "2026-12-31T00:00:00Z".parse().unwrap();
        let later: Timestamp = "2027-01-02T00:00:00Z".parse().unwrap();
        let (active, activated) = (SiteStatus::Active, KeyStatus::Activated);
        let cases = [
            (active, activated, None, Ok(())),
            (active, activated, Some(later), Ok(())),
            (
                active,
                activated,
                Some(earlier),
                Err(LicenseRefusal::Expired),
            ),
            (active, activated, Some(now), Err(LicenseRefusal::Expired)),
            (
                active,
                KeyStatus::Revoked,
                None,
                Err(LicenseRefusal::Revoked),
            ),
            // The key's revocation is the first reason, whatever the site's status.
            (
                SiteStatus::Suspended,
                KeyStatus::Revoked,
                None,
                Err(LicenseRefusal::Revoked),
            ),
            (
                SiteStatus::Suspended,
                activated,
                None,
                Err(LicenseRefusal::Suspended),
            ),
            (
                SiteStatus::Deactivated,
                activated,
                None,
                Err(LicenseRefusal::NotActive),
            ),
            (
                SiteStatus::Registered,
                KeyStatus::Registered,
                None,
                Err(LicenseRefusal::NotActive),
            ),
        ];
        for (status, key, expires, want) in cases {
            assert_eq!(
                license_in_force(status, key, expires, now),
                want,
                "{status:?} {key:?} {expires:?}"
            );
        }
    }
}
