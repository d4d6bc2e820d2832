//! The mail outbox (I3) in the console, linked from the dashboard's outbox card: every mail
//! newest first, 50 a page, narrowed by state (queued, sent, failed), each with its
//! attempts, next try and last error; never a mail's body (it may hold a site's codes). The
//! use case of `GET /api/v1/outbox` (`tessera outbox list`).

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;
use tessera_api::{OutboxCounts, OutboxMessage};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::operations;

use crate::pages::operations::PAGE_SIZE;
use crate::view::{Chrome, Ctx, labelled, when};

const PATH: &str = "/operator/outbox";

pub struct MailRow {
    pub mail: OutboxMessage,
    pub state_label: String,
    pub created: String,
    /// Sent at, failed at, or the next try, by state.
    pub when: String,
}

#[derive(Template)]
#[template(path = "operator/outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    state: String,
    /// (value, label) of the state filter.
    states: Vec<(&'static str, String)>,
    counts: OutboxCounts,
    smtp_configured: bool,
    mails: Vec<MailRow>,
    older: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct OutboxQuery {
    state: String,
    before: Option<i64>,
}

/// `GET /operator/outbox?state=failed`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> Result<Html<String>, ApiError> {
    let tr = ctx.tr;
    let zone = &state.zone;
    let filter = Some(q.state.trim()).filter(|s| !s.is_empty());
    let page = operations::outbox(&state, &op, filter, q.before, Some(PAGE_SIZE)).await?;
    let older = page.next_before.map(|b| match filter {
        Some(s) => format!("{PATH}?state={s}&before={b}"),
        None => format!("{PATH}?before={b}"),
    });
    let view = OutboxPage {
        chrome: Chrome::operator(&ctx, &op, PATH),
        states: labelled(tr, "op-outbox-state", ["queued", "sent", "failed"]),
        state: q.state,
        counts: page.counts,
        smtp_configured: page.smtp_configured,
        mails: page
            .messages
            .into_iter()
            .map(|m| MailRow {
                state_label: tr.t(&format!("op-outbox-state-{}", m.state)),
                created: when(Some(&m.created_at), zone).unwrap_or_default(),
                when: match m.state.as_str() {
                    "sent" => when(m.sent_at.as_deref(), zone),
                    "failed" => when(m.failed_at.as_deref(), zone),
                    _ => when(m.next_attempt_at.as_deref(), zone)
                        .map(|t| tr.with("op-outbox-next", &[("at", t.as_str())])),
                }
                .unwrap_or_default(),
                mail: m,
            })
            .collect(),
        older,
    };
    Ok(Html(view.render().map_err(anyhow::Error::from)?))
}
