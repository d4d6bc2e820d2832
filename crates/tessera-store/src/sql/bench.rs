//! `tessera bench fleet`'s test data, written in bulk (see `crate::bench`). Rows are made by
//! a recursive count (both backends have it) and by `INSERT … SELECT`, never one by one.

use super::Pools;
use crate::Result;
use crate::bench::FleetSeed;

const DAY: i64 = 86_400_000_000;

pub(crate) async fn seed_fleet(db: &Pools, seed: &FleetSeed, now: i64) -> Result<u64> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO accounts (username, email, password_hash, company_name, company_search, \
           country, vat_number, profile, privacy_accepted_at, privacy_ip, newsletter, \
           created_at, updated_at) \
         SELECT 'fleet' || i, 'fleet' || i || '@bench.example', 'x', 'Fleet ' || i, \
           'fleet ' || i, 'IT', 'BENCH' || i, '{}', $2, '127.0.0.1', FALSE, $2, $2 FROM n",
    )
    .bind(i64::from(seed.accounts))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let first: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM accounts WHERE username LIKE 'fleet%'")
            .fetch_one(&mut *tx)
            .await?;
    // 90 % active, then registered, deactivated, suspended; of the active, one in 97 last
    // checked 20 days ago (locked), one in 97 8 days ago (overdue), the rest within a day.
    let mut sites = 0;
    for batch in &seed.batches {
        sites += sqlx::query(
            "INSERT INTO sites (public_id, account_id, key_id, status, label, activated_at, \
               last_validated_at, created_at, updated_at) \
             SELECT 'bench-' || k.id, $1 + k.id % $2, k.id, \
               CASE WHEN k.id % 100 < 90 THEN 'active' WHEN k.id % 100 < 95 THEN 'registered' \
                    WHEN k.id % 100 < 98 THEN 'deactivated' ELSE 'suspended' END, \
               'Site ' || k.id, $3 - 200 * $4, \
               CASE WHEN k.id % 97 = 0 THEN $3 - 20 * $4 WHEN k.id % 97 = 1 THEN $3 - 8 * $4 \
                    ELSE $3 - (k.id % 86400) * 1000000 END, \
               $3, $3 \
             FROM product_keys k WHERE k.batch_id = $5",
        )
        .bind(first)
        .bind(i64::from(seed.accounts))
        .bind(now)
        .bind(DAY)
        .bind(batch)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    for day in &seed.days {
        sqlx::query(
            "INSERT INTO daily_counts (account_id, day, metric, value) \
             SELECT a.id, $1, m.metric, 90 + a.id % 20 FROM accounts a, \
               (SELECT 'validations' AS metric UNION ALL SELECT 'sites.active') m \
             WHERE a.username LIKE 'fleet%'",
        )
        .bind(day)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM fleet_daily_counts")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO fleet_daily_counts (day, metric, value) \
         SELECT day, metric, CAST(SUM(value) AS BIGINT) FROM daily_counts GROUP BY day, metric",
    )
    .execute(&mut *tx)
    .await?;
    // A subscription per account, its trial started over the last year; one in three
    // bought (with an invoice).
    sqlx::query(
        "INSERT INTO subscriptions (account_id, service, plan_id, state, seats, \
           trial_started_at, purchased_at, starts_at, expires_at, created_at, updated_at) \
         SELECT a.id, 'cloud', p.id, CASE WHEN a.id % 3 = 0 THEN 'active' ELSE 'trialing' END, \
           3, $1 - (a.id % 365) * $2, \
           CASE WHEN a.id % 3 = 0 THEN $1 - (a.id % 300) * $2 ELSE NULL END, \
           $1 - (a.id % 365) * $2, $1 + (a.id % 400) * $2, $1, $1 \
         FROM accounts a, plans p WHERE a.username LIKE 'fleet%' AND p.code = $3",
    )
    .bind(now)
    .bind(DAY)
    .bind(&seed.plan)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO invoices (number, year, seq, order_id, account_id, issued_at, document, \
           total, currency) \
         SELECT 'BENCH-' || a.id, 1900, a.id, NULL, a.id, $1 - (a.id % 300) * $2, '{}', \
           36600, 'EUR' \
         FROM accounts a WHERE a.username LIKE 'fleet%' AND a.id % 3 = 0",
    )
    .bind(now)
    .bind(DAY)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(sites)
}

pub(crate) async fn analyze(db: &Pools) -> Result<()> {
    sqlx::query("ANALYZE")
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}
