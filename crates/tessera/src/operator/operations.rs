//! The machinery as operators watch it: `tessera operations` (the operations log, filtered,
//! and its CSV), `tessera outbox` (the mail) and `tessera jobs` (the scheduled jobs' runs,
//! and running one now).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use comfy_table::Table;
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};
use tessera_api::{JobRun, JobRuns, OperationPage, OutboxPage};

use super::output::{Query, csv_records, emit, more, opt, spin, table, write_private};
use super::{Client, Server};

#[derive(Subcommand)]
pub enum OperationsCommand {
    /// The operations log, newest first, a page at a time.
    List {
        #[command(flatten)]
        filter: LogFilter,
        /// Only entries older than this id (the "more" value a page prints).
        #[arg(long)]
        before: Option<i64>,
        /// Entries per page, 1–500 (default 100).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Write the operations log as CSV, with the same filters (up to 100 000 entries).
    Export {
        #[command(flatten)]
        filter: LogFilter,
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
        /// Only entries older than this id.
        #[arg(long)]
        before: Option<i64>,
        /// At most this many entries (default 100 000).
        #[arg(long)]
        limit: Option<u32>,
    },
}

/// The filters of GET /api/v1/operations, each optional.
#[derive(Args)]
pub struct LogFilter {
    #[command(flatten)]
    server: Server,
    /// Only operations concerning this account.
    #[arg(long)]
    account: Option<i64>,
    /// Only operations at this installation.
    #[arg(long)]
    site: Option<String>,
    /// Who acted: `operator:NAME`, `account:NAME`, `user:NAME`, `siteuser:NAME@SITE_ID`,
    /// `site:ID` or `anonymous`.
    #[arg(long)]
    actor: Option<String>,
    /// Only operations whose method and route hold this text (`services`, `DELETE`).
    #[arg(long)]
    operation: Option<String>,
    /// ok, refused or failed.
    #[arg(long)]
    outcome: Option<String>,
    /// From this time (RFC 3339), inclusive.
    #[arg(long)]
    from: Option<String>,
    /// Before this time (RFC 3339).
    #[arg(long, alias = "to")]
    until: Option<String>,
}

impl LogFilter {
    fn query(&self, before: Option<i64>, limit: Option<u32>) -> String {
        Query::default()
            .with("account", self.account)
            .with("site", self.site.as_deref())
            .with("actor", self.actor.as_deref())
            .with("operation", self.operation.as_deref())
            .with("outcome", self.outcome.as_deref())
            .with("from", self.from.as_deref())
            .with("until", self.until.as_deref())
            .with("before", before)
            .with("limit", limit)
            .string()
    }
}

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// The mail outbox, newest first, with counts per state.
    List {
        #[command(flatten)]
        server: Server,
        /// queued, sent or failed.
        #[arg(long)]
        state: Option<String>,
        /// Only messages older than this id (the "more" value a page prints).
        #[arg(long)]
        before: Option<i64>,
        /// Messages per page, 1–500 (default 100).
        #[arg(long)]
        limit: Option<u32>,
    },
}

#[derive(Subcommand)]
pub enum JobsCommand {
    /// The recorded runs, newest first.
    List {
        #[command(flatten)]
        server: Server,
        /// Only this job's runs (mail, purge, billing, expiry, stats).
        #[arg(long)]
        job: Option<String>,
        /// Runs shown, 1–500 (default 100).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Run a job now (mail, purge, billing, expiry, stats): the current period's work once more.
    /// Prints the run when it has finished; fails when the run failed.
    Run {
        #[command(flatten)]
        server: Server,
        name: String,
    },
}

pub fn operations(command: OperationsCommand) -> anyhow::Result<()> {
    match command {
        OperationsCommand::List {
            filter,
            before,
            limit,
        } => {
            let query = filter.query(before, limit);
            let page: OperationPage = Client::new(&filter.server)
                .authed("GET /api/v1/operations", async |api| {
                    api.operations(&query).await
                })?;
            emit(&filter.server, &page, operation_table)?;
            more("before", page.next_before);
            Ok(())
        }
        OperationsCommand::Export {
            filter,
            out,
            before,
            limit,
        } => {
            let query = filter.query(before, limit);
            // A spinner while the server reads the log and writes the CSV, then a bar of the
            // bytes received against the length it announces.
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} operations log: {msg} ({elapsed})")
                    .expect("valid template"),
            );
            bar.set_message("waiting for the server");
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            let csv = Client::new(&filter.server)
                .authed("GET /api/v1/operations/export", async |api| {
                    api.operations_csv(&query, |received, total| {
                        if let Some(total) = total
                            && bar.length() != Some(total)
                        {
                            bar.set_length(total);
                            bar.set_style(
                                ProgressStyle::with_template(
                                    "operations log [{bar:40}] {bytes}/{total_bytes} ({eta} left)",
                                )
                                .expect("valid template")
                                .progress_chars("=> "),
                            );
                        }
                        bar.set_position(received);
                        bar.set_message(format!("{} received", HumanBytes(received)));
                    })
                    .await
                })
                .inspect_err(|_| bar.abandon())?;
            bar.finish_and_clear();
            write_private(&out, &csv)?;
            eprintln!(
                "Wrote {} operations to {} ({})",
                csv_records(&csv),
                out.display(),
                HumanBytes(csv.len() as u64)
            );
            Ok(())
        }
    }
}

fn operation_table(page: &OperationPage) -> Table {
    let mut t = table([
        "id",
        "at",
        "actor",
        "operation",
        "account",
        "site",
        "status",
        "outcome",
        "code",
    ]);
    for o in &page.operations {
        t.add_row([
            o.id.to_string(),
            o.at.clone(),
            o.actor.clone(),
            o.operation.clone(),
            opt(&o.account_id),
            opt(&o.site_id),
            o.status.to_string(),
            o.outcome.clone(),
            opt(&o.code),
        ]);
    }
    t
}

pub fn outbox(command: OutboxCommand) -> anyhow::Result<()> {
    match command {
        OutboxCommand::List {
            server,
            state,
            before,
            limit,
        } => {
            let query = Query::default()
                .with("state", state)
                .with("before", before)
                .with("limit", limit)
                .string();
            let page: OutboxPage = Client::new(&server)
                .authed("GET /api/v1/outbox", async |api| api.outbox(&query).await)?;
            emit(&server, &page, outbox_table)?;
            if !server.json {
                let c = &page.counts;
                eprintln!(
                    "{} queued, {} sent, {} failed; {}",
                    c.queued,
                    c.sent,
                    c.failed,
                    if page.smtp_configured {
                        "a mail server is configured"
                    } else {
                        "no mail server is configured: mail stays queued"
                    }
                );
            }
            more("before", page.next_before);
            Ok(())
        }
    }
}

fn outbox_table(page: &OutboxPage) -> Table {
    let mut t = table([
        "id",
        "kind",
        "to",
        "subject",
        "state",
        "attempts",
        "created",
        "sent",
        "next attempt",
        "last error",
    ]);
    for m in &page.messages {
        t.add_row([
            m.id.to_string(),
            m.kind.clone(),
            m.to.clone(),
            m.subject.clone(),
            m.state.clone(),
            m.attempts.to_string(),
            m.created_at.clone(),
            opt(&m.sent_at),
            opt(&m.next_attempt_at),
            opt(&m.last_error),
        ]);
    }
    t
}

pub fn jobs(command: JobsCommand) -> anyhow::Result<()> {
    match command {
        JobsCommand::List { server, job, limit } => {
            let query = Query::default()
                .with("job", job)
                .with("limit", limit)
                .string();
            let runs: JobRuns = Client::new(&server)
                .authed("GET /api/v1/jobs", async |api| api.job_runs(&query).await)?;
            emit(&server, &runs, |runs| run_table(&runs.runs))
        }
        JobsCommand::Run { server, name } => {
            let run: JobRun = spin(format!("running the {name} job"), || {
                Client::new(&server).authed("POST /api/v1/jobs/{name}/run", async |api| {
                    api.run_job(&name).await
                })
            })?;
            emit(&server, &run, |r| run_table(std::slice::from_ref(r)))?;
            anyhow::ensure!(run.outcome == "done", "the {} job failed", run.job);
            Ok(())
        }
    }
}

fn run_table(runs: &[JobRun]) -> Table {
    let mut t = table([
        "job", "period", "by", "attempts", "outcome", "detail", "started", "finished",
    ]);
    for r in runs {
        t.add_row([
            r.job.clone(),
            r.period.clone(),
            r.holder.clone(),
            r.attempts.to_string(),
            r.outcome.clone(),
            opt(&r.detail),
            r.started_at.clone(),
            opt(&r.finished_at),
        ]);
    }
    t
}
