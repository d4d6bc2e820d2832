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

use crate::site::LicenseRefusal;
use crate::subscription::{SubscriptionState, Unusable};

/// The edition and size of a subscription's installations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Bundle {
    pub edition: String,
    pub size: String,
}

/// One installation the account asks to enable, as the enablement rule needs to see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<'a> {
    pub site_id: &'a str,
    pub bundle: Bundle,
    /// Already enabled in this subscription.
    pub enabled: bool,
    /// Its own license at this moment: in force, or why not (the client must have activated
    /// it, and it is not revoked, suspended or expired).
    pub license: Result<(), LicenseRefusal>,
    /// Its site data names a representative email, where the codes go.
    pub has_email: bool,
}

/// Why a selection cannot be enabled; nothing of it is. (The whole rule is
/// [`decide_enablement`].)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnablementRefused {
    /// The subscription's state (as of now) does not allow the service.
    #[error(transparent)]
    Unusable(Unusable),
    #[error("no site was selected")]
    Empty,
    #[error("site {0} is already enabled")]
    AlreadyEnabled(String),
    #[error("{}", not_in_force(site_id, *why))]
    LicenseNotInForce {
        site_id: String,
        why: LicenseRefusal,
    },
    #[error("site {site_id} is {found:?}; the plan covers only {covered:?}")]
    NotInPlan {
        site_id: String,
        found: Bundle,
        covered: Vec<Bundle>,
    },
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
    #[error("site {0} has no representative email yet: its client sends it with the site data")]
    EmailMissing(String),
}

fn not_in_force(site_id: &str, why: LicenseRefusal) -> String {
    match why {
        LicenseRefusal::NotActive => {
            format!("site {site_id} has not been activated by its client yet")
        }
        other => format!("site {site_id} cannot be enabled: {other}"),
    }
}

/// The whole rule for enabling sites in a subscription (E5), in the order its refusals are
/// given: the subscription must be usable (`state`, as of now); each chosen site must not be
/// enabled yet, must have its license in force, must be of a bundle the plan covers
/// (`covered`) and of the subscription's bundle (`fixed`, None until the first site fixes
/// it); the seats must hold them all beside the `enabled` ones; and each must have an
/// email for its codes. Gives the subscription's bundle after enabling them.
pub fn decide_enablement(
    state: SubscriptionState,
    fixed: Option<&Bundle>,
    covered: &[Bundle],
    seats: u32,
    enabled: u32,
    chosen: &[Choice<'_>],
) -> Result<Bundle, EnablementRefused> {
    state.usable().map_err(EnablementRefused::Unusable)?;
    let first = chosen.first().ok_or(EnablementRefused::Empty)?;
    let wanted = fixed.cloned().unwrap_or_else(|| first.bundle.clone());
    for c in chosen {
        if c.enabled {
            return Err(EnablementRefused::AlreadyEnabled(c.site_id.to_owned()));
        }
        if let Err(why) = c.license {
            return Err(EnablementRefused::LicenseNotInForce {
                site_id: c.site_id.to_owned(),
                why,
            });
        }
        if !covered.contains(&c.bundle) {
            return Err(EnablementRefused::NotInPlan {
                site_id: c.site_id.to_owned(),
                found: c.bundle.clone(),
                covered: covered.to_vec(),
            });
        }
        if c.bundle != wanted {
            return Err(EnablementRefused::EditionMismatch {
                site_id: c.site_id.to_owned(),
                wanted,
                found: c.bundle.clone(),
            });
        }
    }
    let asked = u32::try_from(chosen.len()).unwrap_or(u32::MAX);
    if enabled.saturating_add(asked) > seats {
        return Err(EnablementRefused::SeatsExceeded {
            seats,
            enabled,
            asked,
        });
    }
    if let Some(c) = chosen.iter().find(|c| !c.has_email) {
        return Err(EnablementRefused::EmailMissing(c.site_id.to_owned()));
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

    mod decide {
        use super::super::*;
        use crate::site::LicenseRefusal;
        use crate::subscription::{SubscriptionState, Unusable};

        fn bundle(edition: &str) -> Bundle {
            Bundle {
                edition: edition.into(),
                size: "small".into(),
            }
        }

        fn choice(id: &str) -> Choice<'_> {
            Choice {
                site_id: id,
                bundle: bundle("std"),
                enabled: false,
                license: Ok(()),
                has_email: true,
            }
        }

        fn decide(
            state: SubscriptionState,
            chosen: &[Choice<'_>],
        ) -> Result<Bundle, EnablementRefused> {
            decide_enablement(state, None, &[bundle("std"), bundle("pro")], 2, 0, chosen)
        }

        #[test]
        fn a_usable_subscription_takes_licensed_sites_of_one_bundle() {
            assert_eq!(
                decide(SubscriptionState::Active, &[choice("a"), choice("b")]),
                Ok(bundle("std"))
            );
            assert_eq!(
                decide(SubscriptionState::Trialing, &[choice("a")]),
                Ok(bundle("std"))
            );
        }

        #[test]
        fn the_first_site_fixes_the_bundle_and_later_ones_must_match() {
            let pro = Choice {
                bundle: bundle("pro"),
                ..choice("a")
            };
            assert_eq!(
                decide(SubscriptionState::Active, std::slice::from_ref(&pro)),
                Ok(bundle("pro"))
            );
            let fixed = bundle("std");
            let covered = [bundle("std"), bundle("pro")];
            let err = decide_enablement(
                SubscriptionState::Active,
                Some(&fixed),
                &covered,
                5,
                1,
                &[pro],
            );
            assert_eq!(
                err,
                Err(EnablementRefused::EditionMismatch {
                    site_id: "a".into(),
                    wanted: bundle("std"),
                    found: bundle("pro")
                })
            );
            assert!(
                decide_enablement(
                    SubscriptionState::Active,
                    Some(&fixed),
                    &covered,
                    2,
                    1,
                    &[choice("b")]
                )
                .is_ok()
            );
        }

        #[test]
        fn an_unusable_subscription_refuses_before_anything_else() {
            for (state, why) in [
                (SubscriptionState::Expired, Unusable::Expired),
                (SubscriptionState::Blocked, Unusable::Blocked),
                (SubscriptionState::Maintenance, Unusable::Maintenance),
                (SubscriptionState::Deleted, Unusable::Deleted),
            ] {
                assert_eq!(decide(state, &[]), Err(EnablementRefused::Unusable(why)));
            }
            assert_eq!(
                decide(SubscriptionState::Active, &[]),
                Err(EnablementRefused::Empty)
            );
        }

        /// The same rule as cloud access: a site whose license expired (or is revoked,
        /// suspended, not activated) is not enabled.
        #[test]
        fn a_site_whose_license_is_not_in_force_is_refused() {
            for why in [
                LicenseRefusal::Expired,
                LicenseRefusal::Revoked,
                LicenseRefusal::Suspended,
                LicenseRefusal::NotActive,
            ] {
                let site = Choice {
                    license: Err(why),
                    ..choice("a")
                };
                let err = decide(SubscriptionState::Active, &[site]).unwrap_err();
                assert_eq!(
                    err,
                    EnablementRefused::LicenseNotInForce {
                        site_id: "a".into(),
                        why
                    }
                );
            }
            let expired = Choice {
                license: Err(LicenseRefusal::Expired),
                ..choice("a")
            };
            assert_eq!(
                decide(SubscriptionState::Active, &[expired])
                    .unwrap_err()
                    .to_string(),
                "site a cannot be enabled: its license has expired"
            );
        }

        #[test]
        fn bundles_seats_and_emails_are_checked_in_order() {
            let ent = Choice {
                bundle: bundle("ent"),
                ..choice("a")
            };
            assert!(matches!(
                decide(SubscriptionState::Active, &[ent]),
                Err(EnablementRefused::NotInPlan { .. })
            ));
            let pro = Choice {
                bundle: bundle("pro"),
                ..choice("b")
            };
            assert!(matches!(
                decide(SubscriptionState::Active, &[choice("a"), pro]),
                Err(EnablementRefused::EditionMismatch { .. })
            ));
            assert!(matches!(
                decide(
                    SubscriptionState::Active,
                    &[choice("a"), choice("b"), choice("c")]
                ),
                Err(EnablementRefused::SeatsExceeded {
                    seats: 2,
                    enabled: 0,
                    asked: 3
                })
            ));
            let mute = Choice {
                has_email: false,
                ..choice("b")
            };
            assert_eq!(
                decide(SubscriptionState::Active, &[choice("a"), mute]),
                Err(EnablementRefused::EmailMissing("b".into()))
            );
            let done = Choice {
                enabled: true,
                ..choice("a")
            };
            assert_eq!(
                decide(SubscriptionState::Active, &[done]),
                Err(EnablementRefused::AlreadyEnabled("a".into()))
            );
        }
    }
}
