use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::license::SignedDocument;

/// Activation from the client software (C1, B4). Name the account by `email` or by
/// `vat_number` (exactly one), prove it with one of its product keys, and send the machine
/// fingerprint: the SHA-256 of the machine id and the vendor salt, 64 hex digits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivationRequest {
    #[serde(default)]
    #[schema(example = "jack@example.com")]
    pub email: Option<String>,
    #[serde(default)]
    pub vat_number: Option<String>,
    #[schema(example = "U107-3D27-309C-F484")]
    pub product_key: String,
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub fingerprint: String,
    /// With `vat_number` and several installations: the `site_id` to bind.
    #[serde(default)]
    pub installation: Option<String>,
}

/// What an accepted activation returns.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivationResponse {
    pub site_id: String,
    /// `activated`, `again` (same machine, license issued anew) or `transferred`.
    pub activation: String,
    /// Send as `Authorization: Bearer <token>` on the site's own calls (site data,
    /// deactivation). A new token replaces the old one on every activation.
    pub site_token: String,
    pub license: SignedDocument,
    /// True until the client has sent its site data.
    pub site_data_required: bool,
}

impl std::fmt::Debug for ActivationResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivationResponse")
            .field("site_id", &self.site_id)
            .field("activation", &self.activation)
            .finish_non_exhaustive()
    }
}

/// One installation an account has, as a choice or in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InstallationInfo {
    pub site_id: String,
    pub label: String,
    pub product: String,
    pub edition: String,
    /// `registered`, `active`, `deactivated` or `suspended`.
    pub status: String,
}

/// A 409 of an activation. With `INSTALLATION_CHOICE_REQUIRED` the account has several
/// installations, listed in `installations`: send the request again with `installation` set
/// to one `site_id`. The other conflicts (`KEY_ALREADY_ACTIVATED`, …) are error bodies
/// without the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InstallationChoice {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub installations: Vec<InstallationInfo>,
}

/// The site data the client sends after activation (C1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SiteData {
    #[schema(example = "Rossi Trasporti S.r.l.")]
    pub company: String,
    #[serde(default)]
    #[schema(example = "Depot Nord")]
    pub branch: Option<String>,
    #[schema(example = "Via Emilia 4")]
    pub address: String,
    #[schema(example = "20121")]
    pub zip: String,
    #[schema(example = "Milano")]
    pub locality: String,
    #[schema(example = "MI")]
    pub province: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "IT")]
    pub nation: String,
    pub representative_name: String,
    pub representative_surname: String,
    /// Receives the cloud activation codes later.
    pub representative_email: String,
}

/// An installation as its account and operators see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Site {
    pub site_id: String,
    pub account_id: i64,
    pub label: String,
    /// `registered`, `active`, `deactivated` or `suspended`.
    pub status: String,
    pub product: String,
    pub edition: String,
    pub size: String,
    pub product_key: String,
    pub key_status: String,
    /// The bound machine's fingerprint while active.
    pub fingerprint: Option<String>,
    pub transfers: u32,
    /// Activated by file (X1): its machine does not check online, so only an operator
    /// releases the installation or lets it move (`LICENSED_BY_FILE` otherwise).
    #[serde(default)]
    pub by_file: bool,
    pub expires_at: Option<String>,
    pub activated_at: Option<String>,
    pub deactivated_at: Option<String>,
    pub last_validated_at: Option<String>,
    pub data: Option<SiteData>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SiteList {
    pub sites: Vec<Site>,
}

/// Sets or clears (null) the date an installation's license expires.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SetExpiry {
    /// RFC 3339, or null for "never".
    pub expires_at: Option<String>,
}

/// The daily check (D5, D6). The response is a signed `tessera-validation/v2` document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ValidationRequest {
    pub site_id: String,
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub fingerprint: String,
    /// 16 to 64 fresh random bytes as hex; echoed inside the signed response.
    #[schema(pattern = "^([0-9a-fA-F]{2}){16,64}$")]
    pub nonce: String,
}

/// Whom to call about a site (F4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Technician {
    #[schema(example = "Luca Bianchi")]
    pub name: String,
    #[schema(example = "0039 348 1234567")]
    pub phone: String,
    #[schema(example = "luca@service.example")]
    pub email: String,
}

/// A site's technical data (F4): its technician and its equipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SiteTechnicalData {
    pub technician: Option<Technician>,
    /// Charging points by EVSE ID (`DE*ABC*E123456*1`); answered in canonical form, sorted.
    #[serde(default)]
    pub evse_ids: Vec<String>,
}
