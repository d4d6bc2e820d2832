//! Where `tessera agent sync` keeps a site's synced data: a directory with one folder per
//! collection and one JSON file per record (`<dir>/drivers/d17.json` holds the record's
//! data, a JSON object), which the product reads and writes as its data file.
//!
//! The agent finds the product's changes by comparing the files with its manifest
//! (`<dir>/.tessera/manifest.json`: each record's cloud version and the hash of its data as
//! last synced or recorded): a new or changed file is an upsert based on the version it was
//! synced at, a missing one a deletion. Those changes go into the library's outbox, so they
//! are sent exactly once in effect whatever happens to the agent; pulled records are
//! written back as files (each atomically) and the manifest follows.
//!
//! Ids become file names with every byte outside `A-Z a-z 0-9 - _` (and a leading `.`)
//! written as `%XX`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tessera_client::sync::{PulledRecord, Renamed};
use tessera_client::{Change, LocalRecord, Outcome, Pushed, SyncHost};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    version: i64,
    hash: String,
}

type Manifest = BTreeMap<String, BTreeMap<String, Entry>>;

pub struct LocalStore {
    dir: PathBuf,
    manifest: Manifest,
}

/// A manifest hash no data has: the record is to be recorded again.
const NOT_RECORDED: &str = "not-recorded";

fn hash(data: &Value) -> String {
    hex::encode(Sha256::digest(data.to_string().as_bytes()))
}

pub fn encode_id(id: &str) -> String {
    let mut out = String::new();
    for (i, b) in id.bytes().enumerate() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_id(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = name.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Writes `bytes` to `path` through a temporary file and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::File::open(&tmp).and_then(|f| f.sync_all())?;
    fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

impl LocalStore {
    pub fn open(dir: &Path) -> anyhow::Result<LocalStore> {
        let path = dir.join(".tessera/manifest.json");
        let manifest = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("the manifest {}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Manifest::new(),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Ok(LocalStore {
            dir: dir.to_owned(),
            manifest,
        })
    }

    fn record_path(&self, collection: &str, id: &str) -> PathBuf {
        self.dir
            .join(collection)
            .join(format!("{}.json", encode_id(id)))
    }

    fn save_manifest(&self) -> anyhow::Result<()> {
        let bytes = serde_json::to_vec_pretty(&self.manifest)?;
        write_atomically(&self.dir.join(".tessera/manifest.json"), &bytes)
    }

    /// Every record the directory holds now.
    pub fn records(&self) -> anyhow::Result<Vec<LocalRecord>> {
        let mut out = Vec::new();
        let Ok(collections) = fs::read_dir(&self.dir) else {
            return Ok(out);
        };
        let mut collections: Vec<_> = collections.collect::<Result<_, _>>()?;
        collections.sort_by_key(|e| e.file_name());
        for c in collections {
            let name = c.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !c.file_type()?.is_dir() {
                continue;
            }
            let mut files: Vec<_> = fs::read_dir(c.path())?.collect::<Result<_, _>>()?;
            files.sort_by_key(|e| e.file_name());
            for f in files {
                let file = f.file_name().to_string_lossy().into_owned();
                let Some(stem) = file.strip_suffix(".json") else {
                    continue;
                };
                let Some(id) = decode_id(stem).filter(|_| !file.starts_with('.')) else {
                    continue;
                };
                let text = fs::read_to_string(f.path())?;
                let data: Value = serde_json::from_str(&text)
                    .with_context(|| format!("{} is not JSON", f.path().display()))?;
                out.push(LocalRecord {
                    collection: name.clone(),
                    id,
                    data,
                });
            }
        }
        Ok(out)
    }

    /// The product's changes since the last sync: new and changed files, deleted ones.
    pub fn changes(&self) -> anyhow::Result<Vec<Change>> {
        let records = self.records()?;
        let mut changes = Vec::new();
        for r in &records {
            let known = self.manifest.get(&r.collection).and_then(|m| m.get(&r.id));
            match known {
                Some(e) if e.hash == hash(&r.data) => {}
                known => changes.push(Change::upsert(
                    &r.collection,
                    &r.id,
                    known.map_or(0, |e| e.version),
                    r.data.clone(),
                )),
            }
        }
        for (collection, entries) in &self.manifest {
            for (id, e) in entries {
                let present = records
                    .iter()
                    .any(|r| &r.collection == collection && &r.id == id);
                if !present && !e.hash.is_empty() {
                    changes.push(Change::delete(collection, id, e.version));
                }
            }
        }
        Ok(changes)
    }

    /// The changes are in the outbox: the manifest remembers their data, so the next scan
    /// does not record them again.
    pub fn recorded(&mut self, changes: &[Change]) -> anyhow::Result<()> {
        for c in changes {
            let entry = self
                .manifest
                .entry(c.collection.clone())
                .or_default()
                .entry(c.id.clone())
                .or_default();
            entry.hash = c.data.as_ref().map(hash).unwrap_or_default();
        }
        self.save_manifest()
    }

    /// The changes are to be taken back out of the outbox unsent: the next scan records
    /// each again, as its file then is, so nothing is dropped without the files saying so.
    pub fn unrecorded(&mut self, changes: &[Change]) -> anyhow::Result<()> {
        for c in changes {
            let Some(entries) = self.manifest.get_mut(&c.collection) else {
                continue;
            };
            match entries.get_mut(&c.id) {
                // Never in the cloud: forgotten, so a file still there is a new record and a
                // file removed is nothing to send.
                Some(e) if e.version == 0 => {
                    entries.remove(&c.id);
                }
                // No file's hash: the file differs from what was recorded, and a file that
                // is gone is a deletion to record.
                Some(e) => e.hash = NOT_RECORDED.to_owned(),
                None => {}
            }
        }
        self.save_manifest()
    }

    fn set_version(&mut self, collection: &str, id: &str, version: i64) {
        if let Some(e) = self
            .manifest
            .get_mut(collection)
            .and_then(|m| m.get_mut(id))
        {
            e.version = version;
        }
    }

    /// A record the cloud holds under another id: the file moves to that id.
    fn rename(&mut self, r: &Renamed) -> anyhow::Result<()> {
        let from = self.record_path(&r.collection, &r.id);
        let to = self.record_path(&r.collection, &r.cloud_id);
        if from.exists() {
            fs::rename(&from, &to)?;
        }
        let entry = self
            .manifest
            .get_mut(&r.collection)
            .and_then(|m| m.remove(&r.id))
            .unwrap_or_default();
        self.manifest
            .entry(r.collection.clone())
            .or_default()
            .insert(
                r.cloud_id.clone(),
                Entry {
                    version: r.version,
                    ..entry
                },
            );
        Ok(())
    }
}

impl SyncHost for LocalStore {
    fn apply(&mut self, records: &[PulledRecord]) -> Result<(), String> {
        let write = |store: &mut LocalStore| -> anyhow::Result<()> {
            for r in records {
                let path = store.record_path(&r.collection, &r.id);
                let entries = store.manifest.entry(r.collection.clone()).or_default();
                match (&r.data, r.deleted) {
                    (Some(data), false) => {
                        write_atomically(&path, serde_json::to_string_pretty(data)?.as_bytes())?;
                        let hash = hash(data);
                        entries.insert(
                            r.id.clone(),
                            Entry {
                                version: r.version,
                                hash,
                            },
                        );
                    }
                    _ => {
                        if path.exists() {
                            fs::remove_file(&path)?;
                        }
                        entries.remove(&r.id);
                    }
                }
            }
            store.save_manifest()
        };
        write(self).map_err(|e| format!("{e:#}"))
    }

    fn pushed(&mut self, results: &[Pushed]) -> Result<(), String> {
        let take = |store: &mut LocalStore| -> anyhow::Result<()> {
            for p in results {
                let (c, id) = (&p.change.collection, &p.change.id);
                match &p.outcome {
                    Outcome::Applied { version } | Outcome::Unchanged { version } => {
                        if p.change.data.is_none() {
                            if let Some(m) = store.manifest.get_mut(c) {
                                m.remove(id);
                            }
                        } else {
                            store.set_version(c, id, *version);
                        }
                    }
                    Outcome::SameAs { cloud_id, version } => store.rename(&Renamed {
                        collection: c.clone(),
                        id: id.clone(),
                        cloud_id: cloud_id.clone(),
                        version: *version,
                    })?,
                    // A person decides; the decision comes back by a pull.
                    Outcome::Conflict { .. } | Outcome::Refused { .. } => {}
                }
            }
            store.save_manifest()
        };
        take(self).map_err(|e| format!("{e:#}"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ids_become_file_names_and_back() {
        for id in ["d17", "a/b", ".hidden", "x y%", "è"] {
            let name = encode_id(id);
            assert!(!name.contains('/') && !name.starts_with('.'), "{name}");
            assert_eq!(decode_id(&name).as_deref(), Some(id));
        }
    }

    #[test]
    fn new_changed_and_deleted_files_are_changes_once_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = LocalStore::open(dir.path()).unwrap();
        let page = [PulledRecord {
            collection: "drivers".into(),
            id: "d1".into(),
            version: 4,
            data: Some(json!({"name": "Anna"})),
            deleted: false,
            origin_site: "s".into(),
        }];
        store.apply(&page).unwrap();
        assert!(store.changes().unwrap().is_empty());
        fs::write(dir.path().join("drivers/d1.json"), r#"{"name": "Anna B"}"#).unwrap();
        fs::write(dir.path().join("drivers/d2.json"), r#"{"name": "Bob"}"#).unwrap();
        let changes = store.changes().unwrap();
        assert_eq!(
            changes,
            [
                Change::upsert("drivers", "d1", 4, json!({"name": "Anna B"})),
                Change::upsert("drivers", "d2", 0, json!({"name": "Bob"})),
            ]
        );
        store.recorded(&changes).unwrap();
        let mut store = LocalStore::open(dir.path()).unwrap();
        assert!(store.changes().unwrap().is_empty());
        fs::remove_file(dir.path().join("drivers/d1.json")).unwrap();
        assert_eq!(
            store.changes().unwrap(),
            [Change::delete("drivers", "d1", 4)]
        );
        let _ = &mut store;
    }
}
