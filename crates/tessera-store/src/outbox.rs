//! Mail waiting to be sent (I3). Mail is queued in the same transaction as the change it
//! reports, so nothing accepted is lost. A message is kept as its template's key, language
//! and context (what `mails.rs` makes of the change) and rendered when it is sent, so no
//! template runs inside a change's transaction. The sender claims one message at a time for
//! a short lease, sends it, and marks it sent, or schedules its retry, or marks it failed
//! for good.

use std::fmt;

use jiff::Timestamp;
use tessera_core::Language;

use crate::{Result, Store, from_micros, to_micros};

/// One message to queue, to be rendered when it is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    /// The template, and what the mail is about (`account.registered`, `password.reset`).
    pub kind: &'static str,
    pub language: Language,
    pub to: String,
    /// The names the template uses.
    pub context: serde_json::Value,
}

impl fmt::Debug for Mail {
    /// Without the context: it may hold a password-reset code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mail")
            .field("kind", &self.kind)
            .field("language", &self.language)
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

/// What a queued message is rendered from when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub language: Language,
    /// The names the template uses, JSON as stored (checked when it is rendered).
    pub context: String,
}

/// A queued message as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: i64,
    /// The template, and what the mail is about.
    pub kind: String,
    pub to: String,
    /// Empty while `template` is Some: the server renders the text (`Templates::message`).
    pub subject: String,
    pub body: String,
    /// What the message is rendered from; None for mail queued with its text (before
    /// migration 0012), which is sent as stored.
    pub template: Option<Template>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// Delivery attempts made so far.
    pub attempts: u32,
    /// Not tried again before this instant.
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    /// The mail server refused it for good; not retried.
    pub failed_at: Option<Timestamp>,
}

impl OutboxRecord {
    /// `sent`, `failed` or `queued`.
    pub fn state(&self) -> &'static str {
        if self.sent_at.is_some() {
            "sent"
        } else if self.failed_at.is_some() {
            "failed"
        } else {
            "queued"
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    id: i64,
    kind: String,
    to_addr: String,
    subject: String,
    body: String,
    language: Option<String>,
    context: Option<String>,
    created_at: i64,
    sent_at: Option<i64>,
    attempts: i64,
    next_attempt_at: i64,
    last_error: Option<String>,
    failed_at: Option<i64>,
}

impl TryFrom<OutboxRow> for OutboxRecord {
    type Error = crate::StoreError;
    fn try_from(r: OutboxRow) -> Result<Self> {
        Ok(OutboxRecord {
            id: r.id,
            kind: r.kind,
            to: r.to_addr,
            subject: r.subject,
            body: r.body,
            template: r.context.map(|context| Template {
                language: Language::from_stored(r.language.as_deref().unwrap_or_default()),
                context,
            }),
            created_at: from_micros(r.created_at)?,
            sent_at: r.sent_at.map(from_micros).transpose()?,
            attempts: u32::try_from(r.attempts).unwrap_or(u32::MAX),
            next_attempt_at: from_micros(r.next_attempt_at)?,
            last_error: r.last_error,
            failed_at: r.failed_at.map(from_micros).transpose()?,
        })
    }
}

pub(crate) const OUTBOX_COLUMNS: &str = "\
    id, kind, to_addr, subject, body, language, context, created_at, sent_at, attempts, \
     next_attempt_at, last_error, failed_at";

/// Which messages an outbox listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxFilter {
    All,
    Queued,
    Sent,
    Failed,
}

impl OutboxFilter {
    pub(crate) fn condition(self) -> &'static str {
        match self {
            OutboxFilter::All => "TRUE",
            OutboxFilter::Queued => "sent_at IS NULL AND failed_at IS NULL",
            OutboxFilter::Sent => "sent_at IS NOT NULL",
            OutboxFilter::Failed => "failed_at IS NOT NULL",
        }
    }
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// Try again from `retry_at`.
    Deferred {
        error: String,
        retry_at: Timestamp,
    },
    /// Refused for good.
    Failed {
        error: String,
    },
}

/// A delivery's outcome as stored (microseconds): sent at, failed at, the error and the next
/// attempt, each but `failed` leaving the stored value as it is when None.
pub(crate) struct DeliveryRow<'a> {
    pub sent: Option<i64>,
    pub failed: Option<i64>,
    pub error: Option<&'a str>,
    pub next: Option<i64>,
}

impl Store {
    /// Queued and sent mail to `to`, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn mail_to(&self, to: &str) -> Result<Vec<OutboxRecord>> {
        let rows = on_backend!(self, |db| sql::outbox::mail_to(db, to))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Messages due for an attempt at `now` (not sent, not failed, retry time reached, not
    /// held by a sender), oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(limit = limit))]
    pub async fn due_mail(&self, now: Timestamp, limit: u32) -> Result<Vec<OutboxRecord>> {
        let rows = on_backend!(self, |db| sql::outbox::due_mail(db, now, limit))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Makes every queued message that waits for a retry due at `now` (an operator runs the
    /// mail job after fixing the mail server); how many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn retry_mail_now(&self, now: Timestamp) -> Result<u64> {
        on_backend!(self, |db| sql::outbox::retry_mail_now(db, now))
    }

    /// Takes message `id` for sending until `until`. False when it was sent, failed, or is
    /// held by another sender: the caller must not send it.
    #[tracing::instrument(level = "debug", skip_all, fields(id = id))]
    pub async fn claim_mail(&self, id: i64, now: Timestamp, until: Timestamp) -> Result<bool> {
        let updated = on_backend!(self, |db| sql::outbox::claim_mail(db, id, now, until))?;
        Ok(updated == 1)
    }

    /// Records the outcome of an attempt on a claimed message and releases the claim.
    #[tracing::instrument(level = "debug", skip_all, fields(id = id))]
    pub async fn record_delivery(&self, id: i64, now: Timestamp, outcome: &Delivery) -> Result<()> {
        let (sent, failed, error, next) = match outcome {
            Delivery::Sent => (Some(to_micros(now)), None, None, None),
            Delivery::Deferred { error, retry_at } => {
                (None, None, Some(error.as_str()), Some(to_micros(*retry_at)))
            }
            Delivery::Failed { error } => (None, Some(to_micros(now)), Some(error.as_str()), None),
        };
        let row = DeliveryRow {
            sent,
            failed,
            error,
            next,
        };
        on_backend!(self, |db| sql::outbox::record_delivery(db, id, &row))
    }

    /// The outbox for operators, newest first, `after` an id (keyset paging).
    #[tracing::instrument(
        level = "debug",
        skip_all,
        fields(?filter, before = before, limit = limit)
    )]
    pub async fn outbox(
        &self,
        filter: OutboxFilter,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<OutboxRecord>> {
        let rows = on_backend!(self, |db| sql::outbox::outbox(db, filter, before, limit))?;
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// How many messages are queued, sent and failed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn outbox_counts(&self) -> Result<(u64, u64, u64)> {
        let (queued, sent, failed) = on_backend!(self, |db| sql::outbox::outbox_counts(db))?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok((n(queued), n(sent), n(failed)))
    }
}
