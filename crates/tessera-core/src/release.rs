//! Releases of a product and the versions a licence names (X6 in docs/requirements.md):
//! operators publish a product's releases (a semantic version, a channel, notes, where to
//! download it and its SHA-256, the editions it is for); a licence and a validation carry the
//! latest stable release for the site's edition and the product's minimum supported version;
//! a client running below the minimum must be updated (`UPDATE_REQUIRED`).

use std::cmp::Ordering;
use std::fmt;

/// A semantic version (`1.2.11`, `2.0.0-rc.1`): three numbers, an optional pre-release and
/// build. Ordered as semantic versions are (1.10.0 after 1.9.3, a pre-release before its
/// release); the build is ignored when comparing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version(semver::Version);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("'{0}' is not a semantic version such as 1.2.11 ({1})")]
    Invalid(String, String),
}

impl Version {
    /// Parses what an operator or a program wrote; a leading `v` and white space are dropped.
    pub fn parse(input: &str) -> Result<Version, VersionError> {
        let text = input.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        semver::Version::parse(text)
            .map(Version)
            .map_err(|e| VersionError::Invalid(input.trim().to_owned(), e.to_string()))
    }

    pub fn is_prerelease(&self) -> bool {
        !self.0.pre.is_empty()
    }

    /// Whether `other` is the same version apart from its build (`1.2.11` and
    /// `1.2.11+fix`): a product publishes each version once, whatever its build says, so
    /// that a version number always names one file.
    pub fn same_version(&self, other: &Version) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_precedence(&other.0)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The channel every client follows unless told otherwise; only its releases are "latest".
pub const STABLE: &str = "stable";

/// Where a release is downloaded from: `https://…` (plain `http` only for a loopback host,
/// which is what tests use).
pub fn download_url(input: &str) -> Result<String, String> {
    let text = input.trim();
    let url = url::Url::parse(text).map_err(|e| format!("'{text}' is not a URL: {e}"))?;
    let loopback = matches!(
        url.host(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback()
    ) || url.host_str() == Some("localhost");
    match url.scheme() {
        "https" => Ok(url.to_string()),
        "http" if loopback => Ok(url.to_string()),
        _ => Err("a download URL starts with https://".into()),
    }
}

/// A SHA-256 as 64 hex digits, lower case.
pub fn sha256_hex(input: &str) -> Result<String, String> {
    let text = input.trim().to_ascii_lowercase();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(text)
    } else {
        Err("a SHA-256 is 64 hexadecimal digits".into())
    }
}

/// One published release as the versions rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published<'a> {
    pub version: &'a Version,
    pub channel: &'a str,
    /// The edition codes it is for; empty: every edition.
    pub editions: &'a [String],
    /// Withdrawn by the vendor (a broken build): kept on record, but no longer offered.
    pub withdrawn: bool,
}

impl Published<'_> {
    /// Whether a licence of `edition` may download it: it is for the edition and not
    /// withdrawn.
    pub fn for_edition(&self, edition: &str) -> bool {
        !self.withdrawn && (self.editions.is_empty() || self.editions.iter().any(|e| e == edition))
    }
}

/// The newest stable release (no pre-release) a licence of `edition` may download.
pub fn latest<'a>(releases: &[Published<'a>], edition: &str) -> Option<&'a Version> {
    newest_stable(releases.iter().filter(|r| r.for_edition(edition)))
}

/// The newest stable release (no pre-release, not withdrawn) of `releases`, whatever their
/// editions: a download list already narrowed to an account's editions names it as the
/// latest.
pub fn newest_stable<'a, 'r>(
    releases: impl IntoIterator<Item = &'r Published<'a>>,
) -> Option<&'a Version>
where
    'a: 'r,
{
    releases
        .into_iter()
        .filter(|r| r.channel == STABLE && !r.version.is_prerelease() && !r.withdrawn)
        .map(|r| r.version)
        .max()
}

/// Which of a product's two minimum versions (X6): the program's, below which the program
/// must be updated (`UPDATE_REQUIRED`), or the cloud's, below which the program runs but may
/// not connect to the cloud (seed 000: the cloud needs 1.2.11 or later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minimum {
    Program,
    Cloud,
}

impl Minimum {
    /// Its name in licences, validations, the API and the store.
    pub fn field(self) -> &'static str {
        match self {
            Minimum::Program => "minimum_version",
            Minimum::Cloud => "cloud_minimum_version",
        }
    }
}

/// What a client running `running` must do about the product's `minimum`: None when it may
/// run on, else the version it needs at least.
pub fn update_required<'a>(running: &Version, minimum: Option<&'a Version>) -> Option<&'a Version> {
    minimum.filter(|m| running < *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn versions_compare_as_semantic_versions() {
        assert!(v("1.10.0") > v("1.9.3"));
        assert!(v("1.2.11") > v("1.2.9"));
        assert!(v("2.0.0-rc.1") < v("2.0.0"));
        assert!(v("2.0.0-alpha") < v("2.0.0-beta"));
        assert_eq!(v("1.2.3+build.7").cmp(&v("1.2.3")), Ordering::Equal);
        assert_eq!(v(" v1.2.11 "), v("1.2.11"));
        assert!(v("1.2.11+fix").same_version(&v("1.2.11")));
        assert!(!v("1.2.11-rc.1").same_version(&v("1.2.11")));
        for bad in ["1.2", "1.2.x", "", "01.2.3", "1.2.3.4"] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_latest_is_the_newest_stable_release_for_the_edition() {
        let (a, b, c, d) = (v("1.2.9"), v("1.2.11"), v("1.3.0-beta.1"), v("1.4.0"));
        let none: Vec<String> = Vec::new();
        let pro = vec!["pro".to_owned()];
        let releases = [
            Published {
                version: &a,
                channel: STABLE,
                editions: &none,
                withdrawn: false,
            },
            Published {
                version: &b,
                channel: STABLE,
                editions: &none,
                withdrawn: false,
            },
            Published {
                version: &c,
                channel: "beta",
                editions: &none,
                withdrawn: false,
            },
            Published {
                version: &d,
                channel: STABLE,
                editions: &pro,
                withdrawn: false,
            },
        ];
        assert_eq!(latest(&releases, "std"), Some(&b));
        assert_eq!(latest(&releases, "pro"), Some(&d));
        assert_eq!(latest(&[], "std"), None);
    }

    #[test]
    fn a_withdrawn_release_is_neither_the_latest_nor_downloadable() {
        let (a, b) = (v("1.2.9"), v("1.2.11"));
        let every: Vec<String> = Vec::new();
        let release = |version, withdrawn| Published {
            version,
            channel: STABLE,
            editions: &every,
            withdrawn,
        };
        let releases = [release(&a, false), release(&b, true)];
        assert_eq!(latest(&releases, "std"), Some(&a));
        assert_eq!(newest_stable(&releases), Some(&a));
        assert!(!releases[1].for_edition("std"));
        assert!(releases[0].for_edition("std"));
        assert_eq!(latest(&[release(&b, true)], "std"), None);
    }

    #[test]
    fn below_the_minimum_an_update_is_required() {
        let minimum = v("1.2.11");
        assert_eq!(update_required(&v("1.2.9"), Some(&minimum)), Some(&minimum));
        assert_eq!(update_required(&v("1.2.11"), Some(&minimum)), None);
        assert_eq!(update_required(&v("1.10.0"), Some(&minimum)), None);
        assert_eq!(
            update_required(&v("1.2.11-rc.1"), Some(&minimum)),
            Some(&minimum)
        );
        assert_eq!(update_required(&v("0.1.0"), None), None);
    }

    #[test]
    fn downloads_are_https_and_checksums_hex() {
        assert!(download_url("https://downloads.vendor.example/ssm2-1.2.11.exe").is_ok());
        assert!(download_url("http://127.0.0.1:8080/f").is_ok());
        assert!(download_url("http://downloads.vendor.example/f").is_err());
        assert!(download_url("ftp://x/f").is_err());
        assert!(download_url("not a url").is_err());
        let hex = "A".repeat(64);
        assert_eq!(sha256_hex(&hex).unwrap(), "a".repeat(64));
        assert!(sha256_hex("abc").is_err());
        assert!(sha256_hex(&"g".repeat(64)).is_err());
    }
}
