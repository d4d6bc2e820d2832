//! The operations log's SQL.

use jiff::Timestamp;

use super::Pools;
use crate::operations::{NewOperation, OperationFilter, OperationRow};
use crate::{Result, to_micros};

/// Writes the queued operations in one statement.
pub(crate) async fn record_operations(db: &Pools, ops: &[(NewOperation, Timestamp)]) -> Result<()> {
    if ops.is_empty() {
        return Ok(());
    }
    let mut q = sqlx::QueryBuilder::new(
        "INSERT INTO operations_log (at, account_id, actor, operation, site_id, status, \
           outcome, code, request_id, ip) ",
    );
    q.push_values(ops, |mut row, (op, at)| {
        row.push_bind(to_micros(*at))
            .push_bind(op.account_id)
            .push_bind(&op.actor)
            .push_bind(&op.operation)
            .push_bind(&op.site_id)
            .push_bind(i64::from(op.status))
            .push_bind(op.outcome)
            .push_bind(&op.code)
            .push_bind(&op.request_id)
            .push_bind(&op.ip);
    });
    q.build()
        .persistent(false)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

pub(crate) async fn operations(
    db: &Pools,
    filter: &OperationFilter,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<OperationRow>> {
    Ok(sqlx::query_as::<_, OperationRow>(
        "SELECT id, at, account_id, actor, operation, site_id, status, outcome, code, \
           request_id, ip FROM operations_log \
         WHERE ($1 IS NULL OR account_id = $1) AND ($2 IS NULL OR site_id = $2) \
           AND ($3 IS NULL OR actor = $3) AND ($4 IS NULL OR outcome = $4) \
           AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6) \
           AND ($7 IS NULL OR id < $7) \
           AND ($9 IS NULL OR lower(operation) LIKE $9 ESCAPE '\\') \
         ORDER BY id DESC LIMIT $8",
    )
    .bind(filter.account_id)
    .bind(&filter.site_id)
    .bind(&filter.actor)
    .bind(&filter.outcome)
    .bind(filter.from.map(to_micros))
    .bind(filter.until.map(to_micros))
    .bind(before)
    .bind(i64::from(limit))
    .bind(filter.operation.as_deref().map(containing))
    .fetch_all(db.read())
    .await?)
}

/// A LIKE pattern matching text that holds `needle` (lower-cased), its own `%`, `_` and
/// `\` taken literally (routes hold `_`: `{site_id}`).
fn containing(needle: &str) -> String {
    let mut pattern = String::from("%");
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Deletes up to `batch` rows older than their retention (`day` microseconds a day); how
/// many went.
pub(crate) async fn purge_operations_batch(
    db: &Pools,
    now: Timestamp,
    default_days: u32,
    day: i64,
    batch: i64,
) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM operations_log WHERE id IN ( \
           SELECT o.id FROM operations_log o \
           LEFT JOIN accounts a ON a.id = o.account_id \
           WHERE o.at < $1 - COALESCE(a.log_retention_days, $2) * $3 \
           LIMIT $4)",
    )
    .bind(to_micros(now))
    .bind(i64::from(default_days))
    .bind(day)
    .bind(batch)
    .execute(&mut *db.write().await?)
    .await?
    .rows_affected())
}

/// Rows changed: 0 when the account does not exist.
pub(crate) async fn set_log_retention(
    db: &Pools,
    account_id: i64,
    days: Option<u32>,
) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE accounts SET log_retention_days = $1 WHERE id = $2")
            .bind(days.map(i64::from))
            .bind(account_id)
            .execute(&mut *db.write().await?)
            .await?
            .rows_affected(),
    )
}
