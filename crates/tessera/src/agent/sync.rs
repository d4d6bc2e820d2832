//! `tessera agent cloud …` and `tessera agent sync …`: the client library's cloud sync over
//! the agent's local store (`store.rs`, a directory of JSON files). Each command is one
//! library call and a print; `--json` prints the library's report as it is.

use clap::{Args, Subcommand};
use serde::Serialize;
use tessera_client::sync::SyncState;
use tessera_client::{Change, Client, ClientError, Finding, PreCheck, VendorCheck};

use super::checks;
use super::commands::failed;
use super::store::LocalStore;
use super::{AgentConfig, EXIT_ERROR, Outcome};

#[derive(Subcommand)]
pub enum CloudCommand {
    /// Check the local data before connecting (E7): the collection rules, and the server's
    /// dry run against the account's cloud data. Exit 1 names each offending record.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Connect this site to the cloud with the codes mailed to its representative, after
    /// the data check (which blocks unless --skip-check).
    Activate(ActivateCloudArgs),
    /// Whether the site is connected, and where its cloud access stands.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ActivateCloudArgs {
    #[arg(long)]
    activation_code: String,
    #[arg(long)]
    site_code: String,
    /// Connect even though the data check finds problems.
    #[arg(long)]
    skip_check: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Send the local store's changes (recorded into the outbox first, so they survive a
    /// crash); the first time, run the site's first sync (pull, push, finish).
    Push {
        #[arg(long)]
        json: bool,
    },
    /// Pull the cloud's changes into the local store.
    Pull {
        #[arg(long)]
        json: bool,
    },
    /// Pull everything from the beginning into the local store (a reinstalled site).
    Restore {
        #[arg(long)]
        json: bool,
    },
    /// Where the site's sync stands: off, idle, uploading, downloading, conflicts pending,
    /// or error with its reason. Exit 1 for error.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The batch the outbox holds under its id (what the last push sent without an answer
    /// and the next sends again), with its changes.
    Outbox {
        #[arg(long)]
        json: bool,
    },
    /// Take the batch BATCH_ID out of the outbox unsent: the way past a batch the cloud
    /// refuses as a whole. Its records are recorded again, as their files then are, at the
    /// next push; fix or remove the files first.
    TakeBack {
        batch_id: String,
        #[arg(long)]
        json: bool,
    },
}

/// One change of a batch in a line: `drivers/d1 (upsert, based on version 4)`.
fn change_line(c: &Change) -> String {
    format!(
        "  {}/{} ({}, based on version {})",
        c.collection,
        c.id,
        if c.data.is_some() { "upsert" } else { "delete" },
        c.base_version
    )
}

#[derive(Serialize)]
struct OutboxReport {
    pending: usize,
    batch: Option<tessera_client::OutboxBatch>,
}

#[derive(Serialize)]
struct TakenBack<'a> {
    batch_id: &'a str,
    changes: &'a [Change],
}

fn print<T: Serialize>(
    json: bool,
    value: &T,
    lines: impl FnOnce() -> Vec<String>,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        for l in lines() {
            println!("{l}");
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct CheckReport<'a> {
    ok: bool,
    findings: &'a [Finding],
}

fn print_findings(json: bool, findings: &[Finding]) -> anyhow::Result<()> {
    let report = CheckReport {
        ok: findings.is_empty(),
        findings,
    };
    print(json, &report, || {
        if findings.is_empty() {
            return vec!["data check: ok".into()];
        }
        let mut lines = vec![format!("data check: {} problem(s)", findings.len())];
        lines.extend(findings.iter().map(|f| format!("  {}", f.message)));
        lines
    })
}

pub fn cloud(cfg: &AgentConfig, client: &Client, command: CloudCommand) -> Outcome {
    let store = LocalStore::open(&cfg.sync_data())?;
    let vendor = checks::configured(&cfg.checks, &cfg.sync_data());
    let vendor: Vec<&dyn VendorCheck> = vendor.iter().map(|c| c as &dyn VendorCheck).collect();
    match command {
        CloudCommand::Check { json } => {
            let records = store.records()?;
            match client.check_data(&records, &vendor) {
                Ok(found) => {
                    print_findings(json, &found)?;
                    Ok(if found.is_empty() { 0 } else { EXIT_ERROR })
                }
                Err(e) => Ok(failed(&e)),
            }
        }
        CloudCommand::Activate(a) => {
            let records = store.records()?;
            let pre = if a.skip_check {
                PreCheck::Skip
            } else {
                PreCheck::Run {
                    records: &records,
                    checks: &vendor,
                }
            };
            match client.activate_cloud(&a.activation_code, &a.site_code, pre) {
                Ok(done) => {
                    print(a.json, &done, || {
                        vec![format!(
                            "connected: site {} to the cloud on {} ({}, until {})",
                            done.site_id, done.server, done.state, done.expires_at
                        )]
                    })?;
                    Ok(0)
                }
                Err(ClientError::DataCheckFailed(found)) => {
                    eprintln!(
                        "error: DATA_CHECK_FAILED: not connected; fix these records (or --skip-check)"
                    );
                    print_findings(a.json, &found)?;
                    Ok(EXIT_ERROR)
                }
                Err(e) => Ok(failed(&e)),
            }
        }
        CloudCommand::Status { json } => cloud_status(client, json),
    }
}

#[derive(Serialize)]
struct CloudStatusReport {
    connected: bool,
    site_id: Option<String>,
    /// The cloud subscription's state while the site may use it.
    state: Option<String>,
    expires_at: Option<String>,
    /// Why it may not (`SUBSCRIPTION_EXPIRED`, `LICENSE_SUSPENDED`, …), or why the server
    /// could not say.
    error: Option<String>,
    message: Option<String>,
}

fn cloud_status(client: &Client, json: bool) -> Outcome {
    let mut report = CloudStatusReport {
        connected: client.cloud_activated(),
        site_id: client.status().entitlement.map(|e| e.site_id.clone()),
        state: None,
        expires_at: None,
        error: None,
        message: None,
    };
    if report.connected {
        match client.cloud_standing() {
            Ok(s) => {
                report.state = Some(s.state);
                report.expires_at = Some(s.expires_at);
            }
            Err(e) => {
                report.error = Some(e.reason().to_owned());
                report.message = Some(e.to_string());
            }
        }
    }
    print(json, &report, || {
        let mut lines = vec![format!(
            "cloud:   {}",
            if report.connected {
                "connected"
            } else {
                "not connected"
            }
        )];
        if let Some(s) = &report.state {
            lines.push(format!(
                "state:   {s} until {}",
                report.expires_at.as_deref().unwrap_or("")
            ));
        }
        if let (Some(code), Some(m)) = (&report.error, &report.message) {
            lines.push(format!("error:   {code}: {m}"));
        }
        lines
    })?;
    Ok(if report.error.is_some() {
        EXIT_ERROR
    } else {
        0
    })
}

pub fn sync(cfg: &AgentConfig, client: &Client, command: SyncCommand) -> Outcome {
    let mut store = LocalStore::open(&cfg.sync_data())?;
    let outcome =
        match command {
            SyncCommand::Push { json } => {
                let changes = store.changes()?;
                if let Err(e) = client.record_all(&changes) {
                    return Ok(failed(&e));
                }
                store.recorded(&changes)?;
                let first = !client.first_synced()?;
                if first {
                    client.first_sync(&mut store).and_then(|r| {
                        print(json, &r, || {
                        vec![format!(
                            "first sync: pulled {} record(s), pushed {} change(s) in {} batch(es): \
                             {} applied, {} unchanged, {} conflict(s), {} refused, {} renamed",
                            r.pulled.records,
                            r.pushed.applied + r.pushed.unchanged + r.pushed.conflicts.len()
                                + r.pushed.refused.len() + r.pushed.renamed.len(),
                            r.pushed.batches,
                            r.pushed.applied,
                            r.pushed.unchanged,
                            r.pushed.conflicts.len(),
                            r.pushed.refused.len(),
                            r.pushed.renamed.len()
                        )]
                    })
                    .map_err(|e| ClientError::HostFailed(e.to_string()))
                    })
                } else {
                    client.push(&mut store).and_then(|r| {
                        print(json, &r, || {
                            let mut lines = vec![format!(
                                "pushed {} batch(es): {} applied, {} unchanged, {} conflict(s), {} \
                             refused, {} renamed",
                                r.batches,
                                r.applied,
                                r.unchanged,
                                r.conflicts.len(),
                                r.refused.len(),
                                r.renamed.len()
                            )];
                            lines.extend(r.refused.iter().map(|x| {
                                format!(
                                    "  refused {} {}: {}: {}",
                                    x.collection, x.id, x.code, x.message
                                )
                            }));
                            lines
                        })
                        .map_err(|e| ClientError::HostFailed(e.to_string()))
                    })
                }
            }
            SyncCommand::Pull { json } | SyncCommand::Restore { json } => {
                let restore = matches!(command, SyncCommand::Restore { .. });
                let result = if restore {
                    client.restore(&mut store)
                } else {
                    client.pull(&mut store)
                };
                result.and_then(|r| {
                    print(json, &r, || {
                        vec![format!(
                            "{} {} record(s) in {} page(s); cursor {}",
                            if restore { "restored" } else { "pulled" },
                            r.records,
                            r.pages,
                            r.cursor
                        )]
                    })
                    .map_err(|e| ClientError::HostFailed(e.to_string()))
                })
            }
            SyncCommand::Outbox { json } => {
                let report = match client.outbox_pending().and_then(|pending| {
                    Ok(OutboxReport {
                        pending,
                        batch: client.outbox_batch()?,
                    })
                }) {
                    Ok(r) => r,
                    Err(e) => return Ok(failed(&e)),
                };
                print(json, &report, || {
                    let mut lines = vec![format!("outbox: {} change(s) waiting", report.pending)];
                    match &report.batch {
                        None => lines.push("batch:  none sent without an answer".into()),
                        Some(b) => {
                            lines.push(format!(
                                "batch:  {} ({} change(s), sent again at the next push)",
                                b.batch_id,
                                b.changes.len()
                            ));
                            lines.extend(b.changes.iter().map(change_line));
                        }
                    }
                    lines
                })
                .map_err(|e| ClientError::HostFailed(e.to_string()))
            }
            SyncCommand::TakeBack { batch_id, json } => {
                client.take_back_batch(&batch_id).and_then(|changes| {
                    store
                        .unrecorded(&changes)
                        .map_err(|e| ClientError::HostFailed(e.to_string()))?;
                    let report = TakenBack {
                        batch_id: &batch_id,
                        changes: &changes,
                    };
                    print(json, &report, || {
                        let mut lines = vec![format!(
                            "taken back: batch {batch_id}, {} change(s); the next push records \
                             their records again as their files then are",
                            changes.len()
                        )];
                        lines.extend(changes.iter().map(change_line));
                        lines
                    })
                    .map_err(|e| ClientError::HostFailed(e.to_string()))
                })
            }
            SyncCommand::Status { json } => {
                return match client.sync_status() {
                    Ok(s) => {
                        print(json, &s, || {
                            let mut lines = vec![format!("sync:      {}", s.state.as_str())];
                            if let (Some(r), Some(m)) = (&s.reason, &s.message) {
                                lines.push(format!("reason:    {r}: {m}"));
                            }
                            lines.push(format!(
                                "outbox:    {} change(s) waiting",
                                s.outbox_pending.map_or("?".into(), |n| n.to_string())
                            ));
                            lines.push(format!("conflicts: {}", s.open_conflicts));
                            lines.push(format!(
                                "cursor:    {} of {}",
                                s.cursor,
                                s.latest_version.map_or("?".into(), |v| v.to_string())
                            ));
                            lines
                        })?;
                        Ok(if s.state == SyncState::Error {
                            EXIT_ERROR
                        } else {
                            0
                        })
                    }
                    Err(e) => Ok(failed(&e)),
                };
            }
        };
    match outcome {
        Ok(()) => Ok(0),
        Err(e) => Ok(failed(&e)),
    }
}
