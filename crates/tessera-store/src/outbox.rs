//! Mail waiting to be sent (I3). Mail is queued in the same transaction as the change it
//! reports, so nothing accepted is lost. The sender claims one message at a time for a short
//! lease, sends it, and marks it sent, or schedules its retry, or marks it failed for good.

use jiff::Timestamp;

use crate::{Result, Store, from_micros, to_micros};

/// One message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// What it is about (`account.registered`, `password.reset`).
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A queued message as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: i64,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub body: String,
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
struct OutboxRow {
    id: i64,
    kind: String,
    to_addr: String,
    subject: String,
    body: String,
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
            created_at: from_micros(r.created_at)?,
            sent_at: r.sent_at.map(from_micros).transpose()?,
            attempts: u32::try_from(r.attempts).unwrap_or(u32::MAX),
            next_attempt_at: from_micros(r.next_attempt_at)?,
            last_error: r.last_error,
            failed_at: r.failed_at.map(from_micros).transpose()?,
        })
    }
}

const OUTBOX_COLUMNS: &str = "id, kind, to_addr, subject, body, created_at, sent_at, attempts, \
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
    fn condition(self) -> &'static str {
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

/// Queues `$mail` inside the caller's transaction.
macro_rules! enqueue_mail {
    ($tx:expr, $now:expr, $mail:expr) => {{
        let mail: &crate::outbox::Mail = $mail;
        sqlx::query(
            "INSERT INTO outbox (kind, to_addr, subject, body, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(mail.kind)
        .bind(&mail.to)
        .bind(&mail.subject)
        .bind(&mail.body)
        .bind(crate::to_micros($now))
        .execute(&mut *$tx)
        .await?
    }};
}
pub(crate) use enqueue_mail;

impl Store {
    /// Queued and sent mail to `to`, oldest first.
    pub async fn mail_to(&self, to: &str) -> Result<Vec<OutboxRecord>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE to_addr = $1 ORDER BY id");
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, OutboxRow>(&sql).bind(to).fetch_all(db).await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Messages due for an attempt at `now` (not sent, not failed, retry time reached, not
    /// held by a sender), oldest first.
    pub async fn due_mail(&self, now: Timestamp, limit: u32) -> Result<Vec<OutboxRecord>> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox \
             WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
               AND (claimed_until IS NULL OR claimed_until <= $1) \
             ORDER BY id LIMIT $2"
        );
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, OutboxRow>(&sql)
                .bind(to_micros(now))
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// Takes message `id` for sending until `until`. False when it was sent, failed, or is
    /// held by another sender: the caller must not send it.
    pub async fn claim_mail(&self, id: i64, now: Timestamp, until: Timestamp) -> Result<bool> {
        let updated = on_db!(self, write, db => {
            sqlx::query(
                "UPDATE outbox SET claimed_until = $1 \
                 WHERE id = $2 AND sent_at IS NULL AND failed_at IS NULL \
                   AND (claimed_until IS NULL OR claimed_until <= $3)",
            )
            .bind(to_micros(until))
            .bind(id)
            .bind(to_micros(now))
            .execute(db)
            .await?
            .rows_affected()
        });
        Ok(updated == 1)
    }

    /// Records the outcome of an attempt on a claimed message and releases the claim.
    pub async fn record_delivery(&self, id: i64, now: Timestamp, outcome: &Delivery) -> Result<()> {
        let (sent, failed, error, next) = match outcome {
            Delivery::Sent => (Some(to_micros(now)), None, None, None),
            Delivery::Deferred { error, retry_at } => {
                (None, None, Some(error.as_str()), Some(to_micros(*retry_at)))
            }
            Delivery::Failed { error } => (None, Some(to_micros(now)), Some(error.as_str()), None),
        };
        on_db!(self, write, db => {
            sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, claimed_until = NULL, \
                   sent_at = COALESCE($1, sent_at), failed_at = $2, \
                   last_error = COALESCE($3, last_error), \
                   next_attempt_at = COALESCE($4, next_attempt_at) \
                 WHERE id = $5",
            )
            .bind(sent)
            .bind(failed)
            .bind(error)
            .bind(next)
            .bind(id)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// The outbox for operators, newest first, `after` an id (keyset paging).
    pub async fn outbox(
        &self,
        filter: OutboxFilter,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<OutboxRecord>> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE {} AND ($1 IS NULL OR id < $1) \
             ORDER BY id DESC LIMIT $2",
            filter.condition()
        );
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, OutboxRow>(&sql)
                .bind(before)
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
        });
        rows.into_iter().map(TryFrom::try_from).collect()
    }

    /// How many messages are queued, sent and failed.
    pub async fn outbox_counts(&self) -> Result<(u64, u64, u64)> {
        let (queued, sent, failed): (i64, i64, i64) = on_db!(self, read, db => {
            sqlx::query_as(
                "SELECT \
                   COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0), \
                   COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
                   COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
                 FROM outbox",
            )
            .fetch_one(db)
            .await?
        });
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok((n(queued), n(sent), n(failed)))
    }
}
