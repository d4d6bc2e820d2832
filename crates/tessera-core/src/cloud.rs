//! Enabling sites for the cloud service (E5–E6): which installations a subscription may take,
//! and the codes a site's client exchanges for cloud access.
//!
//! A subscription covers installations of one edition and size (a "bundle": the price
//! depends on the size). The first site enabled fixes them; every later site must match.
//! Sites stay enabled until the renewal (sites are dropped only then), and a site whose key
//! was upgraded to another edition afterwards stays on the list but is shown "cloud
//! disabled: license mismatch" and refused cloud access.

use rand::Rng;
use serde::Serialize;

/// The edition and size of a subscription's installations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Bundle {
    pub edition: String,
    pub size: String,
}

/// One installation the account asks to enable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub site_id: &'a str,
    pub bundle: Bundle,
    /// Already enabled in this subscription.
    pub enabled: bool,
    /// The client activated it (the seed: "registered and activated on the client").
    pub active: bool,
}

/// Why a selection cannot be enabled; nothing of it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnableRefused {
    #[error("site {site_id} is {found:?}; this subscription covers {wanted:?}")]
    EditionMismatch {
        site_id: String,
        wanted: Bundle,
        found: Bundle,
    },
    #[error("the subscription covers {seats} sites; {enabled} are enabled, {asked} more asked")]
    SeatsExceeded {
        seats: u32,
        enabled: u32,
        asked: u32,
    },
    #[error("site {site_id} is {found:?}; the plan covers only {covered:?}")]
    NotInPlan {
        site_id: String,
        found: Bundle,
        covered: Vec<Bundle>,
    },
    #[error("site {0} is already enabled")]
    AlreadyEnabled(String),
    #[error("site {0} has not been activated by its client yet")]
    SiteNotActive(String),
    #[error("no site was selected")]
    Empty,
}

impl EnableRefused {
    pub fn code(&self) -> &'static str {
        match self {
            EnableRefused::EditionMismatch { .. } => "EDITION_MISMATCH",
            EnableRefused::SeatsExceeded { .. } => "SEATS_EXCEEDED",
            EnableRefused::NotInPlan { .. } => "PLAN_MISMATCH",
            EnableRefused::AlreadyEnabled(_) => "SITE_ALREADY_ENABLED",
            EnableRefused::SiteNotActive(_) => "SITE_NOT_ACTIVE",
            EnableRefused::Empty => "NO_SITES_SELECTED",
        }
    }
}

/// Checks a selection against the subscription: its bundle (`fixed`, None until the first
/// site), the bundles its plan covers, its seats and the sites enabled so far. Gives the
/// bundle the subscription has after enabling them.
pub fn check_enablement(
    fixed: Option<&Bundle>,
    covered: &[Bundle],
    seats: u32,
    enabled: u32,
    chosen: &[Candidate<'_>],
) -> Result<Bundle, EnableRefused> {
    let first = chosen.first().ok_or(EnableRefused::Empty)?;
    let wanted = fixed.cloned().unwrap_or_else(|| first.bundle.clone());
    for c in chosen {
        if c.enabled {
            return Err(EnableRefused::AlreadyEnabled(c.site_id.to_owned()));
        }
        if !c.active {
            return Err(EnableRefused::SiteNotActive(c.site_id.to_owned()));
        }
        if !covered.contains(&c.bundle) {
            return Err(EnableRefused::NotInPlan {
                site_id: c.site_id.to_owned(),
                found: c.bundle.clone(),
                covered: covered.to_vec(),
            });
        }
        if c.bundle != wanted {
            return Err(EnableRefused::EditionMismatch {
                site_id: c.site_id.to_owned(),
                wanted,
                found: c.bundle.clone(),
            });
        }
    }
    let asked = u32::try_from(chosen.len()).unwrap_or(u32::MAX);
    if enabled.saturating_add(asked) > seats {
        return Err(EnableRefused::SeatsExceeded {
            seats,
            enabled,
            asked,
        });
    }
    Ok(wanted)
}

/// How the cloud service stands at one installation (the seed's three states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloudStatus {
    /// "Cloud nicht freigegeben."
    NotEnabled,
    /// "Cloud freigegeben."
    Enabled,
    /// "Cloud disabled: license mismatch": enabled, but its key now has another edition or
    /// size than the subscription covers.
    LicenseMismatch,
}

impl CloudStatus {
    pub fn of(enabled: bool, subscription: Option<&Bundle>, site: &Bundle) -> CloudStatus {
        match (enabled, subscription) {
            (false, _) => CloudStatus::NotEnabled,
            (true, Some(b)) if b != site => CloudStatus::LicenseMismatch,
            (true, _) => CloudStatus::Enabled,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CloudStatus::NotEnabled => "not_enabled",
            CloudStatus::Enabled => "enabled",
            CloudStatus::LicenseMismatch => "license_mismatch",
        }
    }
}

/// Letters and digits nobody confuses when typing a code from an email (no 0/O, 1/I/L, U).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_code(groups: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    let mut out = String::with_capacity(groups * 5);
    for g in 0..groups {
        if g > 0 {
            out.push('-');
        }
        for _ in 0..4 {
            out.push(char::from(
                CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())],
            ));
        }
    }
    out
}

/// A new activation code: `XXXX-XXXX-XXXX-XXXX`, 16 characters of 30 (78 bits), the secret
/// of the pair.
pub fn new_activation_code() -> String {
    random_code(4)
}

/// A new site code: `XXXX-XXXX` (39 bits). It names the site at sign-in (H1) together with
/// a user and password, and goes with the activation code to enable the cloud.
pub fn new_site_code() -> String {
    random_code(2)
}

/// A typed code in the form it was issued: upper case, in dash-separated groups of four
/// whatever dashes and spaces were typed. Hashes are taken of this form.
pub fn normalize_code(typed: &str) -> String {
    let symbols: Vec<char> = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    symbols
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Why an installation's own license keeps it out of the cloud, whatever its subscription:
/// the cloud serves licensed installations only. None while the license is in force.
/// (The wire codes are `tessera_api`'s; this stays until the store asks the typed rule.)
pub fn license_refusal(
    status: crate::site::SiteStatus,
    key: crate::key_status::KeyStatus,
    expires_at: Option<jiff::Timestamp>,
    now: jiff::Timestamp,
) -> Option<&'static str> {
    use crate::site::LicenseRefusal;
    crate::site::license_in_force(status, key, expires_at, now)
        .err()
        .map(|why| match why {
            LicenseRefusal::Revoked => "LICENSE_REVOKED",
            LicenseRefusal::Suspended => "LICENSE_SUSPENDED",
            LicenseRefusal::NotActive => "LICENSE_NOT_ACTIVE",
            LicenseRefusal::Expired => "LICENSE_EXPIRED",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(edition: &str, size: &str) -> Bundle {
        Bundle {
            edition: edition.into(),
            size: size.into(),
        }
    }

    /// A plan covering every bundle these tests use but `ent`.
    fn covered() -> Vec<Bundle> {
        vec![
            bundle("std", "small"),
            bundle("pro", "small"),
            bundle("std", "large"),
        ]
    }

    fn site<'a>(id: &'a str, edition: &str) -> Candidate<'a> {
        Candidate {
            site_id: id,
            bundle: bundle(edition, "small"),
            enabled: false,
            active: true,
        }
    }

    #[test]
    fn the_first_site_fixes_the_bundle() {
        let got = check_enablement(
            None,
            &covered(),
            3,
            0,
            &[site("a", "std"), site("b", "std")],
        );
        assert_eq!(got, Ok(bundle("std", "small")));
    }

    #[test]
    fn a_site_of_another_edition_or_size_is_refused() {
        let err = check_enablement(
            None,
            &covered(),
            3,
            0,
            &[site("a", "std"), site("b", "pro")],
        )
        .unwrap_err();
        assert_eq!(err.code(), "EDITION_MISMATCH");
        let fixed = bundle("std", "large");
        let err =
            check_enablement(Some(&fixed), &covered(), 3, 1, &[site("a", "std")]).unwrap_err();
        assert_eq!(
            err,
            EnableRefused::EditionMismatch {
                site_id: "a".into(),
                wanted: fixed,
                found: bundle("std", "small")
            }
        );
    }

    #[test]
    fn the_sites_own_license_comes_first() {
        use crate::key_status::KeyStatus;
        use crate::site::SiteStatus;
        let now: jiff::Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let earlier: jiff::Timestamp = "2026-12-31T00:00:00Z".parse().unwrap();
        let later: jiff::Timestamp = "2027-01-02T00:00:00Z".parse().unwrap();
        let cases = [
            (SiteStatus::Active, KeyStatus::Activated, None, None),
            (SiteStatus::Active, KeyStatus::Activated, Some(later), None),
            (
                SiteStatus::Active,
                KeyStatus::Activated,
                Some(earlier),
                Some("LICENSE_EXPIRED"),
            ),
            (
                SiteStatus::Active,
                KeyStatus::Revoked,
                None,
                Some("LICENSE_REVOKED"),
            ),
            (
                SiteStatus::Suspended,
                KeyStatus::Revoked,
                None,
                Some("LICENSE_REVOKED"),
            ),
            (
                SiteStatus::Suspended,
                KeyStatus::Activated,
                None,
                Some("LICENSE_SUSPENDED"),
            ),
            (
                SiteStatus::Deactivated,
                KeyStatus::Activated,
                None,
                Some("LICENSE_NOT_ACTIVE"),
            ),
        ];
        for (status, key, expires, want) in cases {
            assert_eq!(
                license_refusal(status, key, expires, now),
                want,
                "{status:?} {key:?} {expires:?}"
            );
        }
    }

    #[test]
    fn only_bundles_the_plan_covers() {
        let err = check_enablement(None, &covered(), 3, 0, &[site("a", "ent")]).unwrap_err();
        assert_eq!(err.code(), "PLAN_MISMATCH");
        // Even when the subscription's bundle would match: the plan decides.
        let fixed = bundle("ent", "small");
        let err = check_enablement(Some(&fixed), &covered(), 3, 0, &[site("a", "ent")]);
        assert_eq!(err.unwrap_err().code(), "PLAN_MISMATCH");
    }

    #[test]
    fn no_more_sites_than_seats() {
        let fixed = bundle("std", "small");
        assert!(check_enablement(Some(&fixed), &covered(), 3, 2, &[site("c", "std")]).is_ok());
        let err = check_enablement(
            Some(&fixed),
            &covered(),
            3,
            2,
            &[site("c", "std"), site("d", "std")],
        )
        .unwrap_err();
        assert_eq!(err.code(), "SEATS_EXCEEDED");
    }

    #[test]
    fn enabled_inactive_and_empty_selections_are_refused() {
        let mut a = site("a", "std");
        a.enabled = true;
        assert_eq!(
            check_enablement(None, &covered(), 3, 1, &[a])
                .unwrap_err()
                .code(),
            "SITE_ALREADY_ENABLED"
        );
        let mut b = site("b", "std");
        b.active = false;
        assert_eq!(
            check_enablement(None, &covered(), 3, 0, &[b])
                .unwrap_err()
                .code(),
            "SITE_NOT_ACTIVE"
        );
        assert_eq!(
            check_enablement(None, &covered(), 3, 0, &[])
                .unwrap_err()
                .code(),
            "NO_SITES_SELECTED"
        );
    }

    #[test]
    fn an_upgraded_key_shows_a_license_mismatch() {
        let sub = bundle("std", "small");
        assert_eq!(
            CloudStatus::of(true, Some(&sub), &bundle("pro", "small")),
            CloudStatus::LicenseMismatch
        );
        assert_eq!(
            CloudStatus::of(true, Some(&sub), &bundle("std", "small")),
            CloudStatus::Enabled
        );
        assert_eq!(
            CloudStatus::of(false, Some(&sub), &bundle("pro", "small")),
            CloudStatus::NotEnabled
        );
    }

    #[test]
    fn codes_are_typable_and_normalized() {
        let code = new_activation_code();
        assert_eq!(code.len(), 19);
        assert!(
            code.bytes()
                .all(|b| b == b'-' || CODE_ALPHABET.contains(&b))
        );
        assert_ne!(code, new_activation_code());
        assert_eq!(new_site_code().len(), 9);
        assert_eq!(normalize_code(" abcd-efgh "), "ABCD-EFGH");
        assert_eq!(normalize_code("abcdefgh"), "ABCD-EFGH");
        assert_eq!(
            normalize_code("ab-cd ef-gh-ijkl-mnop"),
            "ABCD-EFGH-IJKL-MNOP"
        );
        assert_eq!(normalize_code("--"), "");
        let issued = new_activation_code();
        assert_eq!(
            normalize_code(&issued.to_lowercase().replace('-', "")),
            issued
        );
    }
}
