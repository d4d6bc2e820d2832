//! The outbox's SQL: queueing mail inside a change's transaction, and the sender's claims.

use jiff::Timestamp;
use tessera_core::Language;

use super::{Conn, Pools};
use crate::mails::Recipient;
use crate::outbox::{DeliveryRow, Mail, OUTBOX_COLUMNS, OutboxFilter, OutboxRow};
use crate::{Result, StoreError, to_micros};

/// Queues `mail` inside the caller's transaction: its template's key, language and context
/// (the text is rendered when it is sent).
pub(crate) async fn enqueue_mail(conn: &mut Conn, now: Timestamp, mail: &Mail) -> Result<()> {
    enqueue_mails(conn, now, std::slice::from_ref(mail)).await
}

/// [`enqueue_mail`] for several mails, one statement for up to 200 of them.
pub(crate) async fn enqueue_mails(conn: &mut Conn, now: Timestamp, mails: &[Mail]) -> Result<()> {
    for chunk in mails.chunks(200) {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO outbox (kind, to_addr, subject, body, language, context, created_at) ",
        );
        q.push_values(chunk, |mut row, mail| {
            row.push_bind(mail.kind)
                .push_bind(mail.to.as_str())
                .push_bind("")
                .push_bind("")
                .push_bind(mail.language.code())
                .push_bind(mail.context.to_string())
                .push_bind(to_micros(now));
        });
        // One mail, the usual case, is always the same text: kept prepared.
        q.build()
            .persistent(chunk.len() == 1)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Whom mail about account `account_id` goes to, read inside the caller's transaction.
pub(crate) async fn recipient(conn: &mut Conn, account_id: i64) -> Result<Recipient> {
    let (username, email, language): (String, String, String) =
        sqlx::query_as("SELECT username, email, language FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(conn)
            .await?
            .ok_or(StoreError::NotFound("account"))?;
    Ok(Recipient {
        username,
        email,
        language: Language::from_stored(&language),
    })
}

pub(crate) async fn mail_to(db: &Pools, to: &str) -> Result<Vec<OutboxRow>> {
    let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE to_addr = $1 ORDER BY id");
    Ok(sqlx::query_as::<_, OutboxRow>(&sql)
        .bind(to)
        .fetch_all(db.read())
        .await?)
}

pub(crate) async fn due_mail(db: &Pools, now: Timestamp, limit: u32) -> Result<Vec<OutboxRow>> {
    let sql = format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
           AND (claimed_until IS NULL OR claimed_until <= $1) \
         ORDER BY id LIMIT $2"
    );
    Ok(sqlx::query_as::<_, OutboxRow>(&sql)
        .bind(to_micros(now))
        .bind(i64::from(limit))
        .fetch_all(db.read())
        .await?)
}

/// Queued messages waiting for a retry made due at `now`; how many.
pub(crate) async fn retry_mail_now(db: &Pools, now: Timestamp) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1 \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at > $1",
    )
    .bind(to_micros(now))
    .execute(&mut *db.write().await?)
    .await?
    .rows_affected())
}

/// Rows changed: 1 when the claim was taken.
pub(crate) async fn claim_mail(
    db: &Pools,
    id: i64,
    now: Timestamp,
    until: Timestamp,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE outbox SET claimed_until = $1 \
         WHERE id = $2 AND sent_at IS NULL AND failed_at IS NULL \
           AND (claimed_until IS NULL OR claimed_until <= $3)",
    )
    .bind(to_micros(until))
    .bind(id)
    .bind(to_micros(now))
    .execute(&mut *db.write().await?)
    .await?
    .rows_affected())
}

pub(crate) async fn record_delivery(db: &Pools, id: i64, o: &DeliveryRow<'_>) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, claimed_until = NULL, \
           sent_at = COALESCE($1, sent_at), failed_at = $2, \
           last_error = COALESCE($3, last_error), \
           next_attempt_at = COALESCE($4, next_attempt_at) \
         WHERE id = $5",
    )
    .bind(o.sent)
    .bind(o.failed)
    .bind(o.error)
    .bind(o.next)
    .bind(id)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

pub(crate) async fn outbox(
    db: &Pools,
    filter: OutboxFilter,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<OutboxRow>> {
    let sql = format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE {} AND ($1 IS NULL OR id < $1) \
         ORDER BY id DESC LIMIT $2",
        filter.condition()
    );
    Ok(sqlx::query_as::<_, OutboxRow>(&sql)
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(db.read())
        .await?)
}

/// Queued, sent, failed.
pub(crate) async fn outbox_counts(db: &Pools) -> Result<(i64, i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT \
           COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
         FROM outbox",
    )
    .fetch_one(db.read())
    .await?)
}
