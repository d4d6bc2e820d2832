//! `tessera jobs`: the scheduled jobs' recent runs, and running one now.

use clap::Subcommand;
use comfy_table::Table;
use tessera_api::{JobRun, JobRuns};

use crate::operator::{Client, Server};

#[derive(Subcommand)]
pub enum JobsCommand {
    /// The recorded runs, newest first.
    List {
        #[command(flatten)]
        server: Server,
        /// Only this job's runs (mail, purge, billing, expiry, stats).
        #[arg(long)]
        job: Option<String>,
    },
    /// Run a job now (mail, purge, billing, expiry, stats): the current period's work once more.
    /// Prints the run when it has finished; fails when the run failed.
    Run {
        #[command(flatten)]
        server: Server,
        name: String,
    },
}

pub fn jobs(command: JobsCommand) -> anyhow::Result<()> {
    match command {
        JobsCommand::List { server, job } => {
            let runs: JobRuns = Client::new(&server).authed("GET /api/v1/jobs", async |api| {
                api.jobs(job.as_deref()).await
            })?;
            println!("{}", table(&runs.runs));
            Ok(())
        }
        JobsCommand::Run { server, name } => {
            let run: JobRun = Client::new(&server)
                .authed("POST /api/v1/jobs/{name}/run", async |api| {
                    api.run_job(&name).await
                })?;
            println!("{}", table(std::slice::from_ref(&run)));
            anyhow::ensure!(run.outcome == "done", "the {} job failed", run.job);
            Ok(())
        }
    }
}

fn table(runs: &[JobRun]) -> Table {
    let mut table = Table::new();
    table.set_header([
        "job", "period", "by", "outcome", "detail", "started", "finished",
    ]);
    for r in runs {
        table.add_row([
            r.job.clone(),
            r.period.clone(),
            r.holder.clone(),
            r.outcome.clone(),
            r.detail.clone().unwrap_or_default(),
            r.started_at.clone(),
            r.finished_at.clone().unwrap_or_default(),
        ]);
    }
    table
}
