//! The fleet dashboard's counts, each aggregated by the database over an index (migration
//! 0022): nothing here loads a row per site.

use super::Pools;
use crate::Result;
use crate::fleet::{
    ActiveSites, FleetFigures, FleetQuery, FleetRows, OutboxHealth, RevenueMonth, TrialMonth,
};
use crate::stats::DailyCount;

/// A microsecond in a day.
const DAY_MICROS: i64 = 86_400_000_000;

pub(crate) async fn figures(db: &Pools, q: &FleetQuery) -> Result<FleetRows> {
    let b = q.bounds();
    let read = db.read();
    let active: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT p.code, p.name, e.code, e.name, c.n FROM \
           (SELECT k.edition_id AS edition_id, COUNT(*) AS n FROM sites s \
            JOIN product_keys k ON k.id = s.key_id \
            WHERE s.status = 'active' GROUP BY k.edition_id) c \
         JOIN editions e ON e.id = c.edition_id JOIN products p ON p.id = e.product_id \
         ORDER BY p.code, e.rank",
    )
    .fetch_all(read)
    .await?;
    let overdue: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites \
         WHERE status = 'active' AND COALESCE(last_validated_at, activated_at) < $1",
    )
    .bind(b.overdue_before)
    .fetch_one(read)
    .await?;
    // Locked: last check + the product's grace days has passed (tessera_core::fleet::locked).
    // Only sites older than the shortest grace can be; that bound keeps it an index range.
    let least_grace: Option<i64> = sqlx::query_scalar("SELECT MIN(grace_days) FROM products")
        .fetch_one(read)
        .await?;
    let locked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites s \
         JOIN product_keys k ON k.id = s.key_id JOIN editions e ON e.id = k.edition_id \
         JOIN products p ON p.id = e.product_id \
         WHERE s.status = 'active' AND COALESCE(s.last_validated_at, s.activated_at) <= $1 \
           AND COALESCE(s.last_validated_at, s.activated_at) + p.grace_days * $2 <= $3",
    )
    .bind(b.now - least_grace.unwrap_or(0) * DAY_MICROS)
    .bind(DAY_MICROS)
    .bind(b.now)
    .fetch_one(read)
    .await?;
    let trials: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "{} SELECT m.month, COUNT(s.id), COUNT(s.purchased_at) FROM months m \
         LEFT JOIN subscriptions s \
           ON s.trial_started_at >= m.lo AND s.trial_started_at < m.hi \
         GROUP BY m.month ORDER BY m.month",
        months_cte(q)
    ))
    .fetch_all(read)
    .await?;
    let revenue: Vec<(String, String, i64, i64)> = sqlx::query_as(&format!(
        "{} SELECT m.month, i.currency, COUNT(*), CAST(SUM(i.total) AS BIGINT) FROM months m \
         JOIN invoices i ON i.issued_at >= m.lo AND i.issued_at < m.hi \
         GROUP BY m.month, i.currency ORDER BY m.month, i.currency",
        months_cte(q)
    ))
    .fetch_all(read)
    .await?;
    let running = "s.state IN ('trialing', 'active') AND s.expires_at >= $1 AND s.expires_at < $2";
    let expiring = sqlx::query_as(&format!(
        "SELECT s.id, s.account_id, a.username, a.company_name, s.service, s.state, s.expires_at \
         FROM subscriptions s JOIN accounts a ON a.id = s.account_id \
         WHERE {running} ORDER BY s.expires_at, s.id LIMIT $3"
    ))
    .bind(b.now)
    .bind(b.expiring_until)
    .bind(i64::from(q.expiring_limit))
    .fetch_all(read)
    .await?;
    let expiring_count: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subscriptions s WHERE {running}"
    ))
    .bind(b.now)
    .bind(b.expiring_until)
    .fetch_one(read)
    .await?;
    let queued: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(read)
    .await?;
    let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")
        .fetch_one(read)
        .await?;
    let last_error: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(read)
    .await?;
    let job_failures: Vec<(String, i64)> = sqlx::query_as(
        "SELECT job, COUNT(*) FROM job_runs WHERE outcome = 'failed' GROUP BY job ORDER BY job",
    )
    .fetch_all(read)
    .await?;
    Ok(FleetRows {
        figures: FleetFigures {
            active: active
                .into_iter()
                .map(
                    |(product, product_name, edition, edition_name, sites)| ActiveSites {
                        product,
                        product_name,
                        edition,
                        edition_name,
                        sites,
                    },
                )
                .collect(),
            overdue,
            locked,
            trials: trials
                .into_iter()
                .map(|(month, started, converted)| TrialMonth {
                    month,
                    started,
                    converted,
                })
                .collect(),
            revenue: revenue
                .into_iter()
                .map(|(month, currency, invoices, total)| RevenueMonth {
                    month,
                    currency,
                    invoices,
                    total,
                })
                .collect(),
            expiring: Vec::new(),
            expiring_count,
            outbox: OutboxHealth {
                queued,
                failed,
                last_error,
            },
            job_failures,
        },
        expiring,
    })
}

/// `WITH months (month, lo, hi) AS (VALUES …)`: the query's months as instants, written as
/// literals (they are computed, never typed by anyone: a `YYYY-MM` key and two integers).
fn months_cte(q: &FleetQuery) -> String {
    let rows: Vec<String> = q
        .months
        .iter()
        .filter(|m| m.key.len() == 7 && m.key.bytes().all(|c| c.is_ascii_digit() || c == b'-'))
        .map(|m| {
            format!(
                "(CAST('{}' AS TEXT), CAST({} AS BIGINT), CAST({} AS BIGINT))",
                m.key,
                crate::to_micros(m.starts),
                crate::to_micros(m.ends)
            )
        })
        .collect();
    if rows.is_empty() {
        // No month: a CTE that yields nothing.
        return "WITH months (month, lo, hi) AS \
                (SELECT CAST('' AS TEXT), CAST(0 AS BIGINT), CAST(0 AS BIGINT) WHERE 1 = 0)"
            .to_owned();
    }
    format!(
        "WITH months (month, lo, hi) AS (VALUES {})",
        rows.join(", ")
    )
}

pub(crate) async fn daily_counts(db: &Pools, from_day: &str) -> Result<Vec<DailyCount>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day, metric, value FROM fleet_daily_counts WHERE day >= $1 ORDER BY metric, day",
    )
    .bind(from_day)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, metric, value)| DailyCount { day, metric, value })
        .collect())
}

pub(crate) async fn sites_by_state(db: &Pools) -> Result<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT status, COUNT(*) FROM sites GROUP BY status ORDER BY status")
            .fetch_all(db.read())
            .await?,
    )
}
