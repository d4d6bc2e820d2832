//! From stored installations to what clients and people see: the signed license (C3), the
//! signed validation response (D5, D6) and the API view of a site.

use jiff::{SignedDuration, Timestamp};
use tessera_api::{InstallationInfo, Site, SiteData};
use tessera_core::license::{Grant, License, Validation};
use tessera_core::{DocumentKind, Fingerprint, LicenseState, Nonce, SignedDocument, license_state};
use tessera_store::{AccountSites, SiteView, installation};

use crate::signing::KeySet;

fn deadline(now: Timestamp, grace_days: u32) -> Timestamp {
    now + SignedDuration::from_hours(24 * i64::from(grace_days))
}

/// The license of an active installation, signed with the active key.
pub fn signed_license(site: &SiteView, keys: &KeySet, now: Timestamp) -> SignedDocument {
    sign_license(&license_of(site, keys, now), keys)
}

/// The license of an active installation answered by file (X1): bound to the request's
/// `nonce`, with the product's offline terms and the deadline they set. None when the
/// product does not offer activation by file.
pub fn signed_offline_license(
    site: &SiteView,
    keys: &KeySet,
    now: Timestamp,
    nonce: &Nonce,
) -> Option<SignedDocument> {
    let (mut terms, check_deadline) = site.offline_policy.terms(nonce, now, site.grace_days)?;
    terms.machine_key = site.machine_key.clone();
    let license = License {
        check_deadline,
        offline: Some(terms),
        ..license_of(site, keys, now)
    };
    Some(sign_license(&license, keys))
}

fn sign_license(license: &License, keys: &KeySet) -> SignedDocument {
    let payload = serde_json::to_vec(license).expect("a license serializes");
    keys.sign(DocumentKind::License, &payload)
}

fn license_of(site: &SiteView, keys: &KeySet, now: Timestamp) -> License {
    let fingerprint = site
        .fingerprint
        .as_ref()
        .map(|f| f.as_str().to_owned())
        .unwrap_or_default();
    License {
        site_id: site.public_id.clone(),
        licensee: site.licensee.clone(),
        product: site.product.clone(),
        product_name: site.product_name.clone(),
        edition: site.edition.clone(),
        edition_name: site.edition_name.clone(),
        size: site.size.clone(),
        limits: site.limits.clone(),
        modules: site.modules.clone(),
        user_count: site.limits.get("users").copied(),
        expires_at: site.expires_at,
        fingerprint,
        issued_at: now,
        check_deadline: deadline(now, site.grace_days),
        grace_days: site.grace_days,
        latest_version: site.latest_version.as_ref().map(ToString::to_string),
        minimum_version: site.minimum_version.as_ref().map(ToString::to_string),
        cloud_minimum_version: site.cloud_minimum_version.as_ref().map(ToString::to_string),
        offline: None,
        key_id: keys.active().key_id.clone(),
    }
}

/// The answer to a validation, as the payload to sign with the active key of `keys` (see
/// [`crate::signing::batch`]). `sites` is None for an unknown site id.
pub fn validation_payload(
    sites: Option<&AccountSites>,
    site_id: &str,
    fingerprint: &Fingerprint,
    nonce: &Nonce,
    keys: &KeySet,
    now: Timestamp,
) -> (LicenseState, Option<i64>, Vec<u8>) {
    let site = sites.and_then(|s| s.site(site_id));
    let state = match site {
        None => LicenseState::UnknownSite,
        Some(s) => license_state(
            s.status,
            s.fingerprint.as_ref(),
            s.key_status,
            s.expires_at,
            fingerprint,
            now,
        ),
    };
    // Only the bound machine hears about the account's installations.
    let bound = !matches!(
        state,
        LicenseState::UnknownSite | LicenseState::NotActivated | LicenseState::FingerprintMismatch
    );
    let grant = site
        .filter(|_| state == LicenseState::Valid)
        .map(|s| Grant {
            product: s.product.clone(),
            edition: s.edition.clone(),
            modules: s.modules.clone(),
            user_count: s.limits.get("users").copied(),
            expires_at: s.expires_at,
            next_check_deadline: deadline(now, s.grace_days),
            grace_days: s.grace_days,
            latest_version: s.latest_version.as_ref().map(ToString::to_string),
            minimum_version: s.minimum_version.as_ref().map(ToString::to_string),
            cloud_minimum_version: s.cloud_minimum_version.as_ref().map(ToString::to_string),
        });
    let installations = match sites {
        Some(all) if bound => all.sites.iter().map(installation).collect(),
        _ => Vec::new(),
    };
    let validation = Validation {
        site_id: site_id.to_owned(),
        state,
        nonce: nonce.as_str().to_owned(),
        server_time: now,
        grant,
        installations,
        key_id: keys.active().key_id.clone(),
    };
    // About 700 bytes with two installations: written without growing the buffer.
    let mut payload = Vec::with_capacity(1024);
    serde_json::to_writer(&mut payload, &validation).expect("a validation serializes");
    let valid_site = site.filter(|_| state == LicenseState::Valid).map(|s| s.id);
    (state, valid_site, payload)
}

pub fn to_api_installation(i: tessera_core::license::Installation) -> InstallationInfo {
    InstallationInfo {
        site_id: i.site_id,
        label: i.label,
        product: i.product,
        edition: i.edition,
        status: i.status.as_str().to_owned(),
    }
}

pub fn to_api_site(s: &SiteView) -> Site {
    Site {
        site_id: s.public_id.clone(),
        account_id: s.account_id,
        label: s.label.clone(),
        status: s.status.as_str().to_owned(),
        product: s.product.clone(),
        edition: s.edition.clone(),
        size: s.size.clone(),
        product_key: s.key.to_string(),
        key_status: s.key_status.as_str().to_owned(),
        fingerprint: s.fingerprint.as_ref().map(|f| f.as_str().to_owned()),
        transfers: s.transfers,
        by_file: s.by_file,
        expires_at: s.expires_at.map(|t| t.to_string()),
        activated_at: s.activated_at.map(|t| t.to_string()),
        deactivated_at: s.deactivated_at.map(|t| t.to_string()),
        last_validated_at: s.last_validated_at.map(|t| t.to_string()),
        data: s
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str::<SiteData>(d).ok()),
    }
}
