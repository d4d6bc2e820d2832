//! `tessera webhooks`: endpoints for business events, their deliveries, one sent again (X7).

use clap::Subcommand;
use tessera_api::{NewWebhook, Webhook, WebhookDelivery, WebhookDeliveryList, WebhookList};

use super::output::{emit, record, table};
use super::{Client, Server};

#[derive(Subcommand)]
pub enum WebhooksCommand {
    /// List the endpoints.
    List(Server),
    /// Register an endpoint; prints its signing secret, shown this once.
    Add {
        #[command(flatten)]
        server: Server,
        /// https://… (docs/webhooks.md)
        #[arg(long)]
        url: String,
        /// An event name, or * for every event; repeat for more.
        #[arg(long = "event", required = true)]
        events: Vec<String>,
    },
    /// Delete an endpoint; its deliveries not made yet are given up.
    Delete {
        #[command(flatten)]
        server: Server,
        id: i64,
    },
    /// An endpoint's latest deliveries with their last answer.
    Deliveries {
        #[command(flatten)]
        server: Server,
        id: i64,
    },
    /// Send a delivery again.
    Replay {
        #[command(flatten)]
        server: Server,
        delivery: i64,
    },
}

fn delivery_row(d: &WebhookDelivery) -> [String; 7] {
    [
        d.id.to_string(),
        d.event_id.to_string(),
        d.event.clone(),
        d.subject.clone(),
        d.state.clone(),
        d.attempts.to_string(),
        match (&d.last_status, &d.last_error) {
            (_, Some(e)) => e.clone(),
            (Some(s), None) => s.to_string(),
            (None, None) => String::new(),
        },
    ]
}

const DELIVERY_HEAD: [&str; 7] = [
    "id",
    "event id",
    "event",
    "subject",
    "state",
    "attempts",
    "last answer",
];

pub fn webhooks(command: WebhooksCommand) -> anyhow::Result<()> {
    match command {
        WebhooksCommand::List(server) => {
            let list: WebhookList = Client::new(&server)
                .authed("GET /api/v1/webhooks", async |api| api.webhooks().await)?;
            emit(&server, &list, |l| {
                let mut t = table(["id", "url", "events", "created"]);
                for w in &l.webhooks {
                    t.add_row([
                        w.id.to_string(),
                        w.url.clone(),
                        w.events.join(", "),
                        w.created_at.clone(),
                    ]);
                }
                t
            })
        }
        WebhooksCommand::Add {
            server,
            url,
            events,
        } => {
            let body = NewWebhook { url, events };
            let created: Webhook = Client::new(&server)
                .authed("POST /api/v1/webhooks", async |api| {
                    api.create_webhook(&body).await
                })?;
            emit(&server, &created, |w| {
                record([
                    ("id", w.id.to_string()),
                    ("url", w.url.clone()),
                    ("events", w.events.join(", ")),
                    (
                        "secret",
                        format!(
                            "{} (shown this once: give it to the receiver)",
                            w.secret.clone().unwrap_or_default()
                        ),
                    ),
                ])
            })
        }
        WebhooksCommand::Delete { server, id } => {
            Client::new(&server).authed("DELETE /api/v1/webhooks/{id}", async |api| {
                api.delete_webhook(id).await
            })?;
            println!("endpoint {id} deleted");
            Ok(())
        }
        WebhooksCommand::Deliveries { server, id } => {
            let list: WebhookDeliveryList = Client::new(&server)
                .authed("GET /api/v1/webhooks/{id}/deliveries", async |api| {
                    api.webhook_deliveries(id).await
                })?;
            emit(&server, &list, |l| {
                let mut t = table(DELIVERY_HEAD);
                for d in &l.deliveries {
                    t.add_row(delivery_row(d));
                }
                t
            })
        }
        WebhooksCommand::Replay { server, delivery } => {
            let d: WebhookDelivery = Client::new(&server)
                .authed("POST /api/v1/webhook-deliveries/{id}/replay", async |api| {
                    api.replay_webhook_delivery(delivery).await
                })?;
            emit(&server, &d, |d| {
                let mut t = table(DELIVERY_HEAD);
                t.add_row(delivery_row(d));
                t
            })
        }
    }
}
