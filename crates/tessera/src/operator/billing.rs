//! The money side: `tessera subscriptions`, `tessera payments`, `tessera invoices` and
//! `tessera invoice-lines` (the monthly services' billing).

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use comfy_table::Table;
use tessera_api::{
    Invoice, InvoiceLines, InvoiceList, OrderList, SetSubscriptionState, Subscription,
    SubscriptionList, UnappliedPayments,
};

use super::output::{Query, emit, money, opt, table};
use super::{Client, Server};

/// The states a subscription is listed in (`Subscription::state`).
const STATES: [&str; 6] = [
    "trialing",
    "active",
    "expired",
    "maintenance",
    "blocked",
    "deleted",
];

#[derive(Subcommand)]
pub enum SubscriptionsCommand {
    /// List subscriptions, of one account or all, in one state or all.
    List {
        #[command(flatten)]
        server: Server,
        #[arg(long)]
        account: Option<i64>,
        /// trialing, active, expired, maintenance, blocked or deleted.
        #[arg(long)]
        state: Option<String>,
    },
    /// Set a subscription to maintenance, blocked or deleted (final: its sites are
    /// released), or back to active.
    SetState {
        #[command(flatten)]
        server: Server,
        id: i64,
        state: String,
        /// Why, for the customer to read beside the state (at most 500 characters).
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum OrdersCommand {
    /// Every account's orders, newest first, a page at a time.
    List {
        #[command(flatten)]
        server: Server,
        /// Orders placed before this cursor (the `next_before` of the page before).
        #[arg(long)]
        before: Option<i64>,
        /// 1 to 500 (default 100).
        #[arg(long)]
        limit: Option<u32>,
    },
}

pub fn orders(command: OrdersCommand) -> anyhow::Result<()> {
    match command {
        OrdersCommand::List {
            server,
            before,
            limit,
        } => {
            let list: OrderList = Client::new(&server)
                .authed("GET /api/v1/orders", async |api| {
                    api.all_orders(before, limit).await
                })?;
            emit(&server, &list, |list| {
                let mut t = table([
                    "order", "account", "kind", "status", "bundle", "total", "placed",
                ]);
                for o in &list.orders {
                    t.add_row([
                        o.order_id.clone(),
                        o.account_id.to_string(),
                        o.kind.clone(),
                        o.status.clone(),
                        o.summary.bundle.clone(),
                        money(o.summary.total, &o.summary.currency),
                        o.created_at.clone(),
                    ]);
                }
                if let Some(next) = list.next_before {
                    eprintln!("more: --before {next}");
                }
                t
            })
        }
    }
}

#[derive(Subcommand)]
pub enum PaymentsCommand {
    /// Payments the provider confirmed that could not be applied: each waits for a refund
    /// or a manual fix.
    Unapplied(Server),
}

#[derive(Subcommand)]
pub enum InvoicesCommand {
    /// List invoices, newest first, of one account or all.
    List {
        #[command(flatten)]
        server: Server,
        #[arg(long)]
        account: Option<i64>,
    },
    /// Show one invoice; --html writes its printable page (print it to PDF).
    Show {
        #[command(flatten)]
        server: Server,
        number: String,
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
}

pub fn subscriptions(command: SubscriptionsCommand) -> anyhow::Result<()> {
    match command {
        SubscriptionsCommand::List {
            server,
            account,
            state,
        } => {
            // The API filters by account; the state is picked here, from every state the
            // API answers with, so a typo is refused rather than shown as "none".
            if let Some(s) = &state
                && !STATES.contains(&s.as_str())
            {
                bail!("--state '{s}' is none of {}", STATES.join(", "));
            }
            let mut list: SubscriptionList = Client::new(&server)
                .authed("GET /api/v1/subscriptions", async |api| {
                    api.subscriptions_of(account).await
                })?;
            if let Some(s) = &state {
                list.subscriptions.retain(|sub| &sub.state == s);
            }
            emit(&server, &list, |list| {
                subscription_table(&list.subscriptions)
            })
        }
        SubscriptionsCommand::SetState {
            server,
            id,
            state,
            note,
        } => {
            let sub: Subscription = Client::new(&server).authed(
                "POST /api/v1/subscriptions/{id}/state",
                async |api| {
                    api.set_subscription_state(id, &SetSubscriptionState { state, note })
                        .await
                },
            )?;
            emit(&server, &sub, |s| {
                subscription_table(std::slice::from_ref(s))
            })
        }
    }
}

fn subscription_table(subs: &[Subscription]) -> Table {
    let mut t = table([
        "id", "account", "service", "plan", "state", "reason", "seats", "bundle", "starts",
        "expires",
    ]);
    for s in subs {
        t.add_row([
            s.id.to_string(),
            s.account_id.to_string(),
            s.service.clone(),
            s.plan.clone(),
            s.state.clone(),
            opt(&s.reason),
            s.seats.to_string(),
            s.bundle
                .as_ref()
                .map(|b| format!("{}:{}", b.edition, b.size))
                .unwrap_or_default(),
            s.starts_at.clone(),
            s.expires_at.clone(),
        ]);
    }
    t
}

pub fn payments(command: PaymentsCommand) -> anyhow::Result<()> {
    match command {
        PaymentsCommand::Unapplied(server) => {
            let list: UnappliedPayments = Client::new(&server)
                .authed("GET /api/v1/payments/unapplied", async |api| {
                    api.unapplied_payments().await
                })?;
            emit(&server, &list, |list| {
                let mut t = table(["payment", "order", "amount", "reason", "received"]);
                for p in &list.payments {
                    t.add_row([
                        p.payment_id.clone(),
                        p.order_id.clone(),
                        money(p.amount, &p.currency),
                        p.reason.clone(),
                        p.received_at.clone(),
                    ]);
                }
                t
            })
        }
    }
}

pub fn invoices(command: InvoicesCommand) -> anyhow::Result<()> {
    match command {
        InvoicesCommand::List { server, account } => {
            let list: InvoiceList = Client::new(&server)
                .authed("GET /api/v1/invoices", async |api| {
                    api.invoices_of(account).await
                })?;
            emit(&server, &list, |list| invoice_table(&list.invoices))
        }
        InvoicesCommand::Show {
            server,
            number,
            html,
        } => {
            let client = Client::new(&server);
            let number = number.trim().to_owned();
            // The page is the invoice as issued, and the route that says INVOICE_NOT_FOUND;
            // its list entry (there is no JSON route for one invoice) gives the summary.
            let page = client.authed("GET /api/v1/invoices/{number}", async |api| {
                api.invoice_page(&number).await
            })?;
            if let Some(path) = &html {
                std::fs::write(path, &page)
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("Wrote {}", path.display());
            }
            let list: InvoiceList =
                client.authed("GET /api/v1/invoices", async |api| api.invoices().await)?;
            let invoice: Invoice = list
                .invoices
                .into_iter()
                .find(|i| i.number == number)
                .with_context(|| format!("invoice {number} is not in the list of invoices"))?;
            emit(&server, &invoice, |i| {
                invoice_table(std::slice::from_ref(i))
            })
        }
    }
}

fn invoice_table(invoices: &[Invoice]) -> Table {
    let mut t = table(["number", "account", "order", "issued", "total"]);
    for i in invoices {
        t.add_row([
            i.number.clone(),
            i.account_id.to_string(),
            opt(&i.order_id),
            i.issued_at.clone(),
            money(i.total, &i.currency),
        ]);
    }
    t
}

/// `tessera invoice-lines`: what the monthly billing wrote, per site, service and month.
pub fn invoice_lines(
    server: Server,
    account: Option<i64>,
    month: Option<String>,
) -> anyhow::Result<()> {
    let query = Query::default()
        .with("account", account)
        .with("month", month)
        .string();
    let lines: InvoiceLines = Client::new(&server)
        .authed("GET /api/v1/invoice-lines", async |api| {
            api.invoice_lines(&query).await
        })?;
    emit(&server, &lines, |lines| {
        let mut t = table(["account", "site", "service", "month", "amount"]);
        for l in &lines.lines {
            t.add_row([
                l.account_id.to_string(),
                l.site_id.clone(),
                l.service.clone(),
                l.month.clone(),
                money(l.amount, &l.currency),
            ]);
        }
        t
    })
}
