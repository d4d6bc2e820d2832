//! The money commands: an order paid (and paid twice) by the provider's signed callback, its
//! invoice listed, shown and written as a page, the payment that could not be applied, the
//! subscription listed and its state set; then a month of a monthly service billed.

use std::path::Path;

use jiff::Timestamp;
use tessera_api::{
    Billing, Invoice, InvoiceLines, InvoiceList, NewOrder, Order, OrderList, PaymentCallback,
    Subscription, SubscriptionList, UnappliedPayments,
};
use tessera_core::Clock;
use tessera_testkit::{ADMIN_PASSWORD, BlockingApp, cloud};

use super::{Cli, assert_row};

/// The account the testkit's `cloud::customer` registers (`ib50`), with its two sites.
pub(crate) struct Customer {
    pub(crate) token: String,
    pub(crate) id: i64,
    pub(crate) sites: Vec<String>,
}

fn new_order(sites: u32) -> NewOrder {
    NewOrder {
        plan: "cloud-s10".into(),
        sites,
        keep: None,
        billing: Billing {
            company: "Rossi Trasporti S.r.l.".into(),
            street: "Via Emilia 4".into(),
            place: "Milano".into(),
            postal_code: "20121".into(),
            region: None,
            country: "IT".into(),
            phone: None,
            invoice_email: "invoices@rossi.example".into(),
            e_invoice_consent: true,
            b2b: true,
            vat_number: Some("IT01234567897".into()),
        },
        terms_accepted: true,
    }
}

/// The payment provider confirms `payment_id` for `order` in full, signed now.
fn pay(app: &BlockingApp, order: &Order, payment_id: &str) -> u16 {
    let body = PaymentCallback {
        payment_id: payment_id.into(),
        order_id: order.order_id.clone(),
        amount: order.summary.total,
        currency: order.summary.currency.clone(),
    };
    let raw = serde_json::to_vec(&body).unwrap();
    let signature =
        tessera_core::payment::sign(cloud::SECRET.as_bytes(), app.clock.now().as_second(), &raw);
    let sent = app
        .http
        .post(format!("{}/api/v1/payments/callback", app.base))
        .header("content-type", "application/json")
        .header("tessera-signature", signature)
        .body(raw)
        .send();
    app.block_on(sent).unwrap().status().as_u16()
}

pub(super) fn commands(app: &BlockingApp, cli: &Cli, customer: &Customer, dir: &Path) {
    let account = customer.id.to_string();
    let order = app
        .block_on(
            app.api_as(Some(&customer.token))
                .create_order(&new_order(1)),
        )
        .unwrap();
    assert_eq!(pay(app, &order, "P1"), 200);
    assert_eq!(pay(app, &order, "P2"), 409, "paid twice: unapplied");

    // Invoices: 300.00 and Italian VAT.
    let number = "2026-000001";
    cli.row(
        &["invoices", "list", "--account", &account],
        &[number, &account, &order.order_id, "366.00 EUR"],
    );
    let others: InvoiceList = cli.json(&["invoices", "list", "--account", "999999"]);
    assert!(others.invoices.is_empty());
    let page = dir.join("invoice.html");
    let shown: Invoice = cli.json(&["invoices", "show", number, "--html", page.to_str().unwrap()]);
    assert_eq!((shown.total, shown.account_id), (36_600, customer.id));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("Invoice 2026-000001") && html.contains("366.00 EUR"));
    cli.refused(
        &["invoices", "show", "2026-999999"],
        "404 INVOICE_NOT_FOUND",
    );

    // The second payment waits for a refund.
    cli.row(
        &["payments", "unapplied"],
        &["P2", &order.order_id, "366.00 EUR", "ORDER_ALREADY_PAID"],
    );
    let unapplied: UnappliedPayments = cli.json(&["payments", "unapplied"]);
    assert_eq!(unapplied.payments.len(), 1);

    // Every account's orders, with whose each is.
    cli.row(
        &["orders", "list"],
        &[&order.order_id, &account, "purchase", "paid"],
    );
    let orders: OrderList = cli.json(&["orders", "list", "--limit", "1"]);
    assert_eq!(orders.orders[0].order_id, order.order_id);
    cli.refused(&["orders", "list", "--limit", "0"], "422 INVALID_LIMIT");
    cli.with_token("not a session")
        .refused(&["payments", "unapplied"], "401 UNAUTHENTICATED");

    // The subscription the payment made, listed and set to each state and back.
    let subs: SubscriptionList = cli.json(&["subscriptions", "list", "--account", &account]);
    let [sub] = &subs.subscriptions[..] else {
        panic!("one subscription: {:?}", subs.subscriptions)
    };
    assert_eq!((sub.state.as_str(), sub.seats), ("active", 1));
    let id = sub.id.to_string();
    cli.row(
        &["subscriptions", "list", "--state", "active"],
        &[&id, &account, "cloud", "cloud-s10", "active"],
    );
    let blocked: SubscriptionList = cli.json(&["subscriptions", "list", "--state", "blocked"]);
    assert!(blocked.subscriptions.is_empty());
    let err = cli.fails(&["subscriptions", "list", "--state", "frozen"]);
    assert!(err.contains("--state 'frozen' is none of"), "{err}");
    cli.row(
        &[
            "subscriptions",
            "set-state",
            &id,
            "blocked",
            "--note",
            "Invoice unpaid",
        ],
        &[&id, "blocked"],
    );
    let noted: SubscriptionList = cli.json(&["subscriptions", "list", "--state", "blocked"]);
    assert_eq!(
        noted.subscriptions[0].note.as_deref(),
        Some("Invoice unpaid")
    );
    let resumed: Subscription = cli.json(&["subscriptions", "set-state", &id, "active"]);
    assert_eq!(resumed.state, "active");
    cli.refused(
        &["subscriptions", "set-state", &id, "frozen"],
        "422 STATE_INVALID",
    );
    cli.refused(
        &["subscriptions", "set-state", "999999", "blocked"],
        "404 SUBSCRIPTION_NOT_FOUND",
    );

    // A monthly service on at the first site, billed when the month is over.
    app.block_on(
        app.api_as(Some(&customer.token))
            .switch_service_on(&customer.sites[0], "support247"),
    )
    .unwrap();
}

/// The clock moved to 1 December: November's line of the service, and its invoice. The
/// operator's session has expired by then; the returned CLI signs in anew with `login`.
pub(super) fn monthly_lines(app: &BlockingApp, cli: &Cli, customer: &Customer) -> Cli {
    let at: Timestamp = "2026-12-01T03:00:00Z".parse().unwrap();
    app.clock.advance(at.duration_since(app.clock.now()));
    app.block_on(app.run_jobs());
    let login = cli.ok(&["login", "--password", ADMIN_PASSWORD]);
    let token = login
        .trim()
        .strip_prefix("export TESSERA_TOKEN=")
        .expect("export line");
    let cli = cli.with_token(token);

    let account = customer.id.to_string();
    cli.row(
        &["invoice-lines", "--account", &account, "--month", "2026-11"],
        &[
            &account,
            &customer.sites[0],
            "support247",
            "2026-11",
            "49.00 EUR",
        ],
    );
    let lines: InvoiceLines = cli.json(&["invoice-lines", "--month", "2026-11"]);
    assert_eq!(lines.lines.len(), 1);
    let october: InvoiceLines = cli.json(&["invoice-lines", "--month", "2026-10"]);
    assert!(october.lines.is_empty());
    cli.refused(
        &["invoice-lines", "--month", "2026-13"],
        "422 INVALID_QUERY",
    );
    let invoices = cli.ok(&["invoices", "list"]);
    assert_row(&invoices, &["2026-000002", &account, "59.78 EUR"]);
    cli
}
