//! Releases of a product, its minimum supported version and an account's downloads (X6).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A release as an operator publishes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewRelease {
    /// A semantic version; a leading `v` is dropped.
    #[schema(example = "1.2.11")]
    pub version: String,
    /// `stable` (the default) or another channel (`beta`); only stable releases are a
    /// licence's latest version.
    #[serde(default)]
    #[schema(example = "stable")]
    pub channel: Option<String>,
    #[serde(default)]
    #[schema(example = "Cloud sync of drivers and vehicles.")]
    pub notes: String,
    /// Where it is downloaded: `https://…`.
    #[schema(example = "https://downloads.vendor.example/ssm2/ssm2-1.2.11.exe")]
    pub url: String,
    /// The file's SHA-256 (64 hex digits), for the download to be checked.
    #[serde(default)]
    pub sha256: Option<String>,
    /// The editions it is for; none: every edition.
    #[serde(default)]
    pub editions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Release {
    pub product: String,
    pub version: String,
    pub channel: String,
    pub notes: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub editions: Vec<String>,
    pub published_at: String,
    /// When the vendor withdrew it (absent while it is offered): a withdrawn release is
    /// listed to operators only, and no licence names it as the latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<String>,
    /// Why, as the operator wrote it (may be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_reason: Option<String>,
}

/// Withdraws a release: why, for the record (optional).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct WithdrawRelease {
    #[serde(default)]
    #[schema(example = "the installer fails on Windows 7")]
    pub reason: String,
}

/// A product's releases, newest version first, and its minimum versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseList {
    pub product: String,
    pub product_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_version: Option<String>,
    /// The version the program needs at least to connect to the cloud (the code exchange
    /// refuses one below it with `UPDATE_REQUIRED`; the program itself runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_minimum_version: Option<String>,
    /// The newest stable release of the list (no pre-release): what licences name as the
    /// latest, for the editions the list is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<String>,
    pub releases: Vec<Release>,
}

/// Sets the product's minimum supported version; null clears it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SetMinimumVersion {
    #[schema(example = "1.2.11")]
    pub minimum_version: Option<String>,
}

/// Sets the version the product's program needs at least to connect to the cloud; null
/// clears it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SetCloudMinimumVersion {
    #[schema(example = "1.2.11")]
    pub cloud_minimum_version: Option<String>,
}

/// What an account may download: for each product it holds keys of, the releases for its
/// editions and the minimum versions (the program's and the cloud's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Downloads {
    pub products: Vec<ReleaseList>,
}
