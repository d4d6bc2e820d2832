//! The daily figures of the overview's charts.

use super::{Conn, Pools};
use crate::Result;
use crate::stats::{DailyCount, VALIDATIONS};

/// Adds `counts` (account id, validations) to the day's figure of each account, inside the
/// transaction that writes the validation times.
pub(crate) async fn add_validations(
    conn: &mut Conn,
    day: &str,
    counts: &[(i64, u64)],
) -> Result<()> {
    // One statement for a few hundred accounts (each account once: one row each).
    for chunk in counts.chunks(500) {
        let mut q =
            sqlx::QueryBuilder::new("INSERT INTO daily_counts (account_id, day, metric, value) ");
        q.push_values(chunk, |mut row, (account_id, n)| {
            row.push_bind(*account_id)
                .push_bind(day)
                .push_bind(VALIDATIONS)
                .push_bind(i64::try_from(*n).unwrap_or(i64::MAX));
        });
        q.push(
            " ON CONFLICT (account_id, metric, day) DO UPDATE \
             SET value = daily_counts.value + excluded.value",
        );
        q.build().persistent(false).execute(&mut *conn).await?;
    }
    // The fleet's figure of the day, summed as it is written (the fleet dashboard).
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    if total > 0 {
        sqlx::query(
            "INSERT INTO fleet_daily_counts (day, metric, value) VALUES ($1, $2, $3) \
             ON CONFLICT (metric, day) DO UPDATE \
             SET value = fleet_daily_counts.value + excluded.value",
        )
        .bind(day)
        .bind(VALIDATIONS)
        .bind(i64::try_from(total).unwrap_or(i64::MAX))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(crate) async fn snapshot_site_states(db: &Pools, day: &str) -> Result<u64> {
    let mut tx = db.begin().await?;
    // A state no site is in any more reads 0, not the day's earlier figure.
    sqlx::query("DELETE FROM daily_counts WHERE day = $1 AND metric LIKE 'sites.%'")
        .bind(day)
        .execute(&mut *tx)
        .await?;
    let written = sqlx::query(
        "INSERT INTO daily_counts (account_id, day, metric, value) \
         SELECT account_id, $1, 'sites.' || status, COUNT(*) FROM sites \
         GROUP BY account_id, status",
    )
    .bind(day)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM fleet_daily_counts WHERE day = $1 AND metric LIKE 'sites.%'")
        .bind(day)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO fleet_daily_counts (day, metric, value) \
         SELECT $1, 'sites.' || status, COUNT(*) FROM sites GROUP BY status",
    )
    .bind(day)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(written)
}

pub(crate) async fn daily_counts(
    db: &Pools,
    account_id: i64,
    from_day: &str,
) -> Result<Vec<DailyCount>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day, metric, value FROM daily_counts \
         WHERE account_id = $1 AND day >= $2 ORDER BY metric, day",
    )
    .bind(account_id)
    .bind(from_day)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, metric, value)| DailyCount { day, metric, value })
        .collect())
}
