//! Settings in layers, later wins: defaults → TOML file → `TESSERA_*` environment →
//! command-line flags. A bad value is reported with the key and where it came from.

use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::Serialize;
use tessera_server::Config;

/// The keys a `TESSERA_*` variable may set (other TESSERA_ variables belong to other tools):
/// every setting of [`Config`], sections one level deep (`rate_limits.validations_per_ip`),
/// read off the defaults so a new setting never needs listing here.
fn env_keys() -> Vec<String> {
    let defaults = serde_json::to_value(Config::default()).expect("the config serializes");
    let mut keys = Vec::new();
    for (key, value) in defaults.as_object().into_iter().flatten() {
        match value.as_object() {
            Some(section) => keys.extend(section.keys().map(|sub| format!("{key}.{sub}"))),
            None => keys.push(key.clone()),
        }
    }
    keys
}
/// Secrets that may instead be read from the file a `TESSERA_<KEY>_FILE` variable names
/// (`TESSERA_SMTP__PASSWORD_FILE` for `smtp.password`).
const FILE_SECRETS: &[&str] = &[
    "admin_password",
    "database_url",
    "smtp.password",
    "billing.payment_secret",
];

/// Flags given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

/// `tessera.toml` in the working directory is read when no file is named.
const DEFAULT_FILE: &str = "tessera.toml";

pub fn load(file: Option<&Path>, flags: &Overrides) -> anyhow::Result<Config> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    match file {
        Some(path) => {
            anyhow::ensure!(
                path.exists(),
                "config file {} does not exist",
                path.display()
            );
            figment = figment.merge(Toml::file_exact(path));
        }
        None if Path::new(DEFAULT_FILE).exists() => {
            figment = figment.merge(Toml::file_exact(DEFAULT_FILE))
        }
        None => {}
    }
    // TESSERA_RATE_LIMITS__VALIDATIONS_PER_IP sets rate_limits.validations_per_ip.
    let keys = env_keys();
    figment = figment.merge(
        Env::prefixed("TESSERA_")
            .split("__")
            .filter(move |key| keys.iter().any(|k| key == k.as_str())),
    );
    for key in FILE_SECRETS {
        let var = format!(
            "TESSERA_{}_FILE",
            key.replace('.', "__").to_ascii_uppercase()
        );
        if let Some(path) = std::env::var_os(&var) {
            let value = std::fs::read_to_string(&path)
                .with_context(|| format!("{var}: reading {}", PathBuf::from(&path).display()))?;
            figment = figment.merge(Serialized::default(
                key,
                value.trim_end_matches(['\n', '\r']),
            ));
        }
    }
    figment = figment.merge(Serialized::defaults(flags));
    figment
        .extract()
        .map_err(|e| anyhow::anyhow!("configuration: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In figment's Jail like the test that sets `TESSERA_*` variables: the Jail's lock keeps
    /// the two from running at once (that one's variables would leak into this one).
    #[test]
    #[allow(clippy::result_large_err)]
    fn flags_win_over_file_which_wins_over_defaults() {
        figment::Jail::expect_with(|_jail| {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("t.toml");
            std::fs::write(&file, "listen = \"127.0.0.1:9999\"\nsession_hours = 3\n").unwrap();
            let from_file = load(Some(&file), &Overrides::default()).unwrap();
            assert_eq!(from_file.listen.port(), 9999);
            assert_eq!(from_file.session_hours, 3);
            let flags = Overrides {
                listen: Some("127.0.0.1:7777".into()),
                ..Default::default()
            };
            let with_flag = load(Some(&file), &flags).unwrap();
            assert_eq!(with_flag.listen.port(), 7777);
            assert_eq!(with_flag.session_hours, 3);
            Ok(())
        });
    }

    #[test]
    // figment's Jail fixes the closure's error type.
    #[allow(clippy::result_large_err)]
    fn nested_settings_come_from_double_underscore_variables() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("TESSERA_RATE_LIMITS__VALIDATIONS_PER_IP", "0");
            jail.set_env("TESSERA_SESSION_HOURS", "5");
            jail.set_env("TESSERA_UNRELATED__THING", "x");
            jail.set_env("TESSERA_SMTP__HOST", "smtp.vendor.example");
            jail.set_env("TESSERA_SMTP__PORT", "2525");
            jail.set_env("TESSERA_SMTP__SECURITY", "tls");
            jail.set_env("TESSERA_JOBS__TIME_ZONE", "Europe/Rome");
            jail.create_file("smtp-password", "s3cret\n")?;
            jail.set_env("TESSERA_SMTP__PASSWORD_FILE", "smtp-password");
            let config = load(None, &Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(config.smtp.host.as_deref(), Some("smtp.vendor.example"));
            assert_eq!(config.smtp.port(), 2525);
            assert_eq!(
                config.smtp.security,
                tessera_server::config::SmtpSecurity::Tls
            );
            assert_eq!(config.smtp.password.as_deref(), Some("s3cret"));
            assert!(
                !format!("{config:?}").contains("s3cret"),
                "no secret in debug output"
            );
            assert_eq!(config.jobs.time_zone, "Europe/Rome");
            assert_eq!(config.rate_limits.validations_per_ip, 0);
            assert_eq!(config.rate_limits.validations_per_site, 20);
            assert_eq!(config.session_hours, 5);
            Ok(())
        });
    }

    /// In the Jail as well, for the same reason as the test above.
    #[test]
    #[allow(clippy::result_large_err)]
    fn a_bad_value_names_its_key_and_file() {
        figment::Jail::expect_with(|_jail| {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("bad.toml");
            std::fs::write(&file, "session_hours = \"many\"\n").unwrap();
            let err = load(Some(&file), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("session_hours") && err.contains("bad.toml"),
                "{err}"
            );
            std::fs::write(&file, "no_such_setting = 1\n").unwrap();
            let err = load(Some(&file), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(err.contains("no_such_setting"), "{err}");
            Ok(())
        });
    }
}
