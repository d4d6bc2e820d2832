//! The monthly `billing` job (F2): on the 1st of each month it writes the invoice lines of
//! the month before, by the rule in `tessera_core::monthly`. A month billed twice (a retry
//! after a failure half-way) gets each line once: the lines have a unique key.

use tessera_core::Period;
use tessera_core::monthly::YearMonth;

use crate::state::AppState;

pub async fn run(state: &AppState, period: &Period) -> anyhow::Result<String> {
    let this_month = YearMonth::of(period.starts.to_zoned(state.zone.clone()).date());
    let billed = this_month.previous();
    let lines = state.store.bill_month(billed, state.clock.now()).await?;
    Ok(format!("{lines} invoice lines for {billed}"))
}
