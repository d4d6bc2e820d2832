//! The monthly `billing` job (F2): on the 1st of each month it writes the invoice lines of
//! the month before, by the rule in `tessera_core::monthly`, and issues them as numbered
//! invoices (one per account, in the cloud's sequence) mailed to each account. A month
//! billed twice (a retry after a failure half-way) gets each line once (the lines have a
//! unique key) and each line on one invoice (a line remembers its invoice). Until the seller
//! is configured the lines wait uninvoiced; a later run issues them.

use tessera_core::Period;
use tessera_core::monthly::YearMonth;
use tessera_store::Invoicing;

use crate::state::AppState;

pub async fn run(state: &AppState, period: &Period) -> anyhow::Result<String> {
    let this_month = YearMonth::of(period.starts.to_zoned(state.zone.clone()).date());
    let billed = this_month.previous();
    let config = &state.config.billing;
    let invoicing =
        (config.seller_name.is_some() && config.seller_country.is_some()).then(|| Invoicing {
            seller: config.seller(),
            vat_rates: config.vat_rates.clone(),
        });
    let done = state
        .store
        .bill_month(billed, invoicing.as_ref(), &state.zone, state.clock.now())
        .await?;
    Ok(format!(
        "{} invoice lines for {billed}, {} invoices issued",
        done.lines,
        done.invoices.len()
    ))
}
