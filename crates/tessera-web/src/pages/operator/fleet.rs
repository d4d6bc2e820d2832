//! The fleet dashboard (`/operator/fleet`, the console's start): active sites by product and
//! edition, checks per day, overdue and locked sites, trials and their conversion, revenue,
//! subscriptions ending soon, the mail outbox and the jobs — the same use case as
//! `GET /api/v1/fleet`, so every figure is the database's — and its charts from
//! `/operator/fleet/charts.json`, drawn by `app.js` as the customers' charts are; each job's
//! latest runs on a page of their own (`/operator/jobs/{name}`, as `tessera jobs list`).

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{
    FleetActiveSites, FleetExpiring, FleetJob, FleetOutbox, FleetTrialMonth, JobRun,
};
use tessera_core::money::money;
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::error::ApiError;
use tessera_server::{fleet, operations};

use crate::pages::sites::ChartsJson;
use crate::view::{Chrome, Ctx, when};

pub const PATH: &str = "/operator/fleet";

/// The charts' spans a reader can choose.
const SPANS: [u16; 2] = [90, 365];

pub struct RevenueRow {
    pub month: String,
    pub currency: String,
    pub invoices: i64,
    pub total: String,
}

pub struct ExpiringRow {
    pub sub: FleetExpiring,
    pub state_label: String,
    pub ends: String,
}

pub struct JobRow {
    pub job: FleetJob,
    pub outcome_label: String,
    pub last: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "operator/fleet.html")]
struct FleetPage {
    chrome: Chrome,
    /// How the job the operator ran just now went.
    notice: Option<String>,
    uplot_js: String,
    uplot_css: String,
    /// The charts' span in days, and the spans offered.
    days: i64,
    /// (days, label).
    spans: Vec<(i64, String)>,
    overdue_days: i64,
    active: Vec<FleetActiveSites>,
    active_total: i64,
    validations_today: i64,
    validations_30: i64,
    overdue: i64,
    locked: i64,
    trials: Vec<FleetTrialMonth>,
    revenue: Vec<RevenueRow>,
    expiring: Vec<ExpiringRow>,
    expiring_count: i64,
    outbox: FleetOutbox,
    jobs: Vec<JobRow>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FleetQuery {
    overdue_days: Option<u16>,
    days: Option<u16>,
    /// A job the operator ran from here, and how it went (`done`, `failed`).
    ran: Option<String>,
    outcome: Option<String>,
}

/// `GET /operator/fleet?overdue_days=7&days=90`.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Query(q): Query<FleetQuery>,
) -> Result<Html<String>, ApiError> {
    let f = fleet::fleet(&state, &op, q.overdue_days, Some(30)).await?;
    let tr = ctx.tr;
    let zone = &state.zone;
    let days = q.days.filter(|d| SPANS.contains(d)).unwrap_or(SPANS[0]);
    // Only about a job there is: an address typed by hand cannot make the page claim a run.
    let notice = match (&q.ran, q.outcome.as_deref()) {
        (Some(job), Some(outcome @ ("done" | "failed")))
            if f.jobs.iter().any(|j| j.job == *job) =>
        {
            Some(tr.with(
                &format!("fleet-job-ran-{outcome}"),
                &[("job", job.as_str())],
            ))
        }
        _ => None,
    };
    let page = FleetPage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        notice,
        uplot_js: crate::assets::url("uplot.js"),
        uplot_css: crate::assets::url("uplot.css"),
        days: i64::from(days),
        spans: SPANS
            .iter()
            .map(|s| (i64::from(*s), tr.count("fleet-days", i64::from(*s))))
            .collect(),
        overdue_days: i64::from(f.overdue_days),
        active_total: f.active_total,
        active: f.active_sites,
        validations_today: f.validations.last().map_or(0, |d| d.validations),
        validations_30: f.validations.iter().map(|d| d.validations).sum(),
        overdue: f.overdue,
        locked: f.locked,
        trials: f.trials,
        revenue: f
            .revenue
            .into_iter()
            .map(|r| RevenueRow {
                total: money(r.total, &r.currency),
                month: r.month,
                currency: r.currency,
                invoices: r.invoices,
            })
            .collect(),
        expiring: f
            .expiring
            .into_iter()
            .map(|sub| ExpiringRow {
                state_label: tr.t(&format!("cloud-state-{}", sub.state)),
                ends: when(Some(&sub.expires_at), zone).unwrap_or_default(),
                sub,
            })
            .collect(),
        expiring_count: f.expiring_count,
        outbox: f.outbox,
        jobs: f
            .jobs
            .into_iter()
            .map(|job| JobRow {
                outcome_label: job
                    .last_outcome
                    .as_deref()
                    .map(|o| tr.t(&format!("fleet-outcome-{o}")))
                    .unwrap_or_else(|| tr.t("fleet-never")),
                last: when(job.last_started_at.as_deref(), zone).unwrap_or_default(),
                next: when(Some(&job.next_run_at), zone).unwrap_or_default(),
                job,
            })
            .collect(),
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// One run of a job, in words.
pub struct RunRow {
    pub run: JobRun,
    pub outcome_label: String,
    pub started: String,
    pub finished: String,
}

#[derive(Template)]
#[template(path = "operator/job.html")]
struct JobPage {
    chrome: Chrome,
    job: String,
    runs: Vec<RunRow>,
}

/// The runs a job's page lists, newest first.
const JOB_RUNS: u32 = 100;

/// `GET /operator/jobs/{name}`: the job's latest runs (period, instance, attempts, outcome
/// and what it said), as `tessera jobs list --job NAME`; `404 JOB_UNKNOWN` for a name no job
/// has.
pub async fn job(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(name): Path<String>,
) -> Result<Html<String>, ApiError> {
    let runs = operations::job_runs(&state, &op, Some(&name), Some(JOB_RUNS)).await?;
    let zone = &state.zone;
    let page = JobPage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        job: name,
        runs: runs
            .runs
            .into_iter()
            .map(|run| RunRow {
                outcome_label: ctx.tr.t(&format!("fleet-outcome-{}", run.outcome)),
                started: when(Some(&run.started_at), zone).unwrap_or_default(),
                finished: when(run.finished_at.as_deref(), zone).unwrap_or_default(),
                run,
            })
            .collect(),
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// `POST /operator/jobs/{name}/run`: the job runs now (as `tessera jobs run` does), back to
/// the dashboard with how it went.
pub async fn run_job(
    State(state): State<AppState>,
    op: Operator,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let run = operations::run_job(&state, &op, &name).await?;
    let outcome = if run.outcome == "done" {
        "done"
    } else {
        "failed"
    };
    let to = format!(
        "{PATH}?ran={}&outcome={outcome}#fleet-jobs-head",
        crate::pages::sites::encode(&run.job)
    );
    Ok(Redirect::to(&to).into_response())
}

#[derive(Deserialize)]
pub struct ChartsQuery {
    days: Option<u16>,
}

/// `GET /operator/fleet/charts.json?days=90`: the fleet's daily figures (1 to 366 days).
pub async fn charts(
    State(state): State<AppState>,
    op: Operator,
    Query(q): Query<ChartsQuery>,
) -> Result<Json<ChartsJson>, ApiError> {
    let days = q.days.unwrap_or(90).clamp(1, 366);
    Ok(Json(fleet::charts(&state, &op, days).await?.into()))
}
