//! The invoice lines the monthly billing wrote (F2): every account's for operators, the
//! account's own with `invoices.view`, optionally one month's.

use tessera_api::{ErrorCode, InvoiceLine};
use tessera_store::InvoiceLineRecord;

use crate::actors::{Holds, Operator, right};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `month` when it is `YYYY-MM` with a month 01–12; `INVALID_QUERY` naming `month` otherwise.
pub fn checked_month(month: Option<&str>) -> ApiResult<Option<&str>> {
    let Some(month) = month else {
        return Ok(None);
    };
    let shaped = month.len() == 7
        && month.as_bytes()[4] == b'-'
        && month
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit());
    if !shaped || !(1..=12).contains(&month[5..].parse::<u8>().unwrap_or(0)) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidQuery,
            "month",
            "month is YYYY-MM, with a month from 01 to 12",
        ));
    }
    Ok(Some(month))
}

/// Every account's lines, or `account`'s, of `month` or all months.
pub async fn invoice_lines(
    app: &AppState,
    _op: &Operator,
    account: Option<i64>,
    month: Option<&str>,
) -> ApiResult<Vec<InvoiceLine>> {
    let month = checked_month(month)?;
    let found = app.store.invoice_lines(account, month).await?;
    Ok(found.into_iter().map(line).collect())
}

/// The account's own lines, of `month` or all months.
pub async fn own_invoice_lines(
    app: &AppState,
    who: &Holds<right::ViewInvoices>,
    month: Option<&str>,
) -> ApiResult<Vec<InvoiceLine>> {
    let month = checked_month(month)?;
    let found = app.store.invoice_lines(Some(who.id), month).await?;
    Ok(found.into_iter().map(line).collect())
}

fn line(l: InvoiceLineRecord) -> InvoiceLine {
    InvoiceLine {
        account_id: l.account_id,
        site_id: l.site,
        service: l.service,
        month: l.month,
        amount: l.amount,
        currency: l.currency,
    }
}
