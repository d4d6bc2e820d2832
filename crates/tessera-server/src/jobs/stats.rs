//! The hourly `stats` job: each account's sites per licence state, written as today's
//! figures for the overview's chart (H3). Hourly, so the day's last run stands for the day
//! even when the server was down at midnight.

use crate::state::AppState;

pub async fn run(state: &AppState) -> anyhow::Result<String> {
    let day = state
        .clock
        .now()
        .to_zoned(state.zone.clone())
        .date()
        .to_string();
    let rows = state.store.snapshot_site_states(&day).await?;
    Ok(format!(
        "{rows} figures of sites per state written for {day}"
    ))
}
