//! `tessera agent run`: the library's own schedule on its background thread (start-up check
//! within `startup_jitter`, then daily at `daily_at` plus jitter, retries with backoff), one
//! log line per outcome, until SIGTERM or SIGINT. Meant for a systemd service.

use std::sync::Arc;

use tessera_client::{Client, Result, Validated};

use super::commands::{failed, standing_code};
use super::{EXIT_NOT_ACTIVATED, Outcome};

pub fn run(client: Client) -> Outcome {
    let client = Arc::new(client);
    let status = client.status();
    let Some(e) = status.entitlement.clone() else {
        eprintln!("error: NOT_ACTIVATED: run `tessera agent activate` first");
        return Ok(EXIT_NOT_ACTIVATED);
    };
    println!(
        "tessera agent: site {} ({} {}), {}{}; first check at {}",
        e.site_id,
        e.product,
        e.edition,
        status.standing.as_str(),
        days(status.days_left()),
        client.next_check_due()
    );
    let logger = Arc::clone(&client);
    let background = client.spawn_background(move |result| log(&logger, result));
    wait_for_signal()?;
    println!("tessera agent: stopping");
    background.stop();
    Ok(standing_code(&client.status()))
}

/// One line per validation: what the server said (or the error's code) and what follows.
fn log(client: &Client, result: &Result<Validated>) {
    let next = client.next_check_due();
    match result {
        Ok(v) => println!(
            "validation: {} answered {}; {}{}; next check at {next}",
            v.server,
            v.state.as_str(),
            v.status.standing.as_str(),
            days(v.status.days_left()),
        ),
        Err(e) => {
            failed(e);
            let status = client.status();
            println!(
                "validation failed: {}; {}{}; retry at {next}",
                e.code(),
                status.standing.as_str(),
                days(status.days_left()),
            );
        }
    }
}

fn days(left: Option<u32>) -> String {
    left.map(|n| format!(", {n} days left")).unwrap_or_default()
}

/// Blocks until SIGTERM (systemd's stop) or SIGINT (Ctrl-C).
fn wait_for_signal() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = term.recv() => {}
            r = tokio::signal::ctrl_c() => r?,
        }
        Ok(())
    })
}
