//! Mail waiting to be sent (I3). Mail is queued in the same transaction as the change it
//! reports, so nothing accepted is lost; the sender (a later job) marks it sent.

use jiff::Timestamp;

use crate::{Result, Store, from_micros};

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
        let rows = on_db!(self, read, db => {
            sqlx::query_as::<_, OutboxRow>(
                "SELECT id, kind, to_addr, subject, body, created_at, sent_at FROM outbox \
                 WHERE to_addr = $1 ORDER BY id",
            )
            .bind(to)
            .fetch_all(db)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(OutboxRecord {
                    id: r.id,
                    kind: r.kind,
                    to: r.to_addr,
                    subject: r.subject,
                    body: r.body,
                    created_at: from_micros(r.created_at)?,
                    sent_at: r.sent_at.map(from_micros).transpose()?,
                })
            })
            .collect()
    }
}
