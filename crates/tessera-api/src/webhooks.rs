//! Webhooks (X7): endpoints operators register and the deliveries made to them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An endpoint to register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewWebhook {
    /// `https://…` (plain http only to loopback, when the server allows it).
    #[schema(example = "https://erp.vendor.example/tessera-events")]
    pub url: String,
    /// Event names (docs/webhooks.md), or `*` for every event.
    #[schema(example = json!(["site.activated", "order.paid"]))]
    pub events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: String,
    /// The signing secret: in the answer to the registration only, never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookList {
    pub webhooks: Vec<Webhook>,
}

/// One delivery of an event to an endpoint, and how its attempts went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookDelivery {
    pub id: i64,
    pub endpoint_id: i64,
    /// The event's id: the same in every delivery of it, for the receiver to drop repeats.
    pub event_id: i64,
    pub event: String,
    /// `type:id` of what the event is about; a subject's events are delivered in order.
    pub subject: String,
    /// `pending`, `delivered` or `failed` (given up after 72 hours; can be sent again).
    pub state: String,
    pub attempts: u32,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<String>,
    pub next_attempt_at: String,
    pub delivered_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveryList {
    pub deliveries: Vec<WebhookDelivery>,
}
