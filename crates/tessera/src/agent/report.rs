//! What `tessera agent status` prints: lines for people, or JSON with stable field names for
//! scripts. Everything comes from the library's `Status`; nothing is recomputed here.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use tessera_client::{Client, LockReason, OfflineMode, Standing, Status};

/// `status --json`. Field names are a contract: add fields, never rename or remove one.
#[derive(Debug, Serialize)]
pub struct StatusReport {
    /// `valid`, `warning`, `locked` (grace over), `expired`, `refused`, `not_activated`.
    pub state: &'static str,
    pub may_run: bool,
    /// Why the server refused (`revoked`, `suspended`, …) when `state` is `refused`.
    pub refused: Option<&'static str>,
    /// Whole days until the lock, while the product may run.
    pub days_left: Option<u32>,
    /// The lock comes after this instant without a successful validation.
    pub deadline: Option<Timestamp>,
    /// The local clock was set back: fix it (NTP).
    pub clock_set_back: bool,
    pub site_id: Option<String>,
    pub licensee: Option<String>,
    pub product: Option<String>,
    pub product_name: Option<String>,
    pub edition: Option<String>,
    pub edition_name: Option<String>,
    pub size: Option<String>,
    pub modules: Vec<String>,
    pub limits: BTreeMap<String, u32>,
    /// The user count the license grants (the `users` limit when none is given).
    pub users: Option<u32>,
    pub expires_at: Option<Timestamp>,
    pub grace_days: Option<u32>,
    pub last_success: Option<Timestamp>,
    pub installations: Vec<InstallationReport>,
    /// The product's newest stable release for this edition and its minimum version (X6).
    pub latest_version: Option<String>,
    pub minimum_version: Option<String>,
    /// `UPDATE_REQUIRED`: this program (`product_version` in agent.toml) is below the
    /// minimum version, which this names.
    pub update_required: Option<String>,
    /// A newer stable release than `product_version`.
    pub update_available: Option<String>,
    /// The version the program needs at least to connect to the cloud (seed 000: 1.2.11).
    pub cloud_minimum_version: Option<String>,
    /// `product_version` is below `cloud_minimum_version`, which this names: `cloud
    /// activate` would be refused with `UPDATE_REQUIRED`.
    pub cloud_update_required: Option<String>,
    /// A licence answered by file (X1): `periodic` or `perpetual`; null for an online one.
    pub offline: Option<&'static str>,
    /// Periodic offline licences: bring a revalidation response by then (the grace days
    /// run after it).
    pub offline_revalidate_by: Option<Timestamp>,
    /// The server tried first.
    pub server: String,
    pub servers: Vec<String>,
    pub fingerprint: String,
}

#[derive(Debug, Serialize)]
pub struct InstallationReport {
    pub site_id: String,
    pub label: String,
    pub product: String,
    pub edition: String,
    pub status: &'static str,
}

impl StatusReport {
    pub fn new(client: &Client, status: &Status) -> StatusReport {
        let e = status.entitlement.as_deref();
        let refused = match status.standing {
            Standing::Locked(LockReason::Refused(state)) => Some(state.as_str()),
            _ => None,
        };
        StatusReport {
            state: status.standing.as_str(),
            may_run: status.may_run(),
            refused,
            days_left: status.days_left(),
            deadline: status.deadline,
            clock_set_back: status.clock_set_back,
            site_id: e.map(|e| e.site_id.clone()),
            licensee: e.map(|e| e.licensee.clone()),
            product: e.map(|e| e.product.clone()),
            product_name: e.map(|e| e.product_name.clone()),
            edition: e.map(|e| e.edition.clone()),
            edition_name: e.map(|e| e.edition_name.clone()),
            size: e.map(|e| e.size.clone()),
            modules: e.map(|e| e.modules.clone()).unwrap_or_default(),
            limits: e.map(|e| e.limits.clone()).unwrap_or_default(),
            users: e.and_then(|e| e.user_count.or_else(|| e.limits.get("users").copied())),
            expires_at: e.and_then(|e| e.expires_at),
            grace_days: e.map(|e| e.grace_days),
            last_success: e.map(|e| e.last_success),
            latest_version: e.and_then(|e| e.latest_version.clone()),
            minimum_version: e.and_then(|e| e.minimum_version.clone()),
            update_required: status.update_required.clone(),
            update_available: status.update_available.clone(),
            cloud_minimum_version: e.and_then(|e| e.cloud_minimum_version.clone()),
            cloud_update_required: status.cloud_update_required.clone(),
            installations: e
                .map(|e| {
                    e.installations
                        .iter()
                        .map(|i| InstallationReport {
                            site_id: i.site_id.clone(),
                            label: i.label.clone(),
                            product: i.product.clone(),
                            edition: i.edition.clone(),
                            status: i.status.as_str(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            offline: e.and_then(|e| e.offline.as_ref()).map(|o| match o.policy {
                OfflineMode::Periodic => "periodic",
                OfflineMode::Perpetual => "perpetual",
            }),
            offline_revalidate_by: e
                .and_then(|e| e.offline.as_ref())
                .and_then(|o| o.revalidate_by),
            server: client.current_server(),
            servers: client.servers().urls().to_vec(),
            fingerprint: client.fingerprint().as_str().to_owned(),
        }
    }

    /// The lines a person reads.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!("state:          {}", self.state_line())];
        let Some(product) = &self.product else {
            out.push("                run `tessera agent activate --email … --key …`".into());
            out.push(format!("server:         {}", self.server));
            return out;
        };
        let or = |o: &Option<String>| o.clone().unwrap_or_default();
        out.push(format!(
            "product:        {} ({product})",
            or(&self.product_name)
        ));
        out.push(format!(
            "edition:        {} ({}), size {}",
            or(&self.edition_name),
            or(&self.edition),
            or(&self.size)
        ));
        out.push(format!("modules:        {}", list_or_none(&self.modules)));
        out.push(format!(
            "users:          {}",
            self.users.map_or("-".into(), |u| u.to_string())
        ));
        out.push(format!(
            "expires:        {}",
            self.expires_at.map_or("never".into(), at)
        ));
        match (self.offline, self.offline_revalidate_by) {
            (Some("perpetual"), _) => {
                out.push("offline:        perpetual licence by file: no revalidation".into());
            }
            (Some(_), Some(by)) => out.push(format!(
                "offline:        licence by file: revalidate by file before {} \
                 (`tessera agent offline request --revalidate`)",
                at(by)
            )),
            _ => {}
        }
        if self.offline == Some("perpetual") {
            // No deadline to tell about but the expiry above.
        } else if let Some(d) = self.deadline {
            out.push(format!(
                "grace:          {} (validate before {}; {} days of grace after each success)",
                self.days_left
                    .map_or("none left".into(), |n| format!("{n} days left")),
                at(d),
                self.grace_days.unwrap_or_default()
            ));
        }
        if let Some(t) = self.last_success {
            out.push(format!("last success:   {}", at(t)));
        }
        out.push(format!(
            "site:           {} ({})",
            or(&self.site_id),
            or(&self.licensee)
        ));
        let installations: Vec<String> = self
            .installations
            .iter()
            .map(|i| {
                format!(
                    "{} {:?} {}/{} {}",
                    i.site_id, i.label, i.product, i.edition, i.status
                )
            })
            .collect();
        out.push(format!(
            "installations:  {}",
            if installations.is_empty() {
                "(listed after the first validation)".into()
            } else {
                installations.join("\n                ")
            }
        ));
        out.push(format!("server:         {}", self.server));
        if let Some(v) = &self.update_required {
            out.push(format!(
                "update:         UPDATE_REQUIRED: version {v} or later is needed"
            ));
        } else if let Some(v) = &self.update_available {
            out.push(format!("update:         version {v} is available"));
        }
        if let Some(v) = &self.cloud_update_required {
            out.push(format!(
                "cloud:          UPDATE_REQUIRED: version {v} or later is needed to connect"
            ));
        }
        if self.clock_set_back {
            out.push("clock:          set back — set an NTP server".into());
        }
        out
    }

    fn state_line(&self) -> String {
        match (self.state, self.days_left, self.refused) {
            ("warning", Some(n), _) => format!("warning — locks in {n} days without a validation"),
            ("refused", _, Some(why)) => format!("locked — the server answered {why}"),
            ("locked", _, _) => "locked — no successful validation within the grace period".into(),
            ("expired", _, _) => "locked — the license has expired".into(),
            ("not_activated", _, _) => "not activated".into(),
            (s, _, _) => s.to_owned(),
        }
    }
}

/// An instant for people: to the second, in UTC.
fn at(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
