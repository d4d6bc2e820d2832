//! The machine fingerprint: `SHA-256(vendor salt || 0x00 || machine id)` as 64 lower-case hex
//! digits. The server only ever sees the hash, and two vendors (different salts) get unrelated
//! fingerprints for the same machine.

use sha2::{Digest, Sha256};
use tessera_core::Fingerprint;

use crate::errors::{ClientError, Result};

/// Where the machine id comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MachineId {
    /// The operating system's id: `/etc/machine-id` (or `/var/lib/dbus/machine-id`) on
    /// Linux, `MachineGuid` on Windows, `IOPlatformUUID` on macOS.
    #[default]
    Os,
    /// An id the host chooses, e.g. a volume-backed UUID in a container whose
    /// `/etc/machine-id` changes with each image.
    Explicit(String),
}

impl MachineId {
    /// The raw id, trimmed; never sent anywhere.
    pub fn read(&self) -> Result<String> {
        let id = match self {
            MachineId::Explicit(id) => id.trim().to_owned(),
            MachineId::Os => os_machine_id()?,
        };
        if id.is_empty() {
            return Err(ClientError::MachineId("the machine id is empty".into()));
        }
        Ok(id)
    }
}

/// The fingerprint of `machine_id` for the vendor's `salt`.
pub fn fingerprint(salt: &str, machine_id: &str) -> Fingerprint {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(machine_id.trim().as_bytes());
    Fingerprint::parse(&hex::encode(h.finalize())).expect("a SHA-256 is 64 hex digits")
}

/// This machine's fingerprint for the vendor's `salt`.
pub fn machine_fingerprint(salt: &str, source: &MachineId) -> Result<Fingerprint> {
    Ok(fingerprint(salt, &source.read()?))
}

#[cfg(target_os = "linux")]
fn os_machine_id() -> Result<String> {
    // systemd writes /etc/machine-id; older systems only have D-Bus's copy.
    let mut last = String::new();
    for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
        match std::fs::read_to_string(path) {
            Ok(s) if !s.trim().is_empty() => return Ok(s.trim().to_owned()),
            Ok(_) => last = format!("{path} is empty"),
            Err(e) => last = format!("{path}: {e}"),
        }
    }
    Err(ClientError::MachineId(last))
}

#[cfg(windows)]
fn os_machine_id() -> Result<String> {
    // `reg query` avoids a registry crate (and unsafe code) for one value.
    let out = std::process::Command::new("reg")
        .args([
            "query",
            r"HKLM\SOFTWARE\Microsoft\Cryptography",
            "/v",
            "MachineGuid",
        ])
        .output()
        .map_err(|e| ClientError::MachineId(format!("reg query: {e}")))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.contains("MachineGuid"))
        .and_then(|l| l.split_whitespace().last())
        .map(str::to_owned)
        .ok_or_else(|| ClientError::MachineId("MachineGuid not found in the registry".into()))
}

#[cfg(target_os = "macos")]
fn os_machine_id() -> Result<String> {
    let out = std::process::Command::new("ioreg")
        .args(["-rd1", "-c", "IOPlatformExpertDevice"])
        .output()
        .map_err(|e| ClientError::MachineId(format!("ioreg: {e}")))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.contains("IOPlatformUUID"))
        .and_then(|l| l.split('"').nth(3))
        .map(str::to_owned)
        .ok_or_else(|| ClientError::MachineId("IOPlatformUUID not found".into()))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn os_machine_id() -> Result<String> {
    Err(ClientError::MachineId(
        "no OS machine id on this platform: pass MachineId::Explicit".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_a_salted_sha256() {
        let a = fingerprint("vendor-salt", "4c4c4544-0042");
        assert_eq!(a.as_str().len(), 64);
        // Known answer: sha256("vendor-salt\0" "4c4c4544-0042").
        let mut h = Sha256::new();
        h.update(b"vendor-salt\x004c4c4544-0042");
        assert_eq!(a.as_str(), hex::encode(h.finalize()));
        assert_eq!(a, fingerprint("vendor-salt", " 4c4c4544-0042\n"));
        assert_ne!(a, fingerprint("other-vendor", "4c4c4544-0042"));
        assert_ne!(a, fingerprint("vendor-salt", "4c4c4544-0043"));
    }

    #[test]
    fn an_explicit_id_overrides_the_os_and_must_not_be_empty() {
        assert_eq!(
            MachineId::Explicit(" container-7 ".into()).read().unwrap(),
            "container-7"
        );
        assert!(matches!(
            MachineId::Explicit("  ".into()).read(),
            Err(ClientError::MachineId(_))
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_os_id_is_read_when_the_machine_has_one() {
        if std::path::Path::new("/etc/machine-id").exists()
            || std::path::Path::new("/var/lib/dbus/machine-id").exists()
        {
            let fp = machine_fingerprint("s", &MachineId::Os);
            assert!(fp.is_ok() || matches!(fp, Err(ClientError::MachineId(_))));
        }
    }
}
