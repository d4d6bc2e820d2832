//! The durable local outbox: the changes the host program recorded, kept on disk until the
//! cloud has answered them, so a change survives the program being killed and is sent
//! exactly once in effect.
//!
//! An append-only file of JSON lines, each fsynced before the call that wrote it returns:
//!
//! ```text
//! {"t":"change","seq":1,"collection":"drivers","id":"d1","base_version":0,"data":{…}}
//! {"t":"change","seq":2,"collection":"drivers","id":"d2","base_version":4,"data":null}
//! {"t":"batch","batch_id":"b-5f0c…","from":1,"to":2}
//! {"t":"done","batch_id":"b-5f0c…"}
//! ```
//!
//! A `batch` line gives the oldest pending changes (`from..=to`) a batch id chosen once, and
//! is on disk *before* the batch is sent: after a crash or a lost answer the same changes go
//! again under the same id, and the server answers a replay with its kept answer and changes
//! nothing. `done` is written only after the host has taken the answer. Reading the file
//! back replays these lines; a last line cut short by a crash (never acknowledged, since its
//! fsync had not returned) is dropped. When nothing is pending the file is emptied; when
//! mostly done lines, it is rewritten atomically with only what is still pending.
//!
//! One process holds an outbox at a time (an exclusive lock on `outbox.lock` beside it).

use std::collections::VecDeque;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Change;
use crate::errors::{ClientError, Result};
use crate::state_file::write_atomically;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
enum Entry {
    Change {
        seq: u64,
        collection: String,
        id: String,
        base_version: i64,
        data: Option<Value>,
    },
    Batch {
        batch_id: String,
        from: u64,
        to: u64,
    },
    Done {
        batch_id: String,
    },
}

/// A batch given its id, waiting for its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenBatch {
    pub batch_id: String,
    pub from: u64,
    pub to: u64,
}

pub(crate) struct Outbox {
    path: PathBuf,
    file: File,
    /// Held for the outbox's life: one process at a time.
    _lock: File,
    /// The file's length: where the next line goes, and what a failed write is cut back to.
    len: u64,
    /// Lines in the file, to know when a rewrite pays.
    lines: usize,
    /// Changes not yet answered, oldest first (the open batch's at the front).
    pending: VecDeque<(u64, Change)>,
    open: Option<OpenBatch>,
    next_seq: u64,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("path", &self.path)
            .field("pending", &self.pending.len())
            .field("open", &self.open)
            .finish_non_exhaustive()
    }
}

fn corrupt(path: &Path, detail: impl Into<String>) -> ClientError {
    ClientError::OutboxCorrupt {
        path: path.to_owned(),
        detail: detail.into(),
    }
}

fn io(path: &Path, source: std::io::Error) -> ClientError {
    ClientError::StateIo {
        path: path.to_owned(),
        source,
    }
}

/// A fresh batch id: 128 random bits.
fn fresh_batch_id() -> String {
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    format!("b-{}", hex::encode(raw))
}

impl Outbox {
    /// Opens (or creates) the outbox at `path`, taking its lock and reading it back.
    pub(crate) fn open(path: &Path) -> Result<Outbox> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let lock_path = path.with_extension("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(ClientError::OutboxBusy {
                    path: path.to_owned(),
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(&lock_path, e)),
        }
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| io(path, e))?;
        let mut outbox = Outbox {
            path: path.to_owned(),
            file,
            _lock: lock,
            len: 0,
            lines: 0,
            pending: VecDeque::new(),
            open: None,
            next_seq: 1,
        };
        let kept = outbox.replay(&bytes)?;
        if kept < bytes.len() {
            // A line cut short by a crash: never acknowledged, so never counted on.
            outbox.file.set_len(kept as u64).map_err(|e| io(path, e))?;
            outbox.file.sync_data().map_err(|e| io(path, e))?;
        }
        outbox.len = kept as u64;
        Ok(outbox)
    }

    /// Applies the complete lines of `bytes`; returns how many bytes they span.
    fn replay(&mut self, bytes: &[u8]) -> Result<usize> {
        let mut at = 0;
        while let Some(n) = bytes[at..].iter().position(|&b| b == b'\n') {
            let line = &bytes[at..at + n];
            let entry: Entry = serde_json::from_slice(line)
                .map_err(|e| corrupt(&self.path, format!("line {}: {e}", self.lines + 1)))?;
            self.apply(entry).map_err(|detail| {
                corrupt(&self.path, format!("line {}: {detail}", self.lines + 1))
            })?;
            self.lines += 1;
            at += n + 1;
        }
        Ok(at)
    }

    fn apply(&mut self, entry: Entry) -> std::result::Result<(), String> {
        match entry {
            Entry::Change {
                seq,
                collection,
                id,
                base_version,
                data,
            } => {
                if seq < self.next_seq {
                    return Err(format!("change {seq} after {}", self.next_seq - 1));
                }
                self.next_seq = seq + 1;
                let change = Change {
                    collection,
                    id,
                    base_version,
                    data,
                };
                self.pending.push_back((seq, change));
            }
            Entry::Batch { batch_id, from, to } => {
                if self.open.is_some() {
                    return Err("a batch while another is open".into());
                }
                self.open = Some(OpenBatch { batch_id, from, to });
            }
            Entry::Done { batch_id } => match self.open.take() {
                Some(open) if open.batch_id == batch_id => {
                    self.pending.retain(|(seq, _)| *seq > open.to);
                }
                _ => return Err(format!("batch {batch_id} done, but not open")),
            },
        }
        Ok(())
    }

    /// Appends `entries` and syncs them to disk; on failure the file is cut back, so no
    /// half line stays to spoil later ones.
    fn append(&mut self, entries: &[Entry]) -> Result<()> {
        let mut text = Vec::new();
        for e in entries {
            serde_json::to_writer(&mut text, e).expect("an outbox entry serializes");
            text.push(b'\n');
        }
        let written = self
            .file
            .seek(SeekFrom::Start(self.len))
            .and_then(|_| self.file.write_all(&text))
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            let _ = self.file.set_len(self.len);
            return Err(io(&self.path, e));
        }
        self.len += text.len() as u64;
        self.lines += entries.len();
        Ok(())
    }

    /// Records `changes`, durably, before returning.
    pub(crate) fn record(&mut self, changes: &[Change]) -> Result<()> {
        for c in changes {
            c.check()?;
        }
        let entries: Vec<Entry> = changes
            .iter()
            .enumerate()
            .map(|(i, c)| Entry::Change {
                seq: self.next_seq + i as u64,
                collection: c.collection.clone(),
                id: c.id.clone(),
                base_version: c.base_version,
                data: c.data.clone(),
            })
            .collect();
        self.append(&entries)?;
        for c in changes {
            self.pending.push_back((self.next_seq, c.clone()));
            self.next_seq += 1;
        }
        Ok(())
    }

    /// Changes not yet answered.
    pub(crate) fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The batch to send: the open one again (same id, same changes), or the oldest
    /// pending changes, at most `max_changes` and about `max_bytes` of JSON (at least one),
    /// given a fresh id that is on disk before this returns. None when nothing is pending.
    pub(crate) fn next_batch(
        &mut self,
        max_changes: usize,
        max_bytes: usize,
    ) -> Result<Option<(OpenBatch, Vec<Change>)>> {
        if let Some(open) = self.open_batch() {
            return Ok(Some(open));
        }
        let Some(&(from, _)) = self.pending.front() else {
            return Ok(None);
        };
        let (mut to, mut bytes, mut changes) = (from, 0usize, Vec::new());
        for (seq, c) in self.pending.iter().take(max_changes.max(1)) {
            let size = c.approx_json_len();
            if !changes.is_empty() && bytes + size > max_bytes {
                break;
            }
            bytes += size;
            to = *seq;
            changes.push(c.clone());
        }
        let batch = OpenBatch {
            batch_id: fresh_batch_id(),
            from,
            to,
        };
        self.append(&[Entry::Batch {
            batch_id: batch.batch_id.clone(),
            from,
            to,
        }])?;
        self.open = Some(batch.clone());
        Ok(Some((batch, changes)))
    }

    /// The open batch and its changes, if a push gave a batch its id and has no answer yet:
    /// what goes again, under the same id, at the next push.
    pub(crate) fn open_batch(&self) -> Option<(OpenBatch, Vec<Change>)> {
        let open = self.open.clone()?;
        let changes = self
            .pending
            .iter()
            .filter(|(seq, _)| (open.from..=open.to).contains(seq))
            .map(|(_, c)| c.clone())
            .collect();
        Some((open, changes))
    }

    /// Takes the open batch `batch_id` out of the outbox unsent, for the host to keep or
    /// record again what it wants: the way out of a batch the cloud refuses as a whole for a
    /// reason the library did not foresee. On disk as the batch's `done` line, so it stays
    /// out after a reopen.
    pub(crate) fn take_back(&mut self, batch_id: &str) -> Result<Vec<Change>> {
        let Some((open, changes)) = self.open_batch().filter(|(o, _)| o.batch_id == batch_id)
        else {
            return Err(ClientError::BatchNotOpen(batch_id.to_owned()));
        };
        self.done(&open.batch_id)?;
        Ok(changes)
    }

    /// The open batch was answered and its answer taken: its changes leave the outbox.
    pub(crate) fn done(&mut self, batch_id: &str) -> Result<()> {
        let Some(open) = self.open.clone().filter(|o| o.batch_id == batch_id) else {
            return Ok(());
        };
        self.append(&[Entry::Done {
            batch_id: batch_id.to_owned(),
        }])?;
        self.open = None;
        self.pending.retain(|(seq, _)| *seq > open.to);
        self.compact()
    }

    /// Empties the file when nothing is pending; rewrites it with the pending changes only
    /// when most of its lines are done with.
    fn compact(&mut self) -> Result<()> {
        if self.pending.is_empty() && self.open.is_none() {
            self.file.set_len(0).map_err(|e| io(&self.path, e))?;
            self.file.sync_data().map_err(|e| io(&self.path, e))?;
            self.len = 0;
            self.lines = 0;
            return Ok(());
        }
        if self.lines < 1000 || self.lines < 4 * self.pending.len() {
            return Ok(());
        }
        let mut text = Vec::new();
        for (seq, c) in &self.pending {
            let e = Entry::Change {
                seq: *seq,
                collection: c.collection.clone(),
                id: c.id.clone(),
                base_version: c.base_version,
                data: c.data.clone(),
            };
            serde_json::to_writer(&mut text, &e).expect("an outbox entry serializes");
            text.push(b'\n');
        }
        write_atomically(&self.path, &text).map_err(|e| io(&self.path, e))?;
        self.file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.path)
            .map_err(|e| io(&self.path, e))?;
        self.len = text.len() as u64;
        self.lines = self.pending.len();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn change(id: &str) -> Change {
        Change::upsert("drivers", id, 0, json!({"ibutton": id, "name": "N"}))
    }

    #[test]
    fn recorded_changes_and_the_open_batch_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.log");
        let batch = {
            let mut o = Outbox::open(&path).unwrap();
            o.record(&[change("a"), change("b"), change("c")]).unwrap();
            let (batch, sent) = o.next_batch(2, usize::MAX).unwrap().unwrap();
            assert_eq!(sent.len(), 2);
            batch
        };
        let mut o = Outbox::open(&path).unwrap();
        assert_eq!(o.pending(), 3);
        // The same batch again, same id and changes.
        let (again, sent) = o.next_batch(500, usize::MAX).unwrap().unwrap();
        assert_eq!(again, batch);
        assert_eq!(sent, vec![change("a"), change("b")]);
        o.done(&batch.batch_id).unwrap();
        let (next, sent) = o.next_batch(500, usize::MAX).unwrap().unwrap();
        assert_ne!(next.batch_id, batch.batch_id);
        assert_eq!(sent, vec![change("c")]);
        o.done(&next.batch_id).unwrap();
        assert_eq!(o.pending(), 0);
        assert!(o.next_batch(500, usize::MAX).unwrap().is_none());
        assert_eq!(fs::metadata(&path).unwrap().len(), 0);
    }

    #[test]
    fn a_line_cut_short_is_dropped_and_later_appends_are_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.log");
        {
            let mut o = Outbox::open(&path).unwrap();
            o.record(&[change("a")]).unwrap();
        }
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"t":"change","seq":2,"coll"#).unwrap();
        drop(f);
        {
            let mut o = Outbox::open(&path).unwrap();
            assert_eq!(o.pending(), 1);
            o.record(&[change("b")]).unwrap();
        }
        let o = Outbox::open(&path).unwrap();
        assert_eq!(o.pending(), 2);
    }

    #[test]
    fn one_process_at_a_time_and_bad_changes_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.log");
        let mut o = Outbox::open(&path).unwrap();
        assert!(matches!(
            Outbox::open(&path),
            Err(ClientError::OutboxBusy { .. })
        ));
        let bad = Change::upsert("drivers", "", 0, json!({}));
        assert!(matches!(
            o.record(&[bad]),
            Err(ClientError::ChangeInvalid(_))
        ));
        let not_object = Change::upsert("drivers", "x", 0, json!([1]));
        assert!(o.record(&[not_object]).is_err());
        assert_eq!(o.pending(), 0);
    }

    #[test]
    fn the_open_batch_is_taken_back_by_its_id_and_stays_out_after_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.log");
        let mut outbox = Outbox::open(&path).unwrap();
        assert!(outbox.open_batch().is_none());
        outbox
            .record(&[change("d1"), change("d2"), change("d3")])
            .unwrap();
        let (batch, sent) = outbox.next_batch(2, usize::MAX).unwrap().unwrap();
        let (open, again) = outbox.open_batch().unwrap();
        assert_eq!((&open, &again), (&batch, &sent));
        assert!(matches!(
            outbox.take_back("b-other"),
            Err(ClientError::BatchNotOpen(id)) if id == "b-other"
        ));
        let taken = outbox.take_back(&batch.batch_id).unwrap();
        let ids: Vec<&str> = taken.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["d1", "d2"]);
        assert!(outbox.take_back(&batch.batch_id).is_err(), "once");
        drop(outbox);
        let mut outbox = Outbox::open(&path).unwrap();
        assert_eq!(outbox.pending(), 1);
        let (next, changes) = outbox.next_batch(10, usize::MAX).unwrap().unwrap();
        assert_ne!(next.batch_id, batch.batch_id, "a fresh id for what is left");
        assert_eq!(changes, [change("d3")]);
    }

    #[test]
    fn batches_are_cut_by_size_and_a_big_outbox_is_rewritten_smaller() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.log");
        let mut o = Outbox::open(&path).unwrap();
        let many: Vec<Change> = (0..3000).map(|i| change(&format!("d{i}"))).collect();
        o.record(&many).unwrap();
        let (b, sent) = o.next_batch(500, 10_000).unwrap().unwrap();
        assert!(sent.len() < 500 && !sent.is_empty(), "{}", sent.len());
        o.done(&b.batch_id).unwrap();
        while o.pending() > 100 {
            let (b, _) = o.next_batch(500, usize::MAX).unwrap().unwrap();
            o.done(&b.batch_id).unwrap();
        }
        assert!(o.lines < 1000, "rewritten: {} lines", o.lines);
        let left = o.pending();
        drop(o);
        assert_eq!(Outbox::open(&path).unwrap().pending(), left);
    }
}
