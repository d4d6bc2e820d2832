//! `tessera fleet`: the fleet dashboard (`GET /api/v1/fleet`) as tables, or its JSON.

use clap::Args;
use comfy_table::Table;
use tessera_api::Fleet;

use super::output::{Query, money, opt, print_json, record, table};
use super::{Client, Server};

#[derive(Args)]
pub struct FleetArgs {
    #[command(flatten)]
    server: Server,
    /// An active site counts as overdue after this many days without a check (default 7).
    #[arg(long)]
    overdue_days: Option<u16>,
    /// Validations per day over this many days (default 30).
    #[arg(long)]
    days: Option<u16>,
}

pub fn fleet(args: FleetArgs) -> anyhow::Result<()> {
    let query = Query::default()
        .with("overdue_days", args.overdue_days)
        .with("days", args.days)
        .string();
    let f: Fleet = Client::new(&args.server)
        .authed("GET /api/v1/fleet", async |api| api.fleet(&query).await)?;
    if args.server.json {
        return print_json(&f);
    }
    for t in tables(&f) {
        println!("{t}");
    }
    Ok(())
}

/// The dashboard's sections, one table each.
fn tables(f: &Fleet) -> Vec<Table> {
    let today = f.validations.last().map_or(0, |d| d.validations);
    let summary = record([
        ("at", f.at.clone()),
        ("active sites", f.active_total.to_string()),
        ("validations today", today.to_string()),
        (
            "validations, last days",
            format!(
                "{} in {} days",
                f.validations.iter().map(|d| d.validations).sum::<i64>(),
                f.validations.len()
            ),
        ),
        (
            "overdue",
            format!("{} (no check for over {} days)", f.overdue, f.overdue_days),
        ),
        ("locked", f.locked.to_string()),
        ("outbox queued", f.outbox.queued.to_string()),
        ("outbox failed", f.outbox.failed.to_string()),
        ("outbox last error", opt(&f.outbox.last_error)),
        ("ending in 30 days", f.expiring_count.to_string()),
    ]);
    let mut active = table(["product", "edition", "active sites"]);
    for a in &f.active_sites {
        active.add_row([a.product.clone(), a.edition.clone(), a.sites.to_string()]);
    }
    let mut months = table(["month", "trials started", "bought since", "revenue"]);
    for t in &f.trials {
        let revenue: Vec<String> = f
            .revenue
            .iter()
            .filter(|r| r.month == t.month)
            .map(|r| format!("{} ({} invoices)", money(r.total, &r.currency), r.invoices))
            .collect();
        months.add_row([
            t.month.clone(),
            t.started.to_string(),
            t.converted.to_string(),
            revenue.join(", "),
        ]);
    }
    let mut expiring = table(["account", "username", "company", "service", "state", "ends"]);
    for e in &f.expiring {
        expiring.add_row([
            e.account_id.to_string(),
            e.username.clone(),
            e.company.clone(),
            e.service.clone(),
            e.state.clone(),
            e.expires_at.clone(),
        ]);
    }
    let mut jobs = table(["job", "last run", "outcome", "next run", "failures"]);
    for j in &f.jobs {
        jobs.add_row([
            j.job.clone(),
            opt(&j.last_started_at),
            opt(&j.last_outcome),
            j.next_run_at.clone(),
            j.failures.to_string(),
        ]);
    }
    vec![summary, active, months, expiring, jobs]
}
