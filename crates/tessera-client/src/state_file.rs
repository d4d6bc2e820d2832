//! The local state file: the server-signed documents verbatim plus the little the server does
//! not sign, under an HMAC, written atomically.
//!
//! ```text
//! tessera-client-state/v1 <HMAC-SHA256 of the body, 64 hex digits>\n
//! <body: JSON bytes, exactly as MACed>
//! ```
//!
//! The HMAC key is `SHA-256("tessera-client-state-key/v1" 0x00 salt 0x00 fingerprint)`.
//!
//! **What it detects.** Any change to the file by something that does not know the key: an
//! edited site token or chosen server, a swapped, edited or deleted signed document, a file
//! copied from another machine (other fingerprint, other key) or from another vendor's product
//! (other salt). The signed documents are verified again on every load besides, so even with
//! the key nobody can forge a license, a later deadline, other modules or a later server time.
//!
//! **What it cannot detect.** The key is derived from what the machine itself holds (the
//! salt is in the vendor's binary, the machine id on disk), so a local attacker who extracts
//! the salt can rewrite the unsigned part (token, chosen server, the nonce of the stored
//! response, the highest local time seen) and MAC it again. Deadlines, modules and server
//! times come from signed documents, so that buys no license; the one thing it can undo is
//! the guard against a clock set back *between* two server contacts (`highest_local`), and
//! never below the last signed server time. Restoring an older copy of the file made by this
//! same client also passes the MAC, with the same limit: its deadlines are earlier.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tessera_core::{Fingerprint, SignedDocument};

use crate::errors::{ClientError, Result};

/// The first word of the file.
pub const FORMAT: &str = "tessera-client-state/v1";

/// What the file holds.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredState {
    /// The signed license, verbatim as the activation returned it.
    pub license: SignedDocument,
    /// The last signed validation response (valid or not), verbatim; none yet after an
    /// activation.
    pub validation: Option<SignedDocument>,
    /// The nonce this client sent for `validation`.
    pub validation_nonce: Option<String>,
    /// The bearer token for the site's own calls (site data, deactivation).
    pub site_token: String,
    /// The server that answered last (D3).
    pub server: Option<String>,
    /// The highest local time the client has seen (D4): the grace rules never use an
    /// earlier "now", so setting the clock back, even across a restart, buys nothing.
    #[serde(default)]
    pub highest_local: Option<jiff::Timestamp>,
    /// The bearer token for the site's cloud calls (sync), once its codes were exchanged
    /// (`Client::activate_cloud`); kept here, under the MAC and owner-only, so the codes are
    /// not asked again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_token: Option<String>,
    /// What an activation by file named (X1), for its revalidation requests; none after an
    /// online activation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline: Option<crate::offline::OfflineOrigin>,
}

impl std::fmt::Debug for StoredState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredState")
            .field("server", &self.server)
            .field("validated", &self.validation.is_some())
            .field("cloud", &self.cloud_token.is_some())
            .finish_non_exhaustive()
    }
}

/// Reads and writes one state file, MACed with this machine's key.
pub struct StateFile {
    path: PathBuf,
    key: [u8; 32],
}

impl std::fmt::Debug for StateFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl StateFile {
    pub fn new(path: impl Into<PathBuf>, salt: &str, fingerprint: &Fingerprint) -> Self {
        let mut h = Sha256::new();
        h.update(b"tessera-client-state-key/v1\0");
        h.update(salt.as_bytes());
        h.update([0u8]);
        h.update(fingerprint.as_str().as_bytes());
        StateFile {
            path: path.into(),
            key: h.finalize().into(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// 32 bytes derived from the state key for `purpose`: as secret as the key, and never
    /// written down (the seed of the machine key of an activation by file).
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = self.mac();
        // Never the MAC of a sealed body, which is JSON (`{…`).
        mac.update(b"tessera-client-derive/v1\0");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// `body` under a header line `format` and its MAC, as the state file itself is kept
    /// (the pending offline request is kept this way too).
    pub fn seal(&self, format: &str, body: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(body);
        let tag = hex::encode(mac.finalize().into_bytes());
        let mut out = format!("{format} {tag}\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    /// The body of `bytes` sealed by [`StateFile::seal`] with `format`, if its MAC holds.
    pub fn unseal<'b>(&self, format: &str, bytes: &'b [u8]) -> Result<&'b [u8]> {
        let newline = bytes
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| ClientError::StateCorrupt("no header line".into()))?;
        let (header, body) = (&bytes[..newline], &bytes[newline + 1..]);
        let header = std::str::from_utf8(header)
            .map_err(|_| ClientError::StateCorrupt("the header is not text".into()))?;
        let mac_hex = header
            .strip_prefix(format)
            .and_then(|r| r.strip_prefix(' '))
            .ok_or_else(|| ClientError::StateCorrupt(format!("the header is not {format}")))?;
        let tag = hex::decode(mac_hex.trim()).map_err(|_| ClientError::StateTampered)?;
        let mut mac = self.mac();
        mac.update(body);
        mac.verify_slice(&tag)
            .map_err(|_| ClientError::StateTampered)?;
        Ok(body)
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length")
    }

    fn io(&self, source: std::io::Error) -> ClientError {
        ClientError::StateIo {
            path: self.path.clone(),
            source,
        }
    }

    /// The stored state; `None` when there is no file (not activated yet).
    pub fn load(&self) -> Result<Option<StoredState>> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        self.parse(&bytes).map(Some)
    }

    /// Checks the header and MAC of `bytes`, then parses the body.
    pub fn parse(&self, bytes: &[u8]) -> Result<StoredState> {
        let body = self.unseal(FORMAT, bytes)?;
        serde_json::from_slice(body).map_err(|e| ClientError::StateCorrupt(e.to_string()))
    }

    /// The bytes [`StateFile::save`] writes.
    pub fn render(&self, state: &StoredState) -> Vec<u8> {
        let body = serde_json::to_vec_pretty(state).expect("the state serializes");
        self.seal(FORMAT, &body)
    }

    /// Writes `state` atomically: a temporary file beside the target, flushed to disk, then
    /// renamed over it. A crash leaves the old file or the new one, never half of one.
    pub fn save(&self, state: &StoredState) -> Result<()> {
        write_atomically(&self.path, &self.render(state)).map_err(|e| self.io(e))
    }

    /// Deletes the file (after a deactivation); a missing file is fine.
    pub fn remove(&self) -> Result<()> {
        match fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.io(e)),
            _ => Ok(()),
        }
    }
}

/// Writes `bytes` to `path` atomically and durably: a temporary file beside the target
/// (owner-only), flushed to disk, renamed over it, then the directory synced. A crash
/// leaves the old file or the new one, never half of one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir)?;
    let file_name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let written = write_private(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself is durable once the directory is synced (best effort elsewhere).
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Creates `path` readable by the owner only (it holds the site token) and syncs it.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(payload: &str) -> SignedDocument {
        SignedDocument {
            kind: "tessera-license/v1".into(),
            key_id: "k".into(),
            payload: payload.into(),
            signature: "sig".into(),
            batch: None,
        }
    }

    fn state() -> StoredState {
        StoredState {
            license: doc("cGF5bG9hZA=="),
            validation: None,
            validation_nonce: None,
            site_token: "secret-token".into(),
            server: Some("https://a".into()),
            highest_local: None,
            cloud_token: None,
            offline: None,
        }
    }

    fn file(dir: &Path, salt: &str, fp: char) -> StateFile {
        StateFile::new(
            dir.join("state"),
            salt,
            &Fingerprint::parse(&fp.to_string().repeat(64)).unwrap(),
        )
    }

    #[test]
    fn a_saved_state_loads_back_and_a_missing_one_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let f = file(dir.path(), "salt", 'a');
        assert!(f.load().unwrap().is_none());
        f.save(&state()).unwrap();
        assert_eq!(f.load().unwrap(), Some(state()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(f.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        f.remove().unwrap();
        assert!(f.load().unwrap().is_none());
    }

    #[test]
    fn any_edit_or_another_machine_is_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let f = file(dir.path(), "salt", 'a');
        let bytes = f.render(&state());

        let text = String::from_utf8(bytes.clone()).unwrap();
        let edited = text.replace("https://a", "https://b");
        assert!(matches!(
            f.parse(edited.as_bytes()),
            Err(ClientError::StateTampered)
        ));
        let reformatted = text.replacen("{\n", "{ \n", 1);
        assert!(matches!(
            f.parse(reformatted.as_bytes()),
            Err(ClientError::StateTampered)
        ));
        // Same bytes, other machine or other vendor: other key.
        assert!(matches!(
            file(dir.path(), "salt", 'b').parse(&bytes),
            Err(ClientError::StateTampered)
        ));
        assert!(matches!(
            file(dir.path(), "pepper", 'a').parse(&bytes),
            Err(ClientError::StateTampered)
        ));
        assert!(matches!(
            f.parse(b"garbage"),
            Err(ClientError::StateCorrupt(_))
        ));
        assert!(matches!(
            f.parse(b"other-format/v9 00\n{}"),
            Err(ClientError::StateCorrupt(_))
        ));
        assert_eq!(f.parse(&bytes).unwrap(), state());
    }
}
