//! The vendor's view of its customers (operators): accounts found by the start of their
//! username, email, company name or VAT number, one account with its installations, its
//! users, orders and invoices. The JSON routes are routes/accounts.rs and routes/orders.rs;
//! the operator console's customer pages call the same functions.

use tessera_api::{Account, AccountPage, AccountSummary, Invoice, Order, User};

use crate::actors::Operator;
use crate::error::{ApiResult, not_found};
use crate::state::AppState;

/// The longest account search.
const SEARCH_MAX: usize = 100;

/// A page of accounts with ids above `after`, `limit` of them (1 to 500, default 100),
/// matching `q` when given.
pub async fn search(
    app: &AppState,
    _op: &Operator,
    q: Option<&str>,
    after: i64,
    limit: Option<u32>,
) -> ApiResult<AccountPage> {
    let limit = crate::paging::page_limit(limit)?;
    let search = crate::paging::text_filter("q", q, SEARCH_MAX)?;
    let accounts = app.store.accounts(after, limit, search).await?;
    let next_after = crate::paging::next_after(&accounts, limit, |a| a.id);
    Ok(AccountPage {
        accounts: accounts
            .into_iter()
            .map(|a| AccountSummary {
                id: a.id,
                username: a.username,
                email: a.email,
                company_name: a.company_name,
                country: a.country,
                vat_number: a.vat_number,
                created_at: a.created_at.to_string(),
            })
            .collect(),
        next_after,
    })
}

/// The account `id` with its installations; `ACCOUNT_NOT_FOUND` when there is none.
pub async fn customer(app: &AppState, _op: &Operator, id: i64) -> ApiResult<Account> {
    let account = app.store.account(id).await?.ok_or(not_found("account"))?;
    super::account_view(app, account).await
}

/// The account's users (F5) and whether each may sign in.
pub async fn users(app: &AppState, _op: &Operator, id: i64) -> ApiResult<Vec<User>> {
    Ok(app
        .store
        .users(id)
        .await?
        .into_iter()
        .map(crate::rights::to_api_user)
        .collect())
}

/// The account's orders, newest first, as they stand now.
pub async fn orders(app: &AppState, _op: &Operator, id: i64) -> ApiResult<Vec<Order>> {
    let now = app.clock.now();
    app.store
        .orders(id)
        .await?
        .iter()
        .map(|o| crate::billing::orders::order_view(o, &app.zone, now))
        .collect()
}

/// Every account's orders, newest first, 1 to 500 (default 100) a page placed before the
/// cursor `before`; the page and the next page's cursor.
pub async fn all_orders(
    app: &AppState,
    _op: &Operator,
    before: Option<i64>,
    limit: Option<u32>,
) -> ApiResult<(Vec<Order>, Option<i64>)> {
    let limit = crate::paging::page_limit(limit)?;
    let now = app.clock.now();
    let found = app
        .store
        .all_orders(before.unwrap_or(i64::MAX), limit)
        .await?;
    let next = crate::paging::next_after(&found, limit, |(id, _)| *id);
    let orders = found
        .iter()
        .map(|(_, o)| crate::billing::orders::order_view(o, &app.zone, now))
        .collect::<ApiResult<_>>()?;
    Ok((orders, next))
}

/// Every invoice, or the account's only, newest first.
pub async fn invoices(
    app: &AppState,
    _op: &Operator,
    account: Option<i64>,
) -> ApiResult<Vec<Invoice>> {
    crate::billing::invoice::listed(app, account).await
}
