//! Push, pull, restore, the first sync and the status: the sync calls over HTTP, with the
//! site's cloud token, each tried on the servers in failover order.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Serialize, Serializer};
use tessera_api::{
    ChangeOutcome, ClientTime, FirstSyncLease, PullPage, PushAnswer, PushRequest,
    SyncStatus as WireStatus,
};

use super::local::{ConflictNote, RefusedBatch, SyncLocal};
use super::outbox::Outbox;
use super::{Change, Outcome, Pushed, SyncHost, SyncState};
use crate::client::{Client, lock};
use crate::errors::{ClientError, Result};
use crate::transport::MAX_SYNC_BODY;

/// What a push did, batch after batch until the outbox was empty.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PushReport {
    pub batches: usize,
    /// Batches the server had answered before (a resend after a crash or a lost answer).
    pub replayed: usize,
    pub applied: usize,
    pub unchanged: usize,
    /// Records the cloud holds under another id (`same_as`): the host takes that id.
    pub renamed: Vec<Renamed>,
    /// Changes left for a person to decide.
    pub conflicts: Vec<ConflictNote>,
    pub refused: Vec<RefusedChange>,
    /// Changes still in the outbox (recorded while the push ran).
    pub pending: usize,
}

/// The batch the outbox holds under its id: what the last push sent without an answer it
/// could take, and what the next push sends again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxBatch {
    pub batch_id: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub collection: String,
    pub id: String,
    pub cloud_id: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedChange {
    pub collection: String,
    pub id: String,
    pub code: String,
    pub message: String,
}

impl PushReport {
    fn add(&mut self, replayed: bool, results: &[Pushed]) {
        self.batches += 1;
        self.replayed += usize::from(replayed);
        for r in results {
            let (collection, id) = (r.change.collection.clone(), r.change.id.clone());
            match &r.outcome {
                Outcome::Applied { .. } => self.applied += 1,
                Outcome::Unchanged { .. } => self.unchanged += 1,
                Outcome::SameAs { cloud_id, version } => self.renamed.push(Renamed {
                    collection,
                    id,
                    cloud_id: cloud_id.clone(),
                    version: *version,
                }),
                Outcome::Conflict { conflict_id } => self.conflicts.push(ConflictNote {
                    collection,
                    id,
                    conflict_id: *conflict_id,
                }),
                Outcome::Refused { code, message } => self.refused.push(RefusedChange {
                    collection,
                    id,
                    code: code.clone(),
                    message: message.clone(),
                }),
            }
        }
    }
}

/// What a pull (or a restore) did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PullReport {
    pub pages: usize,
    pub records: usize,
    /// The cursor saved: every change up to it is applied.
    pub cursor: i64,
}

/// What a first sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FirstSyncReport {
    /// Seconds spent waiting for another site's first sync to end.
    pub waited_secs: u64,
    pub renewals: usize,
    pub pulled: PullReport,
    pub pushed: PushReport,
}

/// Where the site's sync stands (G5).
#[derive(Debug, Clone, Serialize)]
pub struct SyncStatus {
    /// `off`, `idle`, `uploading`, `downloading`, `conflicts_pending`, `error`.
    #[serde(serialize_with = "state_text")]
    pub state: SyncState,
    /// With `error`: the server's code (`SUBSCRIPTION_EXPIRED`, `ANOTHER_SITE_SYNCING`,
    /// `CLOCK_MISMATCH`, …) or the client's (`SERVER_UNREACHABLE`, …).
    pub reason: Option<String>,
    pub message: Option<String>,
    pub retry_after_secs: Option<u64>,
    pub site_id: Option<String>,
    pub first_synced: bool,
    /// Conflicts of this site waiting for a person, as the cloud counts them.
    pub open_conflicts: u64,
    /// The conflicts this client's pushes raised that no pull has settled yet.
    pub conflicts: Vec<ConflictNote>,
    /// Changes in the outbox not yet answered; `None` when another process holds it.
    pub outbox_pending: Option<usize>,
    /// The cursor the host has applied up to, and the newest version in the cloud.
    pub cursor: i64,
    pub latest_version: Option<i64>,
}

fn state_text<S: Serializer>(state: &SyncState, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(state.as_str())
}

fn parse_state(s: &str) -> SyncState {
    match s {
        "off" => SyncState::Off,
        "idle" => SyncState::Idle,
        "uploading" => SyncState::Uploading,
        "downloading" => SyncState::Downloading,
        "conflicts_pending" => SyncState::ConflictsPending,
        _ => SyncState::Error,
    }
}

fn outcome(server: &str, o: &ChangeOutcome) -> Result<Outcome> {
    let bad = |what: &str| ClientError::BadResponse {
        server: server.to_owned(),
        detail: format!("a push outcome {:?} without {what}", o.outcome),
    };
    Ok(match o.outcome.as_str() {
        "applied" => Outcome::Applied {
            version: o.version.ok_or_else(|| bad("version"))?,
        },
        "unchanged" => Outcome::Unchanged {
            version: o.version.ok_or_else(|| bad("version"))?,
        },
        "same_as" => Outcome::SameAs {
            cloud_id: o.same_as.clone().ok_or_else(|| bad("same_as"))?,
            version: o.version.ok_or_else(|| bad("version"))?,
        },
        "conflict" => Outcome::Conflict {
            conflict_id: o.conflict_id.ok_or_else(|| bad("conflict_id"))?,
        },
        "refused" => Outcome::Refused {
            code: o.code.clone().unwrap_or_default(),
            message: o.message.clone().unwrap_or_default(),
        },
        other => {
            return Err(ClientError::BadResponse {
                server: server.to_owned(),
                detail: format!("an unknown push outcome {other:?}"),
            });
        }
    })
}

/// The cloud's refusal of batch `batch_id` itself (too large, a change it cannot read, an
/// id reused), as against a refusal of the site's access (`SUBSCRIPTION_EXPIRED`,
/// `CLOCK_MISMATCH`, `FIRST_SYNC_REQUIRED`, …) that the same batch outlives.
fn batch_refusal(batch_id: &str, e: &ClientError) -> Option<RefusedBatch> {
    match e {
        ClientError::Refused {
            status,
            code,
            message,
            ..
        } if *status == 413 || *status == 422 || code == "BATCH_ID_REUSED" => Some(RefusedBatch {
            batch_id: batch_id.to_owned(),
            code: code.clone(),
            message: message.clone(),
        }),
        _ => None,
    }
}

/// Keeps the first-sync lease alive while a first sync pulls and pushes.
struct LeaseKeeper<'a> {
    token: &'a str,
    every: Duration,
    last: Instant,
    renewals: usize,
}

impl LeaseKeeper<'_> {
    fn renew_if_due(&mut self, client: &Client) -> Result<()> {
        if self.last.elapsed() >= self.every {
            client.lease_call::<FirstSyncLease>(self.token, "renew")?;
            self.last = Instant::now();
            self.renewals += 1;
        }
        Ok(())
    }
}

impl Client {
    fn sync_dir(&self) -> PathBuf {
        self.cfg
            .sync
            .dir
            .clone()
            .unwrap_or_else(|| self.cfg.state_path.with_extension("sync"))
    }

    /// Runs `f` on the outbox, opening it (and taking its lock) on first use.
    pub(crate) fn with_outbox<R>(&self, f: impl FnOnce(&mut Outbox) -> Result<R>) -> Result<R> {
        let mut slot = lock(&self.sync.outbox);
        if slot.is_none() {
            *slot = Some(Outbox::open(&self.sync_dir().join("outbox.log"))?);
        }
        f(slot.as_mut().expect("opened above"))
    }

    pub(crate) fn with_local<R>(&self, f: impl FnOnce(&mut SyncLocal) -> Result<R>) -> Result<R> {
        let mut slot = lock(&self.sync.local);
        if slot.is_none() {
            *slot = Some(SyncLocal::open(&self.sync_dir().join("sync.json"))?);
        }
        f(slot.as_mut().expect("opened above"))
    }

    fn client_time(&self) -> String {
        self.clock_now().to_string()
    }

    /// Records one change of the host's data in the outbox; on disk when this returns.
    pub fn record(&self, change: Change) -> Result<()> {
        self.record_all(std::slice::from_ref(&change))
    }

    /// Records several changes with one write to disk (a first sync's local data, say).
    pub fn record_all(&self, changes: &[Change]) -> Result<()> {
        self.with_outbox(|o| o.record(changes))
    }

    /// Changes recorded and not yet answered by the cloud.
    pub fn outbox_pending(&self) -> Result<usize> {
        self.with_outbox(|o| Ok(o.pending()))
    }

    /// The batch a push sent and has no answer for, if any: after a push that failed, what
    /// the next push sends again under the same id. When the cloud refuses a batch as a
    /// whole (`push` fails with the server's code, again and again), this is the batch.
    pub fn outbox_batch(&self) -> Result<Option<OutboxBatch>> {
        self.with_outbox(|o| {
            Ok(o.open_batch().map(|(open, changes)| OutboxBatch {
                batch_id: open.batch_id,
                changes,
            }))
        })
    }

    /// Takes the batch `batch_id` (from [`Client::outbox_batch`]) out of the outbox and
    /// hands its changes back: the way past a batch the cloud refuses as a whole (push
    /// after push fails with the server's own code) for a reason the library does not check
    /// before recording. The host keeps them, fixes them, or records again those it still
    /// wants (each then goes in a new batch); the changes recorded after them go at the next
    /// push. `BATCH_NOT_OPEN` when the outbox holds no batch of that id.
    ///
    /// Only for a refused batch: after a timeout or a lost answer the cloud may have applied
    /// the batch, and only pushing again brings its answer (the new versions). Once this
    /// returns, the returned changes are their only copy: a host that must not lose them
    /// reads [`Client::outbox_batch`] and keeps them first. Not from within a
    /// [`SyncHost`] callback (the push or pull that called it holds the sync).
    pub fn take_back_batch(&self, batch_id: &str) -> Result<Vec<Change>> {
        let _run = lock(&self.sync.run);
        let changes = self.with_outbox(|o| o.take_back(batch_id))?;
        self.note_refused_batch(None)?;
        Ok(changes)
    }

    /// Keeps (or, with None, forgets) the cloud's refusal of the open batch.
    fn note_refused_batch(&self, refused: Option<RefusedBatch>) -> Result<()> {
        self.with_local(|local| {
            if local.memory.refused_batch == refused {
                return Ok(());
            }
            let mut memory = local.memory.clone();
            memory.refused_batch = refused;
            local.save(memory)
        })
    }

    /// Sends the outbox to the cloud, batch after batch, until it is empty. Each batch's
    /// id is on disk before it goes, so after an error (a lost answer, a crash) the next
    /// push sends the same batch again and the cloud changes nothing twice. The host learns
    /// each batch's outcomes ([`SyncHost::pushed`]) before the batch leaves the outbox.
    /// Before the site's first sync the cloud refuses (`FIRST_SYNC_REQUIRED`): run
    /// [`Client::first_sync`].
    pub fn push(&self, host: &mut dyn SyncHost) -> Result<PushReport> {
        let _run = lock(&self.sync.run);
        let token = self.cloud_token()?;
        self.push_locked(&token, host, None)
    }

    fn push_locked(
        &self,
        token: &str,
        host: &mut dyn SyncHost,
        mut lease: Option<&mut LeaseKeeper<'_>>,
    ) -> Result<PushReport> {
        let (max_changes, max_bytes) = (
            self.cfg.sync.batch_changes.clamp(1, 500),
            self.cfg.sync.batch_bytes,
        );
        let mut report = PushReport::default();
        while let Some((batch, changes)) =
            self.with_outbox(|o| o.next_batch(max_changes, max_bytes))?
        {
            if let Some(l) = lease.as_deref_mut() {
                l.renew_if_due(self)?;
            }
            let req = PushRequest {
                batch_id: batch.batch_id.clone(),
                client_time: self.client_time(),
                changes: changes.iter().map(Change::to_wire).collect(),
            };
            let preferred = lock(&self.preferred).clone();
            let sent = self.each_server(preferred.as_deref(), |server| {
                self.transport.post_limited::<_, PushAnswer>(
                    server,
                    "/api/v1/cloud/sync/push",
                    &req,
                    Some(token),
                    MAX_SYNC_BODY,
                )
            });
            let (server, answer) = match sent {
                Ok(sent) => sent,
                Err(e) => {
                    if let Some(refused) = batch_refusal(&batch.batch_id, &e) {
                        self.note_refused_batch(Some(refused))?;
                    }
                    return Err(e);
                }
            };
            if answer.batch_id != batch.batch_id || answer.outcomes.len() != changes.len() {
                return Err(ClientError::BadResponse {
                    server,
                    detail: format!(
                        "batch {} of {} changes answered as {} with {} outcomes",
                        batch.batch_id,
                        changes.len(),
                        answer.batch_id,
                        answer.outcomes.len()
                    ),
                });
            }
            let results = changes
                .into_iter()
                .zip(&answer.outcomes)
                .map(|(change, o)| {
                    Ok(Pushed {
                        change,
                        outcome: outcome(&server, o)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            host.pushed(&results).map_err(ClientError::HostFailed)?;
            let mut this = PushReport::default();
            this.add(answer.replayed, &results);
            if !this.conflicts.is_empty() {
                self.with_local(|local| {
                    let mut memory = local.memory.clone();
                    for c in &this.conflicts {
                        memory
                            .conflicts
                            .retain(|k| (&k.collection, &k.id) != (&c.collection, &c.id));
                        memory.conflicts.push(c.clone());
                    }
                    local.save(memory)
                })?;
            }
            self.with_outbox(|o| o.done(&batch.batch_id))?;
            self.note_refused_batch(None)?;
            report.add(answer.replayed, &results);
        }
        report.pending = self.with_outbox(|o| Ok(o.pending()))?;
        Ok(report)
    }

    /// Pulls the cloud's changes after the saved cursor, page after page, handing each to
    /// the host ([`SyncHost::apply`]) and saving the cursor past it only once the host has
    /// applied it: a crash mid-way pulls that page again. A site that was offline catches
    /// up the same way (G6).
    pub fn pull(&self, host: &mut dyn SyncHost) -> Result<PullReport> {
        let _run = lock(&self.sync.run);
        let token = self.cloud_token()?;
        self.pull_locked(&token, host, None, None)
    }

    /// Pulls everything from the beginning (cursor 0): a reinstalled site, activated and
    /// connected again, gets back every record it may see, its own site data included (G4).
    pub fn restore(&self, host: &mut dyn SyncHost) -> Result<PullReport> {
        let _run = lock(&self.sync.run);
        let token = self.cloud_token()?;
        self.pull_locked(&token, host, Some(0), None)
    }

    fn pull_locked(
        &self,
        token: &str,
        host: &mut dyn SyncHost,
        from: Option<i64>,
        mut lease: Option<&mut LeaseKeeper<'_>>,
    ) -> Result<PullReport> {
        let mut cursor = match from {
            Some(c) => c,
            None => self.with_local(|l| Ok(l.memory.cursor))?,
        };
        let limit = self.cfg.sync.page.clamp(1, 500);
        let mut report = PullReport {
            cursor,
            ..PullReport::default()
        };
        loop {
            if let Some(l) = lease.as_deref_mut() {
                l.renew_if_due(self)?;
            }
            let path = format!(
                "/api/v1/cloud/sync/pull?cursor={cursor}&limit={limit}&client_time={}",
                self.client_time()
            );
            let page: PullPage = self.sync_get(token, &path)?;
            if !page.records.is_empty() {
                host.apply(&page.records).map_err(ClientError::HostFailed)?;
            }
            self.with_local(|local| {
                let mut memory = local.memory.clone();
                memory.cursor = page.next_cursor;
                memory.conflicts.retain(|c| {
                    !page
                        .records
                        .iter()
                        .any(|r| r.collection == c.collection && r.id == c.id)
                });
                local.save(memory)
            })?;
            report.pages += 1;
            report.records += page.records.len();
            report.cursor = page.next_cursor;
            cursor = page.next_cursor;
            if !page.more {
                return Ok(report);
            }
        }
    }

    /// This site's first sync (G2), exclusive within the account: takes the account's
    /// lease — while another site holds it (`ANOTHER_SITE_SYNCING`) waits for the server's
    /// `Retry-After` and tries again, up to [`crate::sync::SyncConfig::max_wait`] —, pulls
    /// what the cloud holds, pushes the outbox (the host records its local data there
    /// first), renewing the lease as it goes, and finishes. Conflicts and same-record
    /// findings come back through [`SyncHost::pushed`]. If it fails half-way the lease runs
    /// out by itself (120 s) and a new first sync starts again where the outbox stands.
    pub fn first_sync(&self, host: &mut dyn SyncHost) -> Result<FirstSyncReport> {
        let _run = lock(&self.sync.run);
        let token = self.cloud_token()?;
        let started = Instant::now();
        let mut report = FirstSyncReport::default();
        loop {
            match self.lease_call::<FirstSyncLease>(&token, "start") {
                Ok(_) => break,
                Err(e) if e.is_refusal("ANOTHER_SITE_SYNCING") => {
                    let secs = match &e {
                        ClientError::Refused {
                            retry_after_secs, ..
                        } => retry_after_secs.unwrap_or(5).max(1),
                        _ => 5,
                    };
                    let wait = Duration::from_secs(secs);
                    if started.elapsed() + wait > self.cfg.sync.max_wait {
                        return Err(e);
                    }
                    std::thread::sleep(wait);
                    report.waited_secs += secs;
                }
                Err(e) => return Err(e),
            }
        }
        let mut keeper = LeaseKeeper {
            token: &token,
            every: self.cfg.sync.renew_every,
            last: Instant::now(),
            renewals: 0,
        };
        report.pulled = self.pull_locked(&token, host, None, Some(&mut keeper))?;
        report.pushed = self.push_locked(&token, host, Some(&mut keeper))?;
        report.renewals = keeper.renewals;
        self.lease_call::<IgnoredAny>(&token, "finish")?;
        self.with_local(|local| {
            let mut memory = local.memory.clone();
            memory.first_synced = true;
            local.save(memory)
        })?;
        Ok(report)
    }

    /// Whether this client finished a first sync (as it remembers; the cloud's view is in
    /// [`Client::sync_status`]).
    pub fn first_synced(&self) -> Result<bool> {
        self.with_local(|l| Ok(l.memory.first_synced))
    }

    /// `POST …/first-sync/{start,renew,finish}` with the client's time.
    fn lease_call<T: DeserializeOwned>(&self, token: &str, step: &str) -> Result<T> {
        let body = ClientTime {
            client_time: self.client_time(),
        };
        let path = format!("/api/v1/cloud/sync/first-sync/{step}");
        let preferred = lock(&self.preferred).clone();
        let (_, answer) = self.each_server(preferred.as_deref(), |server| {
            self.transport
                .post_limited(server, &path, &body, Some(token), MAX_SYNC_BODY)
        })?;
        Ok(answer)
    }

    fn sync_get<T: DeserializeOwned>(&self, token: &str, path: &str) -> Result<T> {
        let preferred = lock(&self.preferred).clone();
        let (_, answer) = self.each_server(preferred.as_deref(), |server| {
            self.transport
                .get_limited(server, path, Some(token), MAX_SYNC_BODY)
        })?;
        Ok(answer)
    }

    /// Where the site's sync stands (G5): `off` without a cloud token; otherwise the
    /// cloud's view (`GET /api/v1/cloud/sync/status` with this clock's time), `uploading`
    /// also while the outbox holds changes, and `error` with the reason when the cloud
    /// refuses or cannot be reached. Only a local file problem is an `Err`.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let (cursor, first_synced, conflicts, refused_batch) = self.with_local(|l| {
            Ok((
                l.memory.cursor,
                l.memory.first_synced,
                l.memory.conflicts.clone(),
                l.memory.refused_batch.clone(),
            ))
        })?;
        let outbox =
            self.with_outbox(|o| Ok((o.pending(), o.open_batch().map(|(open, _)| open.batch_id))));
        let (outbox_pending, open_batch) = match outbox {
            Ok((n, open)) => (Some(n), open),
            Err(ClientError::OutboxBusy { .. }) => (None, None),
            Err(e) => return Err(e),
        };
        let mut status = SyncStatus {
            state: SyncState::Off,
            reason: None,
            message: None,
            retry_after_secs: None,
            site_id: self.site_id(),
            first_synced,
            open_conflicts: 0,
            conflicts,
            outbox_pending,
            cursor,
            latest_version: None,
        };
        let token = match self.cloud_token() {
            Ok(t) => t,
            Err(ClientError::NotActivated | ClientError::CloudNotActivated) => return Ok(status),
            Err(e) => return Err(e),
        };
        let path = format!(
            "/api/v1/cloud/sync/status?client_time={}",
            self.client_time()
        );
        match self.sync_get::<WireStatus>(&token, &path) {
            Ok(w) => {
                status.state = parse_state(&w.state);
                status.reason = w.reason;
                status.message = w.message;
                status.retry_after_secs = w.retry_after_secs;
                status.first_synced = w.first_synced;
                status.open_conflicts = w.open_conflicts;
                status.latest_version = Some(w.latest_version);
                let waiting = outbox_pending.is_some_and(|n| n > 0);
                if waiting && matches!(status.state, SyncState::Idle | SyncState::Downloading) {
                    status.state = SyncState::Uploading;
                }
                // The cloud takes the site's data but refuses the batch the outbox holds:
                // nothing leaves until the host takes it back.
                if let Some(r) = refused_batch.filter(|r| open_batch.as_ref() == Some(&r.batch_id))
                    && status.state != SyncState::Error
                {
                    status.state = SyncState::Error;
                    status.message = Some(format!(
                        "the cloud refuses batch {} as a whole: {}; take it back \
                         (take_back_batch) to send the changes after it",
                        r.batch_id, r.message
                    ));
                    status.reason = Some(r.code);
                }
            }
            Err(e) => {
                status.state = SyncState::Error;
                status.reason = Some(e.reason().to_owned());
                status.message = Some(e.to_string());
                if let ClientError::Refused {
                    retry_after_secs, ..
                } = &e
                {
                    status.retry_after_secs = *retry_after_secs;
                }
            }
        }
        Ok(status)
    }
}
