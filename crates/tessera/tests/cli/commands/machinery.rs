//! The machinery's commands: the mail outbox, a job run now, the operations log with every
//! filter and its CSV, an account's log retention, a site's technical data and expiry.

use std::path::Path;

use tessera_api::{
    Fleet, JobRuns, OperationPage, OutboxPage, SetLogRetention, Site, SiteTechnicalData,
};

use super::billing::Customer;
use super::{Cli, assert_row};

pub(super) fn commands(cli: &Cli, customer: &Customer, dir: &Path) {
    outbox_and_jobs(cli);
    operations(cli, customer, dir);

    let account = customer.id.to_string();
    let kept = cli.ok(&["accounts", "set-log-retention", &account, "--days", "30"]);
    assert!(kept.contains("30 days"), "{kept}");
    cli.row(&["accounts", "show", &account], &["log kept", "30 days"]);
    let reset: SetLogRetention =
        cli.json(&["accounts", "set-log-retention", &account, "--default"]);
    assert_eq!(reset.days, None);
    cli.row(
        &["accounts", "show", &account],
        &["log kept", "the server's setting"],
    );
    cli.refused(
        &["accounts", "set-log-retention", &account, "--days", "0"],
        "422 RETENTION_INVALID",
    );

    let site = &customer.sites[1];
    let technical: SiteTechnicalData = cli.json(&["sites", "technical", site]);
    assert!(technical.technician.is_none() && technical.evse_ids.is_empty());
    cli.row(&["sites", "technical", site], &["technician"]);
    cli.refused(
        &["sites", "technical", "no-such-site"],
        "404 SITE_NOT_FOUND",
    );
    cli.row(
        &["sites", "set-expiry", site, "--at", "2030-01-01T00:00:00Z"],
        &["expires", "2030-01-01T00:00:00Z"],
    );
    let never: Site = cli.json(&["sites", "set-expiry", site, "--never"]);
    assert_eq!(never.expires_at, None);
}

fn outbox_and_jobs(cli: &Cli) {
    // The registration's mail waits for the mail job, which the test server never runs alone.
    let queued = cli.output(&["outbox", "list", "--state", "queued"]);
    let table = String::from_utf8_lossy(&queued.stdout);
    assert_row(
        &table,
        &["account.registered", "office@ib50.example", "queued"],
    );
    let footer = String::from_utf8_lossy(&queued.stderr);
    assert!(footer.contains("a mail server is configured"), "{footer}");
    cli.refused(
        &["outbox", "list", "--state", "lost"],
        "422 OUTBOX_STATE_INVALID",
    );

    cli.row(
        &["jobs", "run", "mail"],
        &["mail", "operator:admin", "done"],
    );
    let sent: OutboxPage = cli.json(&["outbox", "list", "--state", "sent", "--limit", "500"]);
    assert!(
        sent.messages
            .iter()
            .any(|m| m.to == "office@ib50.example" && m.kind == "account.registered"),
        "{:?}",
        sent.messages
    );
    assert_eq!(sent.counts.queued, 0);
    let runs: JobRuns = cli.json(&["jobs", "list", "--job", "mail", "--limit", "2"]);
    assert!(runs.runs.len() <= 2 && runs.runs.iter().all(|r| r.job == "mail"));
    assert!(
        runs.runs
            .iter()
            .any(|r| r.holder == "operator:admin" && r.outcome == "done"),
        "{:?}",
        runs.runs
    );
    cli.refused(&["jobs", "run", "nosuch"], "404 JOB_UNKNOWN");

    // The fleet dashboard sees the same outbox and the run just made.
    let fleet: Fleet = cli.json(&["fleet", "--overdue-days", "3"]);
    assert_eq!((fleet.outbox.queued, fleet.overdue_days), (0, 3));
    assert_eq!(fleet.validations.len(), 30);
    let mail = fleet.jobs.iter().find(|j| j.job == "mail").unwrap();
    assert_eq!(mail.last_outcome.as_deref(), Some("done"));
    cli.row(&["fleet"], &["outbox queued", "0"]);
    cli.refused(&["fleet", "--overdue-days", "0"], "422 FIELD_INVALID");
}

fn operations(cli: &Cli, customer: &Customer, dir: &Path) {
    let state_route = "POST /api/v1/subscriptions/{id}/state";
    cli.row(
        &[
            "operations",
            "list",
            "--actor",
            "operator:admin",
            "--operation",
            "subscriptions",
        ],
        &["operator:admin", state_route, "ok"],
    );
    let refused: OperationPage = cli.json(&[
        "operations",
        "list",
        "--outcome",
        "refused",
        "--operation",
        "subscriptions",
    ]);
    let codes: Vec<_> = refused
        .operations
        .iter()
        .map(|o| o.code.as_deref().unwrap_or_default())
        .collect();
    assert!(
        codes.contains(&"STATE_INVALID") && codes.contains(&"SUBSCRIPTION_NOT_FOUND"),
        "{codes:?}"
    );
    assert!(refused.operations.iter().all(|o| o.outcome == "refused"));

    let account = customer.id.to_string();
    let theirs: OperationPage = cli.json(&["operations", "list", "--account", &account]);
    assert!(
        theirs
            .operations
            .iter()
            .all(|o| o.account_id == Some(customer.id))
    );
    assert!(
        theirs
            .operations
            .iter()
            .any(|o| o.operation.contains("/account/cloud/orders") && o.actor == "account:ib50"),
        "{:?}",
        theirs.operations
    );
    let site = &customer.sites[0];
    let at_site: OperationPage = cli.json(&["operations", "list", "--site", site]);
    assert!(!at_site.operations.is_empty());
    assert!(
        at_site
            .operations
            .iter()
            .all(|o| o.site_id.as_deref() == Some(site))
    );
    let since: OperationPage = cli.json(&[
        "operations",
        "list",
        "--from",
        "2026-11-23T00:00:00Z",
        "--to",
        "2026-11-24T00:00:00Z",
    ]);
    assert!(!since.operations.is_empty());
    let before: OperationPage =
        cli.json(&["operations", "list", "--until", "2000-01-01T00:00:00Z"]);
    assert!(before.operations.is_empty());
    let paged = cli.output(&["operations", "list", "--limit", "1"]);
    let more = String::from_utf8_lossy(&paged.stderr);
    assert!(more.contains("more: --before "), "{more}");
    cli.refused(
        &["operations", "list", "--outcome", "maybe"],
        "422 OUTCOME_INVALID",
    );
    cli.refused(
        &["operations", "list", "--from", "yesterday"],
        "422 INVALID_TIMESTAMP",
    );

    let csv = dir.join("operations.csv");
    let csv_arg = csv.to_str().unwrap();
    let export = [
        "operations",
        "export",
        "--out",
        csv_arg,
        "--actor",
        "operator:admin",
    ];
    let out = cli.output(&export);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.contains("Wrote "), "{said}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains(state_route) && !text.contains("account:ib50"),
        "{text}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&csv).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the log is readable by its owner only");
    cli.refused(
        &[
            "operations",
            "export",
            "--out",
            csv_arg,
            "--outcome",
            "maybe",
        ],
        "422 OUTCOME_INVALID",
    );
}
