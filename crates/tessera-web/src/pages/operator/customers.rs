//! Customers in the console: accounts found by the start of their username, email, company
//! name or VAT number; one account's page with its data, installations (suspended, resumed,
//! released, given an expiry; each with its technician and charging points), subscriptions,
//! orders, invoices, users and latest operations, and how long its operations log is kept
//! (I2). The operator use cases of the
//! JSON API, unchanged.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{
    Account, AccountSummary, Invoice, Operation, Order, Site, SiteTechnicalData, Subscription, User,
};
use tessera_core::money::money;
use tessera_server::AppState;
use tessera_server::accounts::customers;
use tessera_server::actors::Operator;
use tessera_server::catalog::plans;
use tessera_server::error::ApiError;
use tessera_server::operations::{self, OperationQuery, operators_log};
use tessera_server::sites;

use crate::error::FormRefusal;
use crate::form::PageForm;
use crate::view::{Chrome, Ctx, DoneQuery, when};

const PATH: &str = "/operator/customers";

#[derive(Debug, Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: i64,
}

#[derive(Template)]
#[template(path = "operator/customers.html")]
struct CustomersPage {
    chrome: Chrome,
    q: String,
    accounts: Vec<AccountSummary>,
    /// The next page's link, when there is one.
    next: Option<String>,
}

/// `GET /operator/customers?q=…`: the accounts, 50 a page, narrowed by `q`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Query(s): Query<SearchQuery>,
) -> Result<Html<String>, ApiError> {
    let q = s.q.trim();
    let found = customers::search(
        &state,
        &op,
        Some(q).filter(|q| !q.is_empty()),
        s.after,
        Some(50),
    )
    .await?;
    let next = found.next_after.map(|after| {
        let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        format!("{PATH}?q={q}&after={after}")
    });
    let page = CustomersPage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        q: q.to_owned(),
        accounts: found.accounts,
        next,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// One installation as the customer's page lists it.
pub struct SiteRow {
    pub site: Site,
    pub last_check: String,
    pub expires: String,
    /// The expiry as a date input holds it (`2027-01-31`), empty for never.
    pub expiry_date: String,
    /// Its technician and charging points (F4), for whoever answers the customer's call.
    pub technical: SiteTechnicalData,
    /// Why the last action on it was refused, shown beside its forms.
    pub error: Option<String>,
    /// Whether the refused action was the expiry (its field is marked invalid).
    pub expiry_refused: bool,
}

/// One subscription, in words.
pub struct SubscriptionRow {
    pub sub: Subscription,
    pub ends: String,
}

/// One order, in words.
pub struct OrderRow {
    pub order: Order,
    pub total: String,
}

/// One invoice, in words.
pub struct InvoiceRow {
    pub invoice: Invoice,
    pub total: String,
    pub issued: String,
}

#[derive(Template)]
#[template(path = "operator/customer.html")]
struct CustomerPage {
    chrome: Chrome,
    notice: Option<String>,
    account: Account,
    /// How long the account's operations log is kept, in words.
    retention: String,
    /// The retention form's days: the account's own, or what was typed and refused.
    retention_days: String,
    /// Why the typed days were refused.
    retention_error: Option<String>,
    /// A refused action on an installation that is not on this page.
    error: Option<String>,
    sites: Vec<SiteRow>,
    subscriptions: Vec<SubscriptionRow>,
    orders: Vec<OrderRow>,
    invoices: Vec<InvoiceRow>,
    users: Vec<User>,
    operations: Vec<Operation>,
}

/// `GET /operator/customers/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let notice = ["suspended", "resumed", "released", "expiry", "retention"]
        .contains(&q.done.as_str())
        .then(|| ctx.tr.t(&format!("op-site-done-{}", q.done)));
    let page = customer_page(&state, &ctx, &op, id, notice, None).await?;
    Ok(Html(page))
}

/// A form of the page that was refused: which one, what was typed in it, and why.
struct Refused {
    form: RefusedForm,
    /// What was typed, shown again.
    typed: String,
    message: String,
    /// The field the refusal is about, when it names one.
    field: Option<String>,
}

enum RefusedForm {
    /// The account's log retention.
    Retention,
    /// An action on one installation (`expiry`, `suspend`, …).
    Site { site_id: String, action: String },
}

/// The account's page, with `notice` on top and a refused form's reason beside it.
async fn customer_page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    id: i64,
    notice: Option<String>,
    refused: Option<Refused>,
) -> Result<String, ApiError> {
    let account = customers::customer(state, op, id).await?;
    let zone = &state.zone;
    let day = |t: Option<&str>| when(t, zone).unwrap_or_else(|| "—".to_owned());
    let log = OperationQuery {
        account: Some(id),
        limit: Some(20),
        ..OperationQuery::default()
    };
    let retention = match account.log_retention_days {
        Some(days) => ctx.tr.count("op-retention-own", i64::from(days)),
        None => ctx.tr.count(
            "op-retention-server",
            i64::from(state.config.operations_log_days),
        ),
    };
    let mut refused = refused;
    let mut site_rows = Vec::with_capacity(account.installations.len());
    for s in &account.installations {
        let mut row = SiteRow {
            last_check: day(s.last_validated_at.as_deref()),
            expires: day(s.expires_at.as_deref()),
            expiry_date: s
                .expires_at
                .as_deref()
                .and_then(|t| when(Some(t), zone))
                .map(|t| t[..10].to_owned())
                .unwrap_or_default(),
            technical: sites::technical::technical(state, op, &s.site_id).await?,
            site: s.clone(),
            error: None,
            expiry_refused: false,
        };
        if let Some(r) = refused.take_if(
            |r| matches!(&r.form, RefusedForm::Site { site_id, .. } if *site_id == s.site_id),
        ) {
            row.error = Some(r.message);
            if let RefusedForm::Site { action, .. } = &r.form
                && action == "expiry"
            {
                row.expiry_date = r.typed;
                row.expiry_refused = r.field.as_deref() == Some("expires_at");
            }
        }
        site_rows.push(row);
    }
    let (retention_typed, retention_error, error) = match refused {
        Some(Refused {
            form: RefusedForm::Retention,
            typed,
            message,
            ..
        }) => (Some(typed), Some(message), None),
        Some(other) => (None, None, Some(other.message)),
        None => (None, None, None),
    };
    let page = CustomerPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        retention_days: retention_typed.unwrap_or_else(|| {
            account
                .log_retention_days
                .map(|d| d.to_string())
                .unwrap_or_default()
        }),
        retention_error,
        error,
        retention,
        sites: site_rows,
        subscriptions: plans::subscriptions(state, op, Some(id))
            .await?
            .into_iter()
            .map(|sub| SubscriptionRow {
                ends: day(Some(&sub.expires_at)),
                sub,
            })
            .collect(),
        orders: customers::orders(state, op, id)
            .await?
            .into_iter()
            .map(|order| OrderRow {
                total: money(order.summary.total, &order.summary.currency),
                order,
            })
            .collect(),
        invoices: customers::invoices(state, op, Some(id))
            .await?
            .into_iter()
            .map(|invoice| InvoiceRow {
                total: money(invoice.total, &invoice.currency),
                issued: day(Some(&invoice.issued_at)),
                invoice,
            })
            .collect(),
        users: customers::users(state, op, id).await?,
        operations: operators_log(state, op, &log).await?.operations,
        account,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ExpiryPost {
    /// `2027-01-31`, or empty for never.
    expires: String,
}

/// `POST /operator/customers/{id}/sites/{site}/{action}`: suspend, resume, release or set
/// the expiry (end of that day in the server's time zone), then back to the account. A
/// refused action (a date that is none, a released installation) shows the page again
/// with the reason at the installation and what was typed.
pub async fn site_action(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path((id, site, action)): Path<(i64, String, String)>,
    PageForm(post): PageForm<ExpiryPost>,
) -> Result<Response, ApiError> {
    let done = match action.as_str() {
        "suspend" => sites::set_suspended(&state, &op, &site, true)
            .await
            .map(|_| "suspended"),
        "resume" => sites::set_suspended(&state, &op, &site, false)
            .await
            .map(|_| "resumed"),
        "release" => sites::release(&state, &op, &site).await.map(|_| "released"),
        "expiry" => async {
            let at = end_of_day(&post.expires, &state.zone)?;
            sites::set_expiry(&state, &op, &site, at.as_deref()).await
        }
        .await
        .map(|_| "expiry"),
        _ => return Err(tessera_server::error::not_found("route")),
    };
    let e = match done {
        Ok(done) => {
            return Ok(Redirect::to(&format!("{PATH}/{id}?done={done}#sites")).into_response());
        }
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
        return Err(e);
    };
    let refused = Refused {
        form: RefusedForm::Site {
            site_id: site,
            action,
        },
        typed: post.expires.trim().to_owned(),
        message: refusal.message.clone(),
        field: refusal.field.clone(),
    };
    let page = customer_page(&state, &ctx, &op, id, None, Some(refused)).await?;
    op.note.account(id);
    Ok(refusal.respond(page))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RetentionPost {
    /// Days, or empty to follow the server's setting again.
    days: String,
}

/// `POST /operator/customers/{id}/log-retention`: gives the account its own retention of
/// the operations log (1 to 3650 days), or none (the server's setting), then back to it.
/// A refused number shows the page again with the reason at the form and what was typed.
pub async fn set_retention(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(id): Path<i64>,
    PageForm(post): PageForm<RetentionPost>,
) -> Result<Response, ApiError> {
    let typed = post.days.trim();
    let set = async {
        let days = match typed {
            "" => None,
            _ => Some(typed.parse::<u32>().map_err(|_| {
                ApiError::invalid(
                    tessera_api::ErrorCode::RetentionInvalid,
                    "days",
                    "days must be a whole number from 1 to 3650, or empty",
                )
            })?),
        };
        operations::set_log_retention(&state, &op, id, days).await
    }
    .await;
    let Err(e) = set else {
        op.note.account(id);
        return Ok(Redirect::to(&format!("{PATH}/{id}?done=retention#account")).into_response());
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
        return Err(e);
    };
    let refused = Refused {
        form: RefusedForm::Retention,
        typed: typed.to_owned(),
        message: refusal.message.clone(),
        field: refusal.field.clone(),
    };
    let page = customer_page(&state, &ctx, &op, id, None, Some(refused)).await?;
    // The account exists (its page was made): the refusal is on its record.
    op.note.account(id);
    Ok(refusal.respond(page))
}

/// `2027-01-31` as the last instant of that day in `zone` (RFC 3339); empty is never.
fn end_of_day(typed: &str, zone: &jiff::tz::TimeZone) -> Result<Option<String>, ApiError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let refused = || {
        ApiError::invalid(
            tessera_api::ErrorCode::InvalidTimestamp,
            "expires_at",
            "the expiry is a date such as 2027-01-31",
        )
    };
    let date: jiff::civil::Date = typed.parse().map_err(|_| refused())?;
    let end = date
        .to_datetime(jiff::civil::time(23, 59, 59, 0))
        .to_zoned(zone.clone())
        .map_err(|_| refused())?;
    Ok(Some(end.timestamp().to_string()))
}
