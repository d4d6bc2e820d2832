//! Webhooks (X7) in the console, at parity with `tessera webhooks`: the endpoints with the
//! events each wants, one registered (its signing secret shown on the answer page, this
//! once) or deleted; an endpoint's latest deliveries with their attempts, and one sent
//! again. The use cases of the operator JSON routes (`tessera_server::webhooks`), unchanged.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use tessera_api::{NewWebhook, Webhook, WebhookDelivery};
use tessera_core::webhook::EVENTS;
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::webhooks;

use crate::error::FormRefusal;
use crate::form::{Field, Kind};
use crate::i18n::Tr;
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery, when};

const PATH: &str = "/operator/webhooks";

/// One event's box on the registration form.
pub struct EventBox {
    pub name: &'static str,
    pub checked: bool,
}

/// One endpoint in the list.
pub struct EndpointRow {
    pub id: i64,
    pub url: String,
    pub events: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "operator/webhooks.html")]
struct WebhooksPage {
    chrome: Chrome,
    notice: Option<String>,
    /// The endpoint just registered and its secret, shown this once.
    created: Option<(String, String)>,
    endpoints: Vec<EndpointRow>,
    url: Field,
    every: bool,
    events: Vec<EventBox>,
    events_error: Option<String>,
    error: Option<String>,
}

/// One delivery in an endpoint's list.
pub struct DeliveryRow {
    pub delivery: WebhookDelivery,
    pub last_attempt: String,
    pub next_attempt: String,
    pub delivered: String,
}

#[derive(Template)]
#[template(path = "operator/webhook.html")]
struct WebhookPage {
    chrome: Chrome,
    notice: Option<String>,
    endpoint: EndpointRow,
    deliveries: Vec<DeliveryRow>,
    max: u32,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NewEndpointPost {
    url: String,
    events: Vec<String>,
}

/// `GET /operator/webhooks`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let notice = (q.done == "deleted").then(|| ctx.tr.t("op-webhooks-done-deleted"));
    let page = list_page(&state, &ctx, &op, notice, None, None).await?;
    Ok(Html(page))
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    notice: Option<String>,
    created: Option<Webhook>,
    typed: Option<(NewEndpointPost, FormRefusal)>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let endpoints = webhooks::list(state)
        .await?
        .into_iter()
        .map(|w| row(tr, w, &state.zone))
        .collect();
    let (post, refusal) = match typed {
        Some((p, r)) => (p, Some(r)),
        None => (NewEndpointPost::default(), None),
    };
    let mut fields = vec![
        Field::new(tr, "url", "op-webhooks-url", Kind::Text)
            .required()
            .auto("off")
            .hint(tr, "op-webhooks-url-hint")
            .with_value(post.url),
    ];
    let (mut events_error, mut error) = (None, None);
    if let Some(refusal) = refusal {
        if refusal.field.as_deref() == Some("events") {
            events_error = Some(refusal.message);
        } else {
            error = at_field(&mut fields, refusal);
        }
    }
    let [url] = <[Field; 1]>::try_from(fields).expect("one field");
    let page = WebhooksPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        created: created.map(|w| (w.url, w.secret.unwrap_or_default())),
        endpoints,
        url,
        every: post.events.iter().any(|e| e == "*"),
        events: EVENTS
            .iter()
            .map(|name| EventBox {
                name,
                checked: post.events.iter().any(|e| e == name),
            })
            .collect(),
        events_error,
        error,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

fn row(tr: Tr, w: Webhook, zone: &jiff::tz::TimeZone) -> EndpointRow {
    EndpointRow {
        events: if w.events.iter().any(|e| e == "*") {
            tr.t("op-webhooks-every-event")
        } else {
            w.events.join(", ")
        },
        created: when(Some(&w.created_at), zone).unwrap_or_default(),
        id: w.id,
        url: w.url,
    }
}

/// `POST /operator/webhooks`: registered, the answer page shows its secret this once (a
/// redirect would have to carry it in an address); refused, the form again with what was
/// typed and the reason at its field.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Form(post): Form<NewEndpointPost>,
) -> Result<Response, ApiError> {
    let req = NewWebhook {
        url: post.url.clone(),
        events: post.events.clone(),
    };
    match webhooks::create(&state, &op, &req).await {
        Ok(created) => {
            let notice = Some(ctx.tr.t("op-webhooks-done-created"));
            let page = list_page(&state, &ctx, &op, notice, Some(created), None).await?;
            // The secret is on this page only: not kept by any cache on the way.
            Ok((
                [(axum::http::header::CACHE_CONTROL, "no-store")],
                Html(page),
            )
                .into_response())
        }
        Err(e) => {
            let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
                return Err(e);
            };
            let html =
                list_page(&state, &ctx, &op, None, None, Some((post, refusal.clone()))).await?;
            Ok(refusal.respond(html))
        }
    }
}

/// `GET /operator/webhooks/{id}`: the endpoint and its latest deliveries.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let tr = ctx.tr;
    let zone = &state.zone;
    let endpoint = webhooks::get(&state, id).await?;
    let deliveries = webhooks::deliveries(&state, id)
        .await?
        .into_iter()
        .map(|d| DeliveryRow {
            last_attempt: when(d.last_attempt_at.as_deref(), zone).unwrap_or_default(),
            next_attempt: when(Some(&d.next_attempt_at), zone).unwrap_or_default(),
            delivered: when(d.delivered_at.as_deref(), zone).unwrap_or_default(),
            delivery: d,
        })
        .collect();
    let page = WebhookPage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        notice: (q.done == "replayed").then(|| tr.t("op-webhooks-done-replayed")),
        endpoint: row(tr, endpoint, zone),
        deliveries,
        max: webhooks::MAX_LISTED,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// `POST /operator/webhooks/{id}/delete`: gone, with its deliveries not made yet.
pub async fn delete(
    State(state): State<AppState>,
    op: Operator,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    webhooks::delete(&state, &op, id).await?;
    Ok(Redirect::to(&format!("{PATH}?done=deleted")).into_response())
}

/// `POST /operator/webhook-deliveries/{id}/replay`: due now, back to its endpoint.
pub async fn replay(
    State(state): State<AppState>,
    op: Operator,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let d = webhooks::replay(&state, &op, id).await?;
    Ok(Redirect::to(&format!("{PATH}/{}?done=replayed", d.endpoint_id)).into_response())
}
